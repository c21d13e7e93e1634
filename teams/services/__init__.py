"""Writes for teams/: one function per use case, each its own transaction.

Split by area; every public service is importable from here.
"""

from teams.services.excellence import criterion_add, criterion_delete, criterion_update
from teams.services.goals import (
    check_in_create,
    goal_create,
    goal_delete,
    goal_update,
    key_result_create,
    key_result_delete,
    key_result_update,
)
from teams.services.roles import (
    function_create,
    function_delete,
    function_update,
    job_role_create,
    job_role_delete,
    job_role_update,
    role_criterion_add,
    role_criterion_delete,
    role_criterion_update,
)
from teams.services.strengths import (
    endorsement_create,
    endorsement_remove,
    member_strength_remove,
    member_strength_set,
    strength_create,
    strength_delete,
    strength_update,
)
from teams.services.teams import (
    team_commitment_set,
    team_create,
    team_member_add,
    team_member_remove,
    team_member_update,
    team_stage_change,
    team_update,
    team_webhook_test,
)
from teams.services.values import value_create, value_update

__all__ = [
    "check_in_create",
    "criterion_add",
    "criterion_delete",
    "criterion_update",
    "endorsement_create",
    "endorsement_remove",
    "function_create",
    "function_delete",
    "function_update",
    "goal_create",
    "goal_delete",
    "goal_update",
    "job_role_create",
    "job_role_delete",
    "job_role_update",
    "key_result_create",
    "key_result_delete",
    "key_result_update",
    "member_strength_remove",
    "member_strength_set",
    "role_criterion_add",
    "role_criterion_delete",
    "role_criterion_update",
    "strength_create",
    "strength_delete",
    "strength_update",
    "team_commitment_set",
    "team_create",
    "team_member_add",
    "team_member_remove",
    "team_member_update",
    "team_stage_change",
    "team_update",
    "team_webhook_test",
    "value_create",
    "value_update",
]
