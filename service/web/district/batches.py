"""Batch regeneration from the district page: start one (all branches, or the ones the list's filters
keep) and follow it — a page whose progress bar static/batch.js moves by polling
GET /api/v1/batches/<id>, and which a link refreshes where scripts do not run."""
from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for

from service.clock import utcnow
from service.errors import InvalidBatch
from service.jobs import batches, progress as following
from service.jobs.queue import runner_for
from service.store import database

from .blueprint import bp
from .lists import list_page, listed
from .present import BATCH_FORMATS

NO_PACKAGES = "请至少选择一项要生成的材料"
NONE_SHOWN = "当前筛选条件下没有支部：请改变筛选条件，或选择“全部支部”"


@bp.post("/batches")
def start_batch():
    """Create the batch through service.jobs, as POST /api/v1/batches does; then show its progress."""
    form = request.form
    problems = []
    codes = None
    if form.get("scope") == "shown":
        codes = [row["code"] for row in listed(form)[1]]
        if not codes:
            problems.append(NONE_SHOWN)
    packages = form.getlist("packages")
    if not packages:
        problems.append(NO_PACKAGES)
    if form.get("format") not in dict(BATCH_FORMATS):
        problems.append("请选择生成的格式")
    try:
        if problems:
            raise InvalidBatch(problems[0], [{"path": "", "message": p} for p in problems])
        body = {"packages": packages, "format": form["format"], "branches": codes}
        actor = (form.get("actor") or "").strip()
        if actor:
            body["actor"] = actor
        runner = runner_for(current_app)
        batch_id = batches.create(database(current_app), runner, batches.parse(body), utcnow())
    except InvalidBatch as err:
        return list_page(form, [e["message"] for e in err.errors] or [err.message], 422)
    return redirect(url_for(".batch", batch_id=batch_id), code=303)


@bp.get("/batches/<batch_id>")
def batch(batch_id: str):
    """A batch's progress: the bar, the counts, each failed branch with its reason, then the download."""
    state = following.progress(database(current_app), runner_for(current_app), batch_id)
    failed = [b for b in state["branches"] if b["state"] == "failed"]
    return render_template("web/district/batch.html", p=state, failed=failed,
                           poll=url_for("batches.progress", batch_id=batch_id))
