from django.urls import path

from surveys.views import feedback as feedback_views
from surveys.views import nps as nps_views
from surveys.views import public as public_views
from surveys.views import pulse as views
from surveys.views import results as results_views
from surveys.views import scores as scores_views

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
    path("surveys/feedback/", feedback_views.feedback_list, name="feedback_list"),
    path("surveys/feedback/export/", feedback_views.feedback_export, name="feedback_export"),
    path("surveys/feedback/<int:pk>/thanked/", feedback_views.feedback_thank, name="feedback_thank"),
    path("surveys/rounds/<int:pk>/results/", results_views.round_results, name="results"),
    path("surveys/rounds/<int:pk>/results.csv", results_views.round_results_csv, name="results_csv"),
    path("surveys/<int:pk>/trend/", results_views.survey_trend, name="trend"),
    # Customer NPS and CSAT rounds, and the contact's personal link (no login).
    path("surveys/customers/", nps_views.nps_list, name="nps_list"),
    path("surveys/customers/new/", nps_views.nps_create, name="nps_create"),
    path("surveys/customers/<int:pk>/", nps_views.nps_detail, name="nps_detail"),
    path("surveys/customers/<int:pk>/send/", nps_views.nps_send, name="nps_send"),
    path("surveys/customers/<int:pk>/close/", nps_views.nps_close, name="nps_close"),
    path("surveys/customers/<int:pk>/discard/", nps_views.nps_discard, name="nps_discard"),
    # The admins' "recompute now" of every score, with its progress.
    path("configure/scores/", scores_views.scores_configure, name="scores_configure"),
    path("configure/scores/recompute/", scores_views.scores_recompute, name="scores_recompute"),
    path("configure/scores/runs/<int:pk>/", scores_views.score_run_progress, name="score_run_progress"),
    path("s/<str:token>/", public_views.link, name="link"),
    path("s/<str:token>/<int:score>/", public_views.link_score, name="link_score"),
    path("s/<str:token>/opt-out/", public_views.link_opt_out, name="link_opt_out"),
]
