"""What an organisation says about itself and its teams: values, goals, functions and
roles with what excellence means in them, teams, and people's strengths."""

from teams.models.goals import CheckIn, Goal, KeyResult
from teams.models.handoffs import Handoff, HandoffEvent
from teams.models.notifications import Delivery, Notification
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
from teams.models.wins import Adoption, Spotlight, Win, WinReaction

__all__ = [
    "Adoption",
    "CheckIn",
    "Commitment",
    "Delivery",
    "Endorsement",
    "ExcellenceChange",
    "ExcellenceCriterion",
    "Function",
    "Goal",
    "Handoff",
    "HandoffEvent",
    "JobRole",
    "KeyResult",
    "MemberStrength",
    "Notification",
    "RoleCriterion",
    "Spotlight",
    "Stage",
    "StageChange",
    "Strength",
    "Team",
    "TeamCommitment",
    "TeamMembership",
    "Value",
    "Win",
    "WinReaction",
]
