"""随机抽查 and 归档 on the district pages: the form that draws a sample and the list of draws, a
draw's result with its checklist; the button that starts the campaign archive and its progress
(static/archive.js polls GET /api/v1/district/archive/<id>). Thin: the API's own functions."""
from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for

from service.api import district_archive as archive_api
from service.api import spot_checks as spot_api
from service.errors import InvalidSpotCheck, NotValidVersion
from service.jobs import district_archive
from service.store import archives, database, spot_checks

from .blueprint import bp

FORM_PROBLEMS = {"branches": "抽取的党组织数应为 1–1000 的整数", "members": "每个党组织抽取的党员数应为 1–500 的整数",
                 "seed": "随机种子应为不小于 0 的整数（可不填，由系统选取）"}


def _number(text):
    """A form's number as the schema wants it: an int when it is digits, else the text (refused there)."""
    text = (text or "").strip()
    return int(text) if text.isdigit() and len(text) < 17 else (text or None)


def _spot_page(problems=None, form=None, status: int = 200):
    with database(current_app).reading() as session:
        rows, total = spot_checks.listed(session)
        draws = [spot_checks.as_dict(r, with_sample=False) for r in rows]
    return render_template("web/district/spot_checks.html", draws=draws, total=total, problems=problems or [],
                           form=form or {}), status


@bp.get("/spot-checks")
def spot_checks_page():
    """The 随机抽查 form and the draws made so far."""
    return _spot_page()


@bp.post("/spot-checks")
def draw_spot_check():
    form = request.form
    body = {"branches": _number(form.get("branches")), "members": _number(form.get("members")),
            "weighted": form.get("weighted") == "1"}
    if (form.get("seed") or "").strip():
        body["seed"] = _number(form.get("seed"))
    body = {k: v for k, v in body.items() if v is not None}
    try:
        drawn = spot_api.draw_now(current_app._get_current_object(), body)
    except InvalidSpotCheck as err:
        problems = [FORM_PROBLEMS.get(e["path"], e["message"]) for e in err.errors] or [err.message]
        return _spot_page(list(dict.fromkeys(problems)), form, 422)
    except NotValidVersion as err:
        return _spot_page([err.message], form, 409)
    return redirect(url_for(".spot_check", spot_id=drawn["id"]), code=303)


@bp.get("/spot-checks/<spot_id>")
def spot_check(spot_id: str):
    """A draw: its seed, who drew it, the branches and members drawn, the checklist to download."""
    with database(current_app).reading() as session:
        drawn = spot_checks.as_dict(spot_checks.get(session, spot_id))
    return render_template("web/district/spot_check.html", d=drawn)


@bp.get("/spot-checks/<spot_id>/checklist")
def spot_check_checklist(spot_id: str):
    return spot_api.checklist(spot_id)


@bp.get("/archive")
def archive_page():
    """The 归档 button, the archives built, the newest one to download."""
    with database(current_app).reading() as session:
        rows = [district_archive.progress(r) for r in archives.listed(session)]
    return render_template("web/district/archive.html", archives=rows,
                           ready=any(r["state"] == "finished" for r in rows))


@bp.post("/archive")
def start_archive():
    try:
        archive_api.start()
    except NotValidVersion as err:
        with database(current_app).reading() as session:
            rows = [district_archive.progress(r) for r in archives.listed(session)]
        return render_template("web/district/archive.html", archives=rows, problem=err.message,
                               ready=any(r["state"] == "finished" for r in rows)), 409
    return redirect(url_for(".archive_page"), code=303)


@bp.get("/archive/download")
def archive_download():
    return archive_api.download()
