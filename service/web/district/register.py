"""排查工作与党组织名单: the district's campaign form, the upload of its list of branches, and the list.

The campaign form goes through schemas.register.load_campaign as PUT /api/v1/campaign does; the upload
through service.intake.register_file as `paicha branches import` does: a list with any bad row is not
imported at all (the district fixes its file and sends it again, rather than wonder which rows went in),
and the page comes back (422) with each problem by its row and column.
"""
from __future__ import annotations

from typing import Optional

from flask import current_app, redirect, render_template, request, url_for

from schemas.register import load_campaign
from service.access import guard
from service.domain import catalog
from service.errors import BadUpload, InvalidRegister
from service.intake.register_file import read_register
from service.store import campaign as campaigns
from service.store import database, now
from service.store import register as registry

from .blueprint import bp

DAYS = ("stats_date", *catalog.DELIVERABLE_IDS)
FORM_FIELDS = {"name": "名称", "stats_date": "统计截止日期",
               **{f"deadlines.{d}": f"{label}报送期限" for d, label in catalog.DELIVERABLE_LABELS.items()}}


def register_page(campaign_form: Optional[dict] = None, campaign_errors: Optional[list[str]] = None,
                  upload_error: Optional[str] = None, upload_errors: Optional[list[dict]] = None, status: int = 200):
    app = current_app._get_current_object()
    with database(app).reading() as session:
        stored = campaigns.current(session)
        listing = registry.listing(session)
    shown = campaigns.as_answer(stored)
    form = campaign_form or {"name": shown["name"], "stats_date": shown["stats_date"], **shown["deadlines"]}
    html = render_template(
        "web/district/register.html", campaign=shown, form=form, campaign_errors=campaign_errors or [],
        upload_error=upload_error, upload_errors=upload_errors or [], listing=listing,
        saved=request.args.get("saved"), added=_count(request.args.get("added")),
        updated=_count(request.args.get("updated")))
    return html, status


def _count(text: Optional[str]) -> Optional[int]:
    return int(text) if text and text.isdigit() and len(text) < 7 else None


@bp.get("/register")
def register():
    """The campaign as set (or the notice's), its form, the list's upload and the list."""
    return register_page()


@bp.post("/campaign")
def set_campaign():
    """Save the campaign form; a refused one comes back with each problem named by its field."""
    form = {key: (request.form.get(key) or "").strip() for key in ("name", *DAYS)}
    body = {"name": form["name"], "stats_date": form["stats_date"],
            "deadlines": {d: form[d] for d in catalog.DELIVERABLE_IDS}}
    blank = [FORM_FIELDS[key if key in ("name", "stats_date") else f"deadlines.{key}"] for key in ("name", *DAYS)
             if not form[key]]  # the form shows every field: an emptied one is a mistake, not "the notice's"
    try:
        if blank:
            raise InvalidRegister("", [{"path": "", "message": f"{label}：请填写"} for label in blank])
        campaign = load_campaign(body)
    except InvalidRegister as err:
        problems = [f"{FORM_FIELDS[e['path']]}：{e['message']}" if e["path"] in FORM_FIELDS else e["message"]
                    for e in err.errors]
        return register_page(form, problems, status=422)
    app = current_app._get_current_object()
    with database(app).writing() as session:
        campaigns.set_campaign(session, campaign, (guard.actor(None) or "")[:100] or None, now(app))
    guard.note(detail=f"设定排查工作「{campaign.name}」")
    return redirect(url_for(".register", saved="campaign", _anchor="campaign"), code=303)


@bp.post("/register")
def upload_register():
    """Import the district's list (.xlsx/.xls/.csv): all its rows, or none when any row is wrong."""
    storage = request.files.get("file")  # RequestEntityTooLarge beyond MAX_CONTENT_LENGTH
    try:
        if storage is None or not storage.filename:
            raise BadUpload("请先点击“选择文件”，选中本区的党组织名单（.xlsx、.xls 或 .csv）再导入")
        entries = read_register(storage.read(), storage.filename)
    except (BadUpload, InvalidRegister) as err:
        return register_page(upload_error=err.message, upload_errors=getattr(err, "errors", []), status=422)
    app = current_app._get_current_object()
    with database(app).writing() as session:
        changed = registry.upsert(session, entries, now(app))
    guard.note(detail=f"导入党组织名单：新增 {len(changed['added'])} 个，更新 {len(changed['updated'])} 个")
    return redirect(url_for(".register", added=len(changed["added"]), updated=len(changed["updated"]),
                            _anchor="register"), code=303)
