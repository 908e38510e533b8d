"""「修改后重新检查」 on the clerk's result page: the errors' inputs sent back, the stored input corrected and read
again, stored as the branch's next version (source fix) — no Excel round trip, no re-upload."""
from __future__ import annotations

from flask import current_app, redirect, request, url_for
from werkzeug.exceptions import NotFound

from service.access import guard
from service.intake import cell_fix
from service.store import database, now, submissions

from .blueprint import bp
from .pages import _page, limit

PREFIX = "fix:"


@bp.post("/result/<token>/fix")
def result_fix(token: str):
    page = _page(token)
    if page.branch_code is None or page.raw is None:
        raise NotFound()
    offered = cell_fix.valid_keys(page.kind, page.errors, page.input)
    fixes = {k[len(PREFIX):]: v for k, v in request.form.items() if k.startswith(PREFIX) and k[len(PREFIX):] in offered and v != cell_fix.KEEP}
    if not fixes:  # nothing changed (every select left at （不改）): the same page, nothing stored
        guard.note(detail="没有修改，未保存")
        return redirect(url_for("web.result", token=token), code=303)
    received = cell_fix.fixed(page.kind, page.raw, page.input, page.filename, fixes, limit())
    app = current_app._get_current_object()
    kept = submissions.submit(database(app), received, "fix", now(app), actor=guard.actor(), code=page.branch_code,
                              within=lambda session, sub: guard.audit_within(
                                  session, 303, branch=page.branch_code, version=sub.version,
                                  detail=f"修改 {len(fixes)} 处，基于第 {page.version} 版"))
    return redirect(url_for("web.result", token=kept.token), code=303)
