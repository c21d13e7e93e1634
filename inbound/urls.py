from django.urls import path

from inbound import views

app_name = "inbound"

urlpatterns = [
    path("configure/feedback-sources/", views.sources, name="sources"),
    path("configure/feedback-sources/new/", views.source_create, name="source_create"),
    path("configure/feedback-sources/<int:pk>/rotate/", views.source_rotate, name="source_rotate"),
    path("configure/feedback-sources/<int:pk>/delete/", views.source_delete, name="source_delete"),
    path("configure/feedback-sources/<int:pk>/typeform/", views.typeform_mapping, name="typeform_mapping"),
    path("configure/unmatched-feedback/", views.unmatched, name="unmatched"),
    path("configure/unmatched-feedback/<int:pk>/assign/", views.unmatched_assign, name="unmatched_assign"),
    path("configure/unmatched-feedback/<int:pk>/dismiss/", views.unmatched_dismiss, name="unmatched_dismiss"),
    path("customers/nps-imports/", views.imports, name="imports"),
    path("customers/nps-imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("customers/nps-imports/<int:pk>/columns/", views.import_map, name="import_map"),
    path("customers/nps-imports/<int:pk>/preview/", views.import_preview, name="import_preview"),
    path("customers/nps-imports/<int:pk>/start/", views.import_start, name="import_start"),
    path("customers/nps-imports/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("hooks/<slug:org_slug>/nps/", views.hook_standard, name="hook_standard"),
    path("hooks/<slug:org_slug>/typeform/", views.hook_typeform, name="hook_typeform"),
]
