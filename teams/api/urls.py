from django.urls import path

from teams.api import views

org = "orgs/<slug:org_slug>/"

LIST = {"get": "list", "post": "create"}
DETAIL = {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
EDIT = {"patch": "partial_update", "delete": "destroy"}

urlpatterns = [
    # Configuration (admins write, everyone reads)
    path(f"{org}values/", views.ValueViewSet.as_view(LIST), name="api-values"),
    path(
        f"{org}values/<int:pk>/",
        views.ValueViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="api-value",
    ),
    path(f"{org}functions/", views.FunctionViewSet.as_view(LIST), name="api-functions"),
    path(f"{org}functions/<int:pk>/", views.FunctionViewSet.as_view(DETAIL), name="api-function"),
    path(f"{org}roles/", views.JobRoleViewSet.as_view(LIST), name="api-roles"),
    path(f"{org}roles/<int:pk>/", views.JobRoleViewSet.as_view(DETAIL), name="api-role"),
    path(
        f"{org}roles/<int:role_pk>/criteria/",
        views.RoleCriterionViewSet.as_view({"post": "create"}),
        name="api-role-criteria",
    ),
    path(f"{org}role-criteria/<int:pk>/", views.RoleCriterionViewSet.as_view(EDIT), name="api-role-criterion"),
    path(f"{org}strengths/", views.StrengthViewSet.as_view(LIST), name="api-strengths"),
    path(f"{org}strengths/<int:pk>/", views.StrengthViewSet.as_view(DETAIL), name="api-strength"),
    path(
        f"{org}strengths/<int:strength_pk>/holders/",
        views.StrengthHolderViewSet.as_view({"get": "list"}),
        name="api-strength-holders",
    ),
    # Teams, their people and each person's excellence
    path(f"{org}teams/", views.TeamViewSet.as_view(LIST), name="api-teams"),
    path(
        f"{org}teams/<int:pk>/",
        views.TeamViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="api-team",
    ),
    path(f"{org}teams/<int:pk>/stage/", views.TeamViewSet.as_view({"post": "stage"}), name="api-team-stage"),
    path(
        f"{org}teams/<int:pk>/webhook-test/",
        views.TeamViewSet.as_view({"post": "webhook_test"}),
        name="api-team-webhook-test",
    ),
    path(
        f"{org}teams/<int:pk>/commitments/",
        views.TeamViewSet.as_view({"put": "commitment_put", "post": "commitment_post"}),
        name="api-team-commitments",
    ),
    path(
        f"{org}teams/<int:team_pk>/stage-changes/",
        views.StageChangeViewSet.as_view({"get": "list"}),
        name="api-team-stage-changes",
    ),
    path(f"{org}teams/<int:team_pk>/members/", views.TeamMemberViewSet.as_view(LIST), name="api-team-members"),
    path(f"{org}team-members/<int:pk>/", views.TeamMemberViewSet.as_view(DETAIL), name="api-team-member"),
    path(
        f"{org}team-members/<int:team_membership_pk>/criteria/",
        views.ExcellenceCriterionViewSet.as_view(LIST),
        name="api-team-member-criteria",
    ),
    path(f"{org}criteria/<int:pk>/", views.ExcellenceCriterionViewSet.as_view(EDIT), name="api-criterion"),
    path(
        f"{org}team-members/<int:team_membership_pk>/excellence-history/",
        views.ExcellenceHistoryViewSet.as_view({"get": "list"}),
        name="api-team-member-excellence-history",
    ),
    # Goals, key results, check-ins
    path(f"{org}goals/", views.GoalViewSet.as_view(LIST), name="api-goals"),
    path(f"{org}goals/<int:pk>/", views.GoalViewSet.as_view(DETAIL), name="api-goal"),
    path(
        f"{org}goals/<int:goal_pk>/key-results/",
        views.KeyResultViewSet.as_view({"post": "create"}),
        name="api-goal-key-results",
    ),
    path(f"{org}key-results/<int:pk>/", views.KeyResultViewSet.as_view(DETAIL), name="api-key-result"),
    path(
        f"{org}key-results/<int:key_result_pk>/check-ins/",
        views.CheckInViewSet.as_view(LIST),
        name="api-key-result-check-ins",
    ),
    # People: own strengths, endorsements, the directory
    path(f"{org}me/strengths/", views.MyStrengthViewSet.as_view(LIST), name="api-my-strengths"),
    path(
        f"{org}me/strengths/<int:pk>/", views.MyStrengthViewSet.as_view({"delete": "destroy"}), name="api-my-strength"
    ),
    path(
        f"{org}member-strengths/<int:pk>/endorse/",
        views.EndorsementViewSet.as_view({"post": "endorse", "delete": "unendorse"}),
        name="api-member-strength-endorse",
    ),
    path(f"{org}directory/", views.DirectoryViewSet.as_view({"get": "list"}), name="api-directory"),
]
