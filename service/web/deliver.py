"""The clerk's 「报送」 on the result page: the button's handler (service.web.sending builds what the page
shows). Storing an upload is 保存; this is the 报送 of the version the page shows, confirmed by its
checkbox, with the page's CSRF token."""
from __future__ import annotations

from flask import current_app, redirect, request, url_for
from werkzeug.exceptions import NotFound

from service.access import guard
from service.domain import catalog
from service.errors import DeliverableIncomplete, NotValidVersion, UnknownBranch
from service.store import branches, database, deliveries, now

from .blueprint import bp
from .pages import _page, result_page

ANY_DELIVERABLE = f"any({','.join(catalog.DELIVERABLE_IDS)})"


@bp.post(f"/result/<token>/deliver/<{ANY_DELIVERABLE}:deliverable>")
def deliver(token: str, deliverable: str):
    """报送 this page's version as `deliverable`; back to the page with the outcome (303), or the page
    with the reason when it cannot be sent."""
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
