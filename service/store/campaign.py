"""The district's campaign: the deadlines every deliverable is counted against.

Placeholder until the campaign branch (issue 18 part 1) lands: the notice's default deadlines.
"""
from __future__ import annotations

from service.domain.model import Deadlines


def deadlines(db) -> Deadlines:
    """The district's stored campaign's deadlines, or the notice's defaults."""
    return Deadlines()
