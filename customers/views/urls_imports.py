"""URLs of the CSV import and export pages."""

from django.urls import path

from customers.views import imports

urlpatterns = [
    path("customers/imports/", imports.import_list, name="imports"),
    path("customers/imports/<int:pk>/", imports.import_detail, name="import_detail"),
    path("customers/imports/<int:pk>/columns/", imports.import_map, name="import_map"),
    path("customers/imports/<int:pk>/preview/", imports.import_preview, name="import_preview"),
    path("customers/imports/<int:pk>/start/", imports.import_start, name="import_start"),
    path("customers/imports/<int:pk>/progress/", imports.import_progress, name="import_progress"),
    path("customers/export.csv", imports.export, name="export"),
]
