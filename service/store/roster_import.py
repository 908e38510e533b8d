"""A roster read for a branch and laid over its data: the preview, or the stored next version.

What the API and the clerk's page share; no Flask (the caller passes the database, the time, the
actor, and what must commit with the version: its audit row). A mapping the caller gave or the
clerk confirmed is remembered when the version is stored; a remembered or detected one is not
confirmed by anybody and changes nothing in the memory.
"""
from __future__ import annotations

from typing import Callable, Optional

from sqlalchemy.orm import Session

from service.intake.roster.confirmed import remembered
from service.intake.roster.merged import Merged, merge_for_branch
from service.intake.roster.reading import RosterReading, read_for_branch

from .db import Database
from .models import Submission
from .rosters import Current, current_of, recall, remember, store_merge
from .submissions import Stored


def read(db: Database, content: bytes, filename: str, code: Optional[str], mapping: Optional[dict] = None,
         sheet: Optional[str] = None, confirmed: Optional[dict] = None) -> RosterReading:
    """The roster read with the given mapping, else the one remembered for its headers (the branch's own,
    else the district's last), else detection's."""
    def recalled(key: str):
        with db.reading() as session:
            return recall(session, code, key)

    return read_for_branch(content, filename, mapping, sheet, recalled, confirmed)


def preview(db: Database, code: str, reading: RosterReading) -> tuple[Merged, Current]:
    """What storing the roster would make of the branch's data now; nothing is written."""
    with db.reading() as session:
        base = current_of(session, code)
    return merge_for_branch(base.data, reading.answer["members"], code), base


def store(db: Database, code: str, reading: RosterReading, content: bytes, filename: str, now, actor: Optional[str],
          within: Callable[[Session, Submission], None]) -> tuple[Stored, Merged, Current]:
    """The merge stored as the branch's next version (valid or not), the mapping remembered if it was confirmed."""
    def merge(base: Current):
        merged = merge_for_branch(base.data, reading.answer["members"], code)
        return merged.received(content, filename), (merged, base)

    def inside(session: Session, sub: Submission, _extra) -> None:
        if reading.answer["mapping_source"] == "given":
            remember(session, code, reading.key, remembered(reading.answer["columns"]), actor, now)
        within(session, sub)

    kept, (merged, base) = store_merge(db, code, merge, now, actor, inside)
    return kept, merged, base
