"""Writes for daily work: one function per use case, each its own transaction.

Split by area; every public service is importable from here.
"""

from work.services.handoffs import (
    handoff_accept,
    handoff_cancel,
    handoff_complete,
    handoff_create,
    handoff_decline,
    handoff_return,
    handoffs_release,
)
from work.services.wins import win_adopt, win_create, win_react, win_spotlight, win_unreact

__all__ = [
    "handoff_accept",
    "handoff_cancel",
    "handoff_complete",
    "handoff_create",
    "handoff_decline",
    "handoff_return",
    "handoffs_release",
    "win_adopt",
    "win_create",
    "win_react",
    "win_spotlight",
    "win_unreact",
]
