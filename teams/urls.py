from django.urls import path

from teams.views import config, directory, excellence, goals, teams

app_name = "teams"

urlpatterns = [
    # Configuration (admins)
    path("configure/values/", config.values, name="values"),
    path("configure/values/<int:pk>/", config.value_update, name="value_update"),
    path("configure/values/<int:pk>/archive/", config.value_archive, name="value_archive"),
    path("configure/functions/", config.functions, name="functions"),
    path("configure/functions/<int:pk>/", config.function_update, name="function_update"),
    path("configure/functions/<int:pk>/delete/", config.function_delete, name="function_delete"),
    path("configure/roles/", config.roles, name="roles"),
    path("configure/roles/<int:pk>/", config.role_detail, name="role_detail"),
    path("configure/roles/<int:pk>/delete/", config.role_delete, name="role_delete"),
    path("configure/roles/<int:pk>/criteria/", config.role_criterion_add, name="role_criterion_add"),
    path("configure/role-criteria/<int:pk>/", config.role_criterion_update, name="role_criterion_update"),
    path("configure/role-criteria/<int:pk>/delete/", config.role_criterion_delete, name="role_criterion_delete"),
    path("configure/strengths/", config.strengths, name="strengths"),
    path("configure/strengths/<int:pk>/", config.strength_update, name="strength_update"),
    path("configure/strengths/<int:pk>/delete/", config.strength_delete, name="strength_delete"),
    # Goals and key results
    path("goals/", goals.goals, name="goals"),
    path("goals/new/", goals.goal_create, name="goal_create"),
    path("goals/<int:pk>/", goals.goal_detail, name="goal_detail"),
    path("goals/<int:pk>/edit/", goals.goal_update, name="goal_update"),
    path("goals/<int:pk>/delete/", goals.goal_delete, name="goal_delete"),
    path("goals/<int:pk>/key-results/new/", goals.key_result_create, name="key_result_create"),
    path("key-results/<int:pk>/edit/", goals.key_result_update, name="key_result_update"),
    path("key-results/<int:pk>/delete/", goals.key_result_delete, name="key_result_delete"),
    path("key-results/<int:pk>/check-ins/", goals.check_in_create, name="check_in_create"),
    # Teams
    path("teams/", teams.team_list, name="team_list"),
    path("teams/new/", teams.team_create, name="team_create"),
    path("teams/<int:pk>/", teams.team_detail, name="team_detail"),
    path("teams/<int:pk>/edit/", teams.team_update, name="team_update"),
    path("teams/<int:pk>/webhook-test/", teams.team_webhook_test, name="team_webhook_test"),
    path("teams/<int:pk>/stage/", teams.team_stage, name="team_stage"),
    path("teams/<int:pk>/commitments/<slug:commitment>/", teams.team_commitment, name="team_commitment"),
    path("teams/<int:pk>/members/", teams.team_member_add, name="team_member_add"),
    path("teams/<int:pk>/goals/new/", goals.team_goal_create, name="team_goal_create"),
    path("team-members/<int:pk>/", teams.team_member_update, name="team_member_update"),
    path("team-members/<int:pk>/remove/", teams.team_member_remove, name="team_member_remove"),
    # Excellence, per person on a team
    path("team-members/<int:pk>/excellence/", excellence.member_excellence, name="member_excellence"),
    path("team-members/<int:pk>/excellence/criteria/", excellence.criterion_add, name="criterion_add"),
    path("excellence-criteria/<int:pk>/", excellence.criterion_update, name="criterion_update"),
    path("excellence-criteria/<int:pk>/delete/", excellence.criterion_delete, name="criterion_delete"),
    # The directory and strengths
    path("directory/", directory.directory, name="directory"),
    path("directory/<int:pk>/", directory.person, name="person"),
    path("directory/me/strengths/", directory.my_strength_set, name="my_strength_set"),
    path("member-strengths/<int:pk>/remove/", directory.my_strength_remove, name="my_strength_remove"),
    path("member-strengths/<int:pk>/endorse/", directory.endorse, name="endorse"),
    path("member-strengths/<int:pk>/unendorse/", directory.unendorse, name="unendorse"),
]
