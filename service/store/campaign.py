"""The campaign the district defined: stored once, read by every deadline (issue 18 part 1).

`deadlines(db)` is what other parts call for the four deadlines that govern: the stored campaign's,
or the notice's (model.Deadlines) while the district has defined none. `current(db)` gives the whole
campaign (None when none is stored); `set_campaign` replaces it.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional, Union

from sqlalchemy.orm import Session

from service.domain.model import Deadlines
from service.domain.register import DistrictCampaign

from .db import Database
from .register_tables import CampaignRow

ROW_ID = 1
DAYS = ("work_plan", "tables", "stage_summary", "final_report")


def _read(session: Session) -> Optional[DistrictCampaign]:
    row = session.get(CampaignRow, ROW_ID)
    if row is None:
        return None
    return DistrictCampaign(row.name, row.stats_date, Deadlines(**{d: getattr(row, d) for d in DAYS}))


def _session_of(db: Union[Database, Session]):
    return db.reading() if isinstance(db, Database) else _Same(db)


class _Same:
    """A caller's own session, used as `with` without closing it."""

    def __init__(self, session: Session):
        self.session = session

    def __enter__(self) -> Session:
        return self.session

    def __exit__(self, *exc) -> None:
        return None


def current(db: Union[Database, Session]) -> Optional[DistrictCampaign]:
    """The campaign the district stored, or None when it has defined none (db or an open session)."""
    with _session_of(db) as session:
        return _read(session)


def effective(db: Union[Database, Session]) -> DistrictCampaign:
    """The stored campaign, or the notice's when none is stored."""
    return current(db) or DistrictCampaign()


def effective_default() -> DistrictCampaign:
    """The notice's campaign (what governs while the district has defined none)."""
    return DistrictCampaign()


def deadlines(db: Union[Database, Session]) -> Deadlines:
    """The four deadlines that govern: the stored campaign's, or the notice's defaults."""
    return effective(db).deadlines


def set_campaign(session: Session, campaign: DistrictCampaign, actor: Optional[str], now: datetime) -> DistrictCampaign:
    """Replace the stored campaign (in the caller's transaction)."""
    row = session.get(CampaignRow, ROW_ID, with_for_update=True) or CampaignRow(id=ROW_ID)
    row.name, row.stats_date, row.actor, row.updated_at = campaign.name, campaign.stats_date, actor, now
    for day in DAYS:
        setattr(row, day, getattr(campaign.deadlines, day))
    session.add(row)
    session.flush()
    return campaign


def as_answer(campaign: Optional[DistrictCampaign], updated: Optional[datetime] = None) -> dict:
    """The campaign as the API and pages show it: stored or not, and what governs."""
    shown = campaign or DistrictCampaign()
    return {**shown.as_dict(), "defined": campaign is not None}


__all__ = ["current", "effective", "deadlines", "set_campaign", "as_answer"]
