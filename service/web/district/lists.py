"""The district's overview pages: every branch with its filters and search, the 核验纸质稿 look-up,
and the findings overview — over service.store's list, codes and district queries."""
from __future__ import annotations

from typing import Optional

from flask import current_app, render_template, request
from werkzeug.datastructures import MultiDict

from service.domain import branch_filters as filters
from service.domain import catalog, district, verification
from service.store import branches, campaign, codes, database, gc_pause, invitations, now
from service.store import district as queries

from .blueprint import bp
from .present import BATCH_FORMATS, BATCH_PACKAGES

QUERY_MAX = 40


def listed(args: MultiDict) -> tuple[list[dict], list[dict], list[str], str]:
    """(every branch, the branches the filters and the search keep, the filters, the search)."""
    app = current_app._get_current_object()
    due = campaign.deadlines(database(app))
    with database(app).reading() as session:
        rows = branches.overview(session, now(app), due)
    keys = filters.chosen(args.getlist("filter"))
    query = (args.get("q") or "").strip()[:QUERY_MAX]
    return rows, filters.select(rows, keys, query), keys, query


def list_page(args: MultiDict, batch_errors: Optional[list[str]] = None, status: int = 200):
    """The branch list as `args` filters it; the batch form's problems, when it was sent back."""
    rows, shown, keys, query = listed(args)
    page = filters.page(shown, _number(args.get("page")))
    with database(current_app).reading() as session:
        confirmed = invitations.confirmed_counts(session)  # 本人确认 N/M: members who confirmed of those invited
    chosen_packages = args.getlist("packages") if batch_errors else None
    html = render_template(
        "web/district/list.html", page=page, total=len(rows), counts=filters.counts(rows), filters=filters.FILTERS,
        keys=keys, query=query, filtered=bool(keys or query), batch_errors=batch_errors or [],
        silent=sum(1 for r in rows if r["latest"] is None), unregistered=sum(1 for r in rows if r["flag"]),
        packages=BATCH_PACKAGES, formats=BATCH_FORMATS, chosen_packages=chosen_packages,
        chosen_format=args.get("format") or catalog.OFFICE, confirmed=confirmed)
    return html, status


def _number(text: Optional[str]) -> Optional[int]:
    """A page number from the query string, or None for anything that is not one."""
    return int(text) if text and text.isdigit() and len(text) < 7 else None


@bp.get("/")
def branch_list():
    """Every branch: newest version, deadlines, 核查, findings; filters, search, pages."""
    return list_page(request.args)


@bp.get("/verify")
def verify_paper():
    """核验纸质稿: the code typed off a paper page → the branch, the version, and whether it is current."""
    typed = (request.args.get("code") or "").strip()
    code = verification.parse(typed)
    matches: list[dict] = []
    if not typed:
        problem, status = "请输入纸质稿页脚上的校验码（8位，如 7F3A-92C1）。", 400
    elif code is None:
        problem, status = f"「{typed[:QUERY_MAX]}」不是校验码：校验码为 8 位数字或字母 A–F，如 7F3A-92C1。", 400
    else:
        with database(current_app).reading() as session:
            matches = codes.lookup(session, code)
        problem, status = (None, 200) if matches else (
            f"没有找到校验码为 {code} 的报送数据。请核对校验码是否抄写正确；如无误，该纸质稿的数据未经本系统报送，"
            "或报送后又改动过（数据有任何改动，校验码都会变）。", 404)
    return render_template("web/district/verify.html", typed=typed, code=code, matches=matches,
                           problem=problem), status


@bp.get("/findings")
def findings():
    """三查三核情况一览: per branch its errors and warnings by rule, the district's totals."""
    app = current_app._get_current_object()
    with database(app).reading() as session, gc_pause.paused():  # thousands of plain rows (see gc_pause)
        overview = district.findings_overview(queries.latest_findings(session))
    return render_template("web/district/findings.html", overview=overview, generated_at=now(app))
