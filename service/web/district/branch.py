"""One branch for the district: its versions, the diff between any two, and the 核查 form.

The page reads service.store.branches.detail (what GET /api/v1/branches/<code> sends) and, when two
versions are chosen, branches.diff (GET …/versions/<n>/diff/<m>); a decision is loaded by the review
body's schema and goes through reviews.add as POST …/versions/<n>/review does, so a 退回 without a
reason is refused the same way and nothing is stored.
"""
from __future__ import annotations

from typing import Optional

from flask import current_app, redirect, render_template, request, url_for

from schemas.requests import load_review
from service.access import guard
from service.api.reminders import after_review
from service.domain import catalog, figures
from service.domain.review import REVIEWER_MAX
from service.errors import InvalidDataset, NotValidVersion, UnknownVersion
from service.intake.labels import label
from service.store import branches, campaign, database, now, reviews

from .blueprint import bp
from .reminders import recent

FIGURE_LABELS = {doc_id: (catalog.DOCUMENTS[doc_id].title, labels) for doc_id, labels in
                 (("outgoing_summary", figures.OUTGOING_LABELS), ("campaign_summary", figures.CAMPAIGN_LABELS))}
DECISION_MISSING = "请选择核查结论：已核查，或退回修改"


def _version(text: Optional[str]) -> Optional[int]:
    """A version number from the query string, or None for anything that is not one."""
    return int(text) if text and text.isdigit() and len(text) < 7 else None


def chosen_diff(code: str, args) -> tuple[Optional[dict], Optional[str]]:
    """The diff the chooser asked for (from/to), or the reason it cannot be shown; (None, None) when
    nothing was asked."""
    if "from" not in args and "to" not in args:
        return None, None
    n, m = _version(args.get("from")), _version(args.get("to"))
    if n is None or m is None:
        return None, "请选择要比较的两个版本"
    if n == m:
        return None, f"两次选择的都是第{n}版：请选择两个不同的版本"
    try:
        with database(current_app).reading() as session:
            return branches.diff(session, code, n, m), None
    except (UnknownVersion, NotValidVersion) as err:
        return None, err.message


def branch_page(code: str, review_errors: Optional[list[str]] = None, form=None, status: int = 200):
    """The branch page, with the review form's problems when it was sent back."""
    app = current_app._get_current_object()
    due = campaign.deadlines(database(app))
    with database(app).reading() as session:
        detail = branches.detail(session, code, now(app), due)
        sends = recent(session, code)
    diff, diff_problem = chosen_diff(code, request.args)
    valid = [v["version"] for v in detail["versions"] if v["valid"]]
    default_pair = (valid[1], valid[0]) if len(valid) > 1 else None
    html = render_template(
        "web/district/branch.html", b=detail, diff=diff, diff_problem=diff_problem, valid_versions=valid,
        pair=(_version(request.args.get("from")), _version(request.args.get("to"))) if diff or diff_problem
        else default_pair, review_errors=review_errors or [], form=form or {},
        reviewed=_version(request.args.get("reviewed")), sends=sends, reminded=request.args.get("reminded"),
        packages=catalog.PACKAGE_LIST, figure_labels=FIGURE_LABELS,
        label=label)
    return html, status


@bp.get("/branches/<code>")
def branch(code: str):
    """A branch's versions, figures, findings, 核查 and downloads; the diff of two chosen versions."""
    return branch_page(code)


@bp.post("/branches/<code>/versions/<int:n>/review")
def review(code: str, n: int):
    """已核查 or 退回修改 (a reason required) of version n; a refused form comes back with the reason."""
    form = request.form
    app = current_app._get_current_object()
    try:
        body = load_review({key: form.get(key) for key in ("decision", "reason", "reviewer")})
        with database(app).writing() as session:
            sub = branches.version(session, branches.get(session, code), n)
            guard.note(detail=body.decision)
            reviewer = guard.actor(body.reviewer)[:REVIEWER_MAX]
            reviews.add(session, sub, body.decision, body.reason, reviewer, now(app))
        after_review(app, code, body.decision, reviewer)  # committed: a 退回 is told to the branch
    except InvalidDataset as err:  # the form's words for a decision not chosen
        return branch_page(code, [DECISION_MISSING if e["path"] == "decision" else e["message"] for e in err.errors],
                           form, 422)
    return redirect(url_for(".branch", code=code, reviewed=n, _anchor="review"), code=303)
