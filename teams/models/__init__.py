"""What an organisation says about itself and its teams: values, goals, functions and
roles with what excellence means in them, teams, and people's strengths."""

from teams.models.goals import CheckIn, Goal, KeyResult
from teams.models.roles import Function, JobRole, RoleCriterion
from teams.models.strengths import Endorsement, MemberStrength, Strength
from teams.models.teams import (
    Commitment,
    ExcellenceChange,
    ExcellenceCriterion,
    Stage,
    StageChange,
    Team,
    TeamCommitment,
    TeamMembership,
)
from teams.models.values import Value

__all__ = [
    "CheckIn",
    "Commitment",
    "Endorsement",
    "ExcellenceChange",
    "ExcellenceCriterion",
    "Function",
    "Goal",
    "JobRole",
    "KeyResult",
    "MemberStrength",
    "RoleCriterion",
    "Stage",
    "StageChange",
    "Strength",
    "Team",
    "TeamCommitment",
    "TeamMembership",
    "Value",
]
