"""随机抽查 end to end: draw a sample over every branch's newest valid version, keep it with who drew
it, and make its checklist (DOCX) again from what was kept, whenever asked.

The candidates are the branches with a valid version, weighted (when asked) by the 三查三核 提示 of
that version as the findings overview counts them; a drawn branch's dataset is loaded only when it
is drawn. The checklist is made from the kept sample, not drawn again, so it lists exactly the
members shown on the result even if a branch sends a new version afterwards.
"""
from __future__ import annotations

from datetime import datetime

import schemas
from service.domain import sampling
from service.domain.sampling import DrawnBranch, DrawnMember, Sample
from service.errors import NotValidVersion
from service.store import district as queries
from service.store import spot_checks
from service.store.db import Database

from .render import Output
from .spot_check import checklist_docx

NOTHING = "尚无党组织报送有效数据，无法随机抽查"


def draw(db: Database, branches: int, members: int, seed: int, weighted: bool, drawn_by: str,
         now: datetime) -> dict:
    """Draw, keep and answer the sample (spot_checks.as_dict)."""
    with db.reading() as session:
        rows = [r for r in queries.latest_findings(session) if r.valid_version is not None]
        kept = {k.code: k.submission_id for k in queries.latest_valid_versions(session)}
    if not rows:
        raise NotValidVersion(NOTHING)
    candidates = [sampling.Candidate(r.code, r.name or r.code, sum((r.by_rule or {}).values())) for r in rows]

    def load(code: str):
        with db.reading() as session:
            return schemas.load_dataset(queries.dataset_of(session, kept[code]))

    sample = sampling.draw(candidates, branches, members, seed, load, weighted)
    with db.writing() as session:
        row = spot_checks.save(session, sample.as_dict(), drawn_by, now)
        return spot_checks.as_dict(row)


def checklist(db: Database, token: str) -> Output:
    """The checklist DOCX of a kept draw."""
    with db.reading() as session:
        row = spot_checks.get(session, token)
        sample, drawn_by, drawn_at = from_dict(row.sample), row.drawn_by, row.drawn_at
    return checklist_docx(sample, drawn_by, drawn_at)


def from_dict(data: dict) -> Sample:
    """A kept sample (Sample.as_dict()) as the Sample it was."""
    from service.domain.check_items import CHECK_ITEMS

    def member(m: dict) -> DrawnMember:
        return DrawnMember(m["name"], m["id_number"], m["person_category"], m["member_type"],
                           tuple(m["facts"].get(item.key, "") for item in CHECK_ITEMS))

    return Sample(data["seed"], data["weighted"], data["branches_asked"], data["members_asked"], data["candidates"],
                  tuple(DrawnBranch(b["code"], b["name"], b["findings"], b["in_scope"],
                                    tuple(member(m) for m in b["members"])) for b in data["branches"]))
