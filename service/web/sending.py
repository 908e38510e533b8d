"""What the clerk's result page shows of 报送 (issue 18 part 2): each deliverable with its deadline,
status, current 报送, the file that will be sent, and what keeps its 「报送」 button off. The button's
handler is service.web.deliver."""
from __future__ import annotations

from typing import Optional

from flask import current_app

from service.domain import catalog, delivery, naming
from service.domain.model import Dataset
from service.store import branches, campaign, database, deliveries, now

CONFIRM = "请先勾选确认，再点「报送」"


def _file_kind(deliverable: str) -> str:
    package = catalog.PACKAGES[deliverable]
    return catalog.DOCUMENTS[deliverable].kind if package.shape == "single" else "zip"


def rows(code: Optional[str], ds: Optional[Dataset], version: Optional[int]) -> list[dict]:
    """The four deliverables as the result page's 报送 table lists them ([] for a page with no valid data):
    deadline, status, current 报送, the file that will be sent, and what keeps the button off."""
    if code is None or ds is None:
        return []
    app = current_app._get_current_object()
    db = database(app)
    due = campaign.deadlines(db)
    with db.reading() as session:
        board = deliveries.board(session, branches.get(session, code), due, now(app))
    canonical = _canonical(ds)
    out = []
    for row in board:
        deliverable = row["deliverable"]
        deadline = getattr(due, deliverable)
        out.append({**row, "due": f"{deadline.month}月{deadline.day}日前",
                    "file": naming.file_name(ds.org, deliverable, _file_kind(deliverable)),
                    "missing": [item["message"] for item in delivery.missing(deliverable, canonical)],
                    "this_version": row["version"] == version})
    return out


def _canonical(ds: Dataset) -> dict:
    import schemas

    return schemas.dump_dataset(ds)
