"""API routes for surveys: building and running them, and answering one's own."""

from django.urls import path

from surveys.api import views

org = "orgs/<slug:org_slug>/"

urlpatterns = [
    path(f"{org}surveys/", views.SurveyViewSet.as_view({"get": "list", "post": "create"}), name="api-surveys"),
    path(
        f"{org}surveys/<int:pk>/",
        views.SurveyViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="api-survey",
    ),
    path(f"{org}surveys/<int:pk>/start/", views.SurveyViewSet.as_view({"post": "start"}), name="api-survey-start"),
    path(f"{org}surveys/<int:pk>/end/", views.SurveyViewSet.as_view({"post": "end"}), name="api-survey-end"),
    path(
        f"{org}surveys/<int:survey_pk>/questions/",
        views.SurveyQuestionViewSet.as_view({"post": "create"}),
        name="api-survey-questions",
    ),
    path(
        f"{org}survey-questions/<int:pk>/",
        views.SurveyQuestionViewSet.as_view({"delete": "destroy"}),
        name="api-survey-question",
    ),
    path(
        f"{org}surveys/<int:survey_pk>/rounds/",
        views.SurveyRoundViewSet.as_view({"get": "list"}),
        name="api-survey-rounds",
    ),
    path(f"{org}survey-bank/", views.SurveyBankViewSet.as_view({"get": "list"}), name="api-survey-bank"),
    path(f"{org}me/surveys/", views.MySurveyViewSet.as_view({"get": "list"}), name="api-my-surveys"),
    path(
        f"{org}me/surveys/<int:pk>/answers/",
        views.MySurveyViewSet.as_view({"post": "answer"}),
        name="api-my-survey-answer",
    ),
]
