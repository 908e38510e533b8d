"""The clerk's 「报送」 on the result page: one button per deliverable, its deadline and the file that
will be sent beside it, a confirmation, then the status (issue 18 part 2). Storing an upload is 保存;
this is the 报送 of the version the page shows."""
from __future__ import annotations

from typing import Optional

from flask import current_app, redirect, request, url_for
from werkzeug.exceptions import NotFound

from service.access import guard
from service.domain import catalog, delivery, naming
from service.domain.model import Dataset
from service.errors import DeliverableIncomplete, NotValidVersion, UnknownBranch
from service.store import branches, campaign, database, deliveries, now

from .blueprint import bp

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


@bp.post("/result/<token>/deliver/<any(work_plan,tables,stage_summary,final_report):deliverable>")
def deliver(token: str, deliverable: str):
    """报送 this page's version as `deliverable`; back to the page with the outcome (303), or the page
    with the reason when it cannot be sent."""
    from .pages import _page, result_page

    page = _page(token)
    if page.dataset is None or page.branch_code is None:
        return result_page(token, deliver_error="这份数据还有错误，不能报送。请按下列错误修改后重新上传", status=409)
    if request.form.get("confirm") != deliverable:
        return redirect(url_for("web.result", token=token, problem="confirm", _anchor="deliver"), code=303)
    app = current_app._get_current_object()
    try:
        with database(app).writing() as session:
            branch = branches.get(session, page.branch_code)
            sub = deliveries.pick(session, branch, page.version)
            guard.note(branch=branch.code, version=sub.version, detail=deliverable)
            deliveries.deliver(session, branch, deliverable, sub, guard.actor(), "page", now(app))
    except (DeliverableIncomplete, NotValidVersion) as err:
        return result_page(token, deliver_error=err.message, status=422)
    except UnknownBranch:
        raise NotFound() from None
    return redirect(url_for("web.result", token=token, sent=deliverable, _anchor="deliver"), code=303)
