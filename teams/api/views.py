"""Every teams viewset, in one namespace for the URL list; each lives in a module by area."""

from teams.api.config import (
    FunctionViewSet,
    JobRoleViewSet,
    RoleCriterionViewSet,
    StrengthHolderViewSet,
    StrengthViewSet,
    ValueViewSet,
)
from teams.api.goals import CheckInViewSet, GoalViewSet, KeyResultViewSet
from teams.api.people import DirectoryViewSet, EndorsementViewSet, MyStrengthViewSet
from teams.api.teams import (
    ExcellenceCriterionViewSet,
    ExcellenceHistoryViewSet,
    StageChangeViewSet,
    TeamMemberViewSet,
    TeamViewSet,
)

__all__ = [
    "CheckInViewSet",
    "DirectoryViewSet",
    "EndorsementViewSet",
    "ExcellenceCriterionViewSet",
    "ExcellenceHistoryViewSet",
    "FunctionViewSet",
    "GoalViewSet",
    "JobRoleViewSet",
    "KeyResultViewSet",
    "MyStrengthViewSet",
    "RoleCriterionViewSet",
    "StageChangeViewSet",
    "StrengthHolderViewSet",
    "StrengthViewSet",
    "TeamMemberViewSet",
    "TeamViewSet",
    "ValueViewSet",
]
