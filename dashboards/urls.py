from django.urls import path

from dashboards.views import accounts as account_views
from dashboards.views import brief as brief_views
from dashboards.views import digest as digest_views
from dashboards.views import focus as focus_views
from dashboards.views import manager as manager_views
from dashboards.views import organization as organization_views
from dashboards.views import silos as silo_views

app_name = "dashboards"

# One block per page; views live in dashboards/views/<page>.py.
urlpatterns: list = [
    # Manager dashboard (point 1): a manager's landing page.
    path("dashboard/", manager_views.manager_dashboard, name="manager"),
    # Account health and accounts at risk (point 5).
    path("dashboard/accounts/at-risk/", account_views.at_risk, name="at_risk"),
    path("dashboard/accounts/<int:pk>/health/", account_views.account_health, name="account_health"),
    # Silo map (point 3): teams x teams, and one pair's handoffs and shared wins.
    path("dashboard/silos/", silo_views.silo_map, name="silos"),
    path("dashboard/silos/<int:team_a>/<int:team_b>/", silo_views.silo_pair, name="silo_pair"),
    # Meeting brief (point 6): the page (it prints cleanly) and its PDF.
    path("dashboard/brief/", brief_views.brief_page, name="brief"),
    path("dashboard/brief/pdf/", brief_views.brief_pdf, name="brief_pdf"),
    # Weekly digest (point 7): your own settings, and the e-mail's one-click unsubscribe (no login).
    path("dashboard/digest/", digest_views.digest_settings, name="digest"),
    path("dashboard/digest/unsubscribe/<str:token>/", digest_views.digest_unsubscribe, name="digest_unsubscribe"),
    # Focus areas and action plans (point 4).
    path("dashboard/focus/", focus_views.organisation_focus, name="focus"),
    path("dashboard/focus/team/<int:pk>/", focus_views.team_focus, name="focus_team"),
    path("dashboard/focus/team/<int:pk>/plan/", focus_views.action_plan_new, name="focus_plan_create"),
    path("dashboard/focus/plan/<int:pk>/", focus_views.action_plan_detail, name="focus_plan"),
    # Organisation view for admins (point 2).
    path("dashboard/organization/", organization_views.organization_dashboard, name="organization"),
]
