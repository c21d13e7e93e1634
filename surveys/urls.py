from django.urls import path

from surveys.views import pulse as views

app_name = "surveys"

urlpatterns = [
    path("surveys/", views.survey_list, name="list"),
    path("surveys/new/", views.survey_create, name="create"),
    path("surveys/<int:pk>/", views.survey_detail, name="detail"),
    path("surveys/<int:pk>/edit/", views.survey_update, name="update"),
    path("surveys/<int:pk>/questions/", views.question_add, name="question_add"),
    path("surveys/<int:pk>/preview/", views.survey_preview, name="preview"),
    path("surveys/<int:pk>/start/", views.survey_activate, name="activate"),
    path("surveys/<int:pk>/end/", views.survey_end, name="end"),
    path("survey-questions/<int:pk>/remove/", views.question_remove, name="question_remove"),
    path("surveys/rounds/<int:pk>/answer/", views.answer, name="answer"),
]
