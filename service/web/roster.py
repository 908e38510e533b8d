"""The clerk's roster import pages: upload a school's own roster, confirm how its columns map, preview
what it would change, store it as the branch's next version.

The file waits in the store between the steps (service.store.rosters: a random token, its uploader
only, an expiry), never in the browser. Each step reads it again with the mapping the clerk confirmed.
"""
from __future__ import annotations

import re

from flask import current_app, redirect, render_template, request, url_for
from werkzeug.exceptions import NotFound, RequestEntityTooLarge

from service.access import guard
from service.errors import BadRoster, BadUpload, Forbidden, PaichaError, TooLarge
from service.intake import upload as uploads
from service.intake.roster import SpreadsheetReader
from service.store import database, now, roster_import, rosters

from .blueprint import bp
from .roster_view import (CHOICES, MappingForm, added_rows, based_on_text, change_rows, grouped_errors, mapping_rows,
                          read_form)

CODE = re.compile(r"^[A-Za-z0-9]{1,16}$")
EXPIRED = "这份花名册上传已超过 {hours:g} 小时，系统已不再保留，请重新上传"


class _AlreadyStored(Exception):
    def __init__(self, token: str):
        self.token = token


def _limit() -> int:
    return current_app.config.get("MAX_CONTENT_LENGTH") or uploads.MAX_BYTES


def _upload_page(error: str | None = None, status: int = 200, code: str = ""):
    who = guard.principal()
    mine = who.sole_branch() if who is not None and not who.district else None
    return render_template("web/roster_upload.html", error=error, mine=mine, code=code,
                           limit_mb=_limit() // 2**20), status


@bp.get("/roster")
def roster():
    return _upload_page()


@bp.post("/roster")
def roster_upload():
    """Read the file at once (a file that is no roster is refused here, with the reason), then keep it."""
    typed = (request.form.get("code") or "").strip()
    try:
        code = _branch(typed)
        storage = request.files.get("file")
        if storage is None or not storage.filename:
            raise BadUpload("请先点击“选择文件”，选中学校的党员花名册再上传")
        content = storage.read()
        if len(content) > _limit():
            raise TooLarge(f"文件太大：花名册不能超过 {_limit() // 2**20} MB")
        app = current_app._get_current_object()
        roster_import.read(database(app), content, storage.filename, code)
    except (BadUpload, BadRoster, TooLarge, Forbidden, RequestEntityTooLarge) as err:
        return _upload_page(*_refusal(err), typed)
    guard.note(branch=code)
    with database(app).writing() as session:
        token = rosters.keep_upload(session, code, guard.actor(), uploads.safe_name(storage.filename) or None, content,
                                    now(app), app.config["ROSTER_UPLOAD_HOURS"])
    return redirect(url_for("web.roster_mapping", upload=token), code=303)


def _refusal(err: Exception) -> tuple[str, int]:
    """The upload form's message and status for a refused roster."""
    if not isinstance(err, PaichaError):  # beyond MAX_CONTENT_LENGTH
        return f"文件太大：花名册不能超过 {_limit() // 2**20} MB", 413
    return err.message, {BadRoster: 422, TooLarge: 413, Forbidden: 403}.get(type(err), 400)


def _branch(typed: str) -> str:
    """The clerk's own branch; district staff name the branch they import for."""
    who = guard.principal()
    mine = who.sole_branch() if not who.district else None
    if mine is not None:
        return mine
    if not CODE.match(typed):
        raise BadUpload("请填写要导入的支部编号（学校党组织编号，1–16位字母或数字）")
    if not who.sees(typed):
        raise Forbidden(f"您的账号只能导入支部「{'、'.join(sorted(who.branches))}」的花名册，不能导入支部「{typed}」的")
    return typed


def _waiting(token: str):
    """The roster waiting behind the page's token, its uploader's and unexpired (404 otherwise)."""
    app = current_app._get_current_object()
    with database(app).reading() as session:
        row = rosters.upload_of(session, token, guard.actor() or "", content=True)
    if row is None or not guard.principal().sees(row.branch_code):
        raise NotFound()
    guard.note(branch=row.branch_code)
    if row.expires_at < now(app):
        raise BadUpload(EXPIRED.format(hours=app.config["ROSTER_UPLOAD_HOURS"]))
    return row


def _reading(row, sheet=None, confirmed=None):
    return roster_import.read(database(current_app), row.content, row.filename or "", row.branch_code,
                              sheet=sheet, confirmed=confirmed)


@bp.get("/roster/<upload>")
def roster_mapping(upload: str):
    row = _waiting(upload)
    sheet = (request.args.get("sheet") or "").strip() or row.sheet
    confirmed = row.mapping if row.mapping and sheet == row.sheet else None
    try:
        reading = _reading(row, sheet, confirmed)
    except BadRoster as err:
        sheets = [s.name for s in SpreadsheetReader().read(row.content, row.filename or "") if not s.is_empty()]
        return render_template("web/roster_mapping.html", row=row, reading=None, error=err.message, sheets=sheets,
                               sheet=sheet), 422
    return _mapping_page(row, reading, None, reading.samples(confirmed))


def _mapping_page(row, reading, form: MappingForm | None, samples, status: int = 200):
    columns = reading.answer["columns"] if form is None else reading.detected
    rows = mapping_rows(columns, samples, form)
    ignored = "、".join(f"{r.letter}「{r.header}」" for r in rows if not r.field)
    return render_template("web/roster_mapping.html", row=row, reading=reading, rows=rows, choices=CHOICES,
                           ignored=ignored, error=form.error if form else None, sheets=reading.sheet_names(),
                           sheet=reading.answer["sheet"]), status


@bp.post("/roster/<upload>/preview")
def roster_confirm(upload: str):
    """The mapping table as the clerk left it: kept, then the preview; or the table again, each error at its column."""
    row = _waiting(upload)
    sheet = (request.form.get("sheet") or "").strip() or None
    reading = _reading(row, sheet)
    form = read_form(request.form, reading.detected)
    if form.errors or form.error:
        return _mapping_page(row, reading, form, reading.samples(form.mapping), 422)
    with database(current_app).writing() as session:
        rosters.confirm_upload(session, row.id, reading.answer["sheet"], form.mapping)
    return redirect(url_for("web.roster_preview", upload=upload), code=303)


@bp.get("/roster/<upload>/preview")
def roster_preview(upload: str):
    row = _waiting(upload)
    if row.mapping is None:
        return redirect(url_for("web.roster_mapping", upload=upload), code=303)
    reading = _reading(row, row.sheet, row.mapping)
    merged, base = roster_import.preview(database(current_app), row.branch_code, reading)
    return render_template("web/roster_preview.html", row=row, reading=reading, preview=merged.preview,
                           added=added_rows(merged.preview["added"]), changes=change_rows(merged.preview["changed"]),
                           errors=merged.errors, grouped=grouped_errors(merged.errors),
                           based_on=based_on_text(base.as_dict()))


@bp.post("/roster/<upload>/store")
def roster_store(upload: str):
    """Store the merge as the branch's next version and show its result page; a second click shows the same page."""
    row = _waiting(upload)
    if row.stored_token:
        return redirect(url_for("web.result", token=row.stored_token), code=303)
    if row.mapping is None:
        return redirect(url_for("web.roster_mapping", upload=upload), code=303)
    app = current_app._get_current_object()
    reading = _reading(row, row.sheet, row.mapping)

    def within(session, sub):
        earlier = rosters.claim_upload(session, row.id, sub.token)
        if earlier is not None:
            raise _AlreadyStored(earlier)  # rolled back: the version the first click stored stands alone
        guard.audit_within(session, 303, branch=row.branch_code, version=sub.version)

    try:
        kept, _, _ = roster_import.store(database(app), row.branch_code, reading, row.content, row.filename or "",
                                         now(app), guard.actor(), within)
    except _AlreadyStored as done:
        return redirect(url_for("web.result", token=done.token), code=303)
    return redirect(url_for("web.result", token=kept.token), code=303)
