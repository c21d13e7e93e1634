"""API routes for surveys: building and running them, and answering one's own."""

from django.urls import path

from surveys.api import feedback, nps, results, scores, views

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
    path(
        f"{org}survey-rounds/<int:pk>/results/",
        results.SurveyResultsViewSet.as_view({"get": "round_results"}),
        name="api-survey-round-results",
    ),
    path(
        f"{org}surveys/<int:pk>/trend/",
        results.SurveyResultsViewSet.as_view({"get": "trend"}),
        name="api-survey-trend",
    ),
    path(f"{org}survey-bank/", views.SurveyBankViewSet.as_view({"get": "list"}), name="api-survey-bank"),
    path(f"{org}nps-feedback/", feedback.FeedbackViewSet.as_view({"get": "list"}), name="api-nps-feedback"),
    path(
        f"{org}nps-feedback/<int:pk>/",
        feedback.FeedbackViewSet.as_view({"get": "retrieve"}),
        name="api-nps-feedback-detail",
    ),
    path(
        f"{org}nps-feedback/<int:pk>/thanked/",
        feedback.FeedbackViewSet.as_view({"post": "thanked"}),
        name="api-nps-feedback-thanked",
    ),
    path(f"{org}me/surveys/", views.MySurveyViewSet.as_view({"get": "list"}), name="api-my-surveys"),
    path(
        f"{org}me/surveys/<int:pk>/answers/",
        views.MySurveyViewSet.as_view({"post": "answer"}),
        name="api-my-survey-answer",
    ),
    # Scores: snapshots, a scope's current scores, explanations, and "recompute now".
    path(f"{org}scores/", scores.ScoreViewSet.as_view({"get": "list"}), name="api-scores"),
    path(f"{org}scores/current/", scores.ScoreViewSet.as_view({"get": "current"}), name="api-scores-current"),
    path(
        f"{org}scores/<int:pk>/explanation/",
        scores.ScoreViewSet.as_view({"get": "explanation"}),
        name="api-score-explanation",
    ),
    path(f"{org}scores/recompute/", scores.ScoreRunViewSet.as_view({"post": "create"}), name="api-scores-recompute"),
    path(
        f"{org}scores/recompute/<int:pk>/",
        scores.ScoreRunViewSet.as_view({"get": "retrieve"}),
        name="api-scores-recompute-run",
    ),
    # Customer NPS and CSAT rounds.
    path(f"{org}nps-rounds/", nps.NpsRoundViewSet.as_view({"get": "list", "post": "create"}), name="api-nps-rounds"),
    path(
        f"{org}nps-rounds/<int:pk>/",
        nps.NpsRoundViewSet.as_view({"get": "retrieve", "delete": "destroy"}),
        name="api-nps-round",
    ),
    path(
        f"{org}nps-rounds/<int:pk>/audience/",
        nps.NpsRoundViewSet.as_view({"get": "audience"}),
        name="api-nps-round-audience",
    ),
    path(f"{org}nps-rounds/<int:pk>/send/", nps.NpsRoundViewSet.as_view({"post": "send"}), name="api-nps-round-send"),
    path(
        f"{org}nps-rounds/<int:pk>/close/", nps.NpsRoundViewSet.as_view({"post": "close"}), name="api-nps-round-close"
    ),
    path(
        f"{org}nps-rounds/<int:pk>/answers/",
        nps.NpsRoundViewSet.as_view({"get": "answers"}),
        name="api-nps-round-answers",
    ),
]
