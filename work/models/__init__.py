"""Daily work: wins tied to values and customers, and handoffs of customer needs."""

from work.models.handoffs import Handoff, HandoffEvent
from work.models.wins import Adoption, Spotlight, Win, WinReaction

__all__ = ["Adoption", "Handoff", "HandoffEvent", "Spotlight", "Win", "WinReaction"]
