"""Batch regeneration from the district page: start one (all branches, or the ones the list's filters
keep) and follow it — a page whose progress bar static/batch.js moves by polling
GET /api/v1/batches/<id>, and which a link refreshes where scripts do not run."""
from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for

from schemas.requests import load_batch
from service.clock import utcnow
from service.errors import InvalidBatch
from service.jobs import batches
from service.jobs import progress as following
from service.jobs.queue import runner_for
from service.store import database

from .blueprint import bp
from .lists import list_page, listed

# The form's words for what the batch request's schema refuses, by the field it names
FORM_PROBLEMS = {"packages": "请至少选择一项要生成的材料", "format": "请选择生成的格式",
                 "branches": "当前筛选条件下没有支部：请改变筛选条件，或选择“全部支部”"}


@bp.post("/batches")
def start_batch():
    """Create the batch through service.jobs, as POST /api/v1/batches does; then show its progress."""
    form = request.form
    body = {"packages": form.getlist("packages"), "format": form.get("format"),
            "branches": [row["code"] for row in listed(form)[1]] if form.get("scope") == "shown" else None}
    actor = (form.get("actor") or "").strip()
    if actor:
        body["actor"] = actor
    try:
        runner = runner_for(current_app)
        batch_id = batches.create(database(current_app), runner, load_batch(body), utcnow())
    except InvalidBatch as err:
        problems = [FORM_PROBLEMS.get(e["path"], e["message"]) for e in err.errors] or [err.message]
        return list_page(form, list(dict.fromkeys(problems)), 422)
    return redirect(url_for(".batch", batch_id=batch_id), code=303)


@bp.get("/batches/<batch_id>")
def batch(batch_id: str):
    """A batch's progress: the bar, the counts, each failed branch with its reason, then the download."""
    state = following.progress(database(current_app), runner_for(current_app), batch_id)
    failed = [b for b in state["branches"] if b["state"] == "failed"]
    return render_template("web/district/batch.html", p=state, failed=failed,
                           poll=url_for("batches.progress", batch_id=batch_id))
