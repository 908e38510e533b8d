"""Handlers of the clerk pages: thin — upload checks, intake, the store and the catalog do the work.

Every upload becomes a submission (source upload) of the branch its workbook names, committed
before the clerk sees anything; the result page is rendered from that stored submission, so its
address keeps working after a restart, on any worker. A workbook of a branch that is not the
signed-in clerk's own is refused before it is stored (service.access: the result pages are the
branch's, guarded by the access policy).
"""
from __future__ import annotations

import logging
from types import SimpleNamespace
from typing import Optional

from flask import current_app, redirect, render_template, request, url_for
from werkzeug.exceptions import NotFound, RequestEntityTooLarge

from service.access import guard
from service.documents import packages
from service.documents import stored as stored_documents
from service.documents.render import Output
from service.domain import catalog
from service.errors import BadUpload, Forbidden, PaichaError, TooLarge
from service.http.downloads import send_output
from service.http.query import format_of
from service.intake import cell_fix, upload
from service.intake.marks import marked_workbook
from service.intake.reader import CellError
from service.intake.received import from_upload
from service.intake.spec import WORKBOOK_ASCII_NAME, WORKBOOK_NAME
from service.store import artifacts_of, database, now, submissions
from service.store.clerk import submission_page

from . import sending
from .blueprint import bp
from .offer import deliverables, key_figures

log = logging.getLogger(__name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def limit() -> int:
    return current_app.config.get("MAX_CONTENT_LENGTH") or upload.MAX_BYTES


@bp.get("/")
def index():
    return render_template("web/index.html", limit_mb=limit() // 2**20)


@bp.get("/workbook")
def workbook():
    """The blank 数据采集表 (the same file as GET /api/v1/workbook)."""
    from service.intake.workbook import blank_workbook

    return _file(blank_workbook(), WORKBOOK_NAME, WORKBOOK_ASCII_NAME, XLSX)


@bp.post("/upload")
def upload_file():
    """Store the upload first, then answer; a refused file shows the form again with the reason."""
    try:
        token = _receive()
    except (BadUpload, TooLarge, Forbidden, RequestEntityTooLarge) as err:
        message = err.message if isinstance(err, PaichaError) else upload.size_message(limit())
        return render_template("web/index.html", error=message, limit_mb=limit() // 2**20), refusal_status(err)
    return redirect(url_for("web.result", token=token), code=303)


def refusal_status(err: Exception) -> int:
    """What a refused upload answers: the form again, with the reason."""
    return 413 if isinstance(err, (TooLarge, RequestEntityTooLarge)) else 403 if isinstance(err, Forbidden) else 400


def _receive() -> str:
    storage = request.files.get("file")  # RequestEntityTooLarge beyond MAX_CONTENT_LENGTH
    if storage is None or not storage.filename:
        raise BadUpload("请先点击“选择文件”，选中填好的数据采集表（.xlsx）再上传")
    content = storage.read()
    if not content:
        raise BadUpload("上传的文件是空的，请重新选择文件")
    received = from_upload(content, storage.filename, limit())
    guard.own_branch(submissions.branch_code(received.data))  # another branch's workbook: refused, not stored
    app = current_app._get_current_object()
    status = 303 if received.refused is None else refusal_status(received.refused)
    kept = submissions.submit(database(app), received, "upload", now(app), actor=guard.actor(),  # committed first
                              within=lambda session, sub: guard.audit_within(
                                  session, status, branch=submissions.branch_code(received.data), version=sub.version))
    if received.refused is not None:
        raise received.refused
    return kept.token


def _link(token: str, item, fmt: str) -> str:
    if item.kind == "documents":
        return url_for("web.document", token=token, doc_id=item.id, format=fmt)
    return url_for("web.package", token=token, package_id=item.id, format=fmt)


def _page(token: str):
    """The stored submission as its result page shows it (NotFound for an unknown token)."""
    with database(current_app).reading() as session:
        page = submission_page(session, token)
    if page is None:
        raise NotFound()
    return page


@bp.get("/result/<token>")
def result(token: str):
    return result_page(token)


def result_page(token: str, deliver_error: Optional[str] = None, status: int = 200):
    """The result page; with the reason a 报送 was refused (deliver_error) and its status."""
    page = _page(token)
    offer = deliverables(page.dataset) if page.dataset is not None else []
    for item in offer:
        item.links = [(fmt, catalog.FORMAT_LABELS[fmt], _link(token, item, fmt)) for fmt in item.formats]
    stored = SimpleNamespace(kind=page.kind, download_name=page.download_name)
    sent = request.args.get("sent")
    return render_template("web/result.html", token=token, stored=stored, r=_summary(page), offer=offer,
                           review=page.review, version=page.version, newest_version=page.newest_version,
                           deliver=sending.rows(page.branch_code, page.dataset, page.version),
                           deliver_error=deliver_error or (sending.CONFIRM if request.args.get("problem") == "confirm"
                                                           else None),
                           just_sent=catalog.DELIVERABLE_LABELS.get(sent) if isinstance(sent, str) else None,
                           editors=cell_fix.editors(page.errors, page.kind, page.input) if page.branch_code else [],
                           keep=cell_fix.KEEP), status  # 「修改后重新检查」: an input per error that names one value


def _summary(page) -> dict:
    """What the result page lists: the problems, the org and the key figures."""
    ds = page.dataset
    return {"ok": ds is not None, "errors": page.errors, "warnings": page.warnings, "dataset": page.input,
            "org": {"code": ds.org.code, "name": ds.org.name, "full_name": ds.org.full_name} if ds else None,
            "figures": key_figures(ds) if ds else None,
            "verification_code": page.verification_code}  # the 校验码 every printed page carries


@bp.get("/result/<token>/original")
def original(token: str):
    page = _page(token)
    mimetype = XLSX if page.kind == "xlsx" else "application/json"
    return _file(page.raw, page.download_name, f"paicha-upload.{page.kind}", mimetype)


@bp.get("/result/<token>/marked")
def marked(token: str):
    page = _page(token)
    if page.kind != "xlsx":
        raise NotFound()
    errors = [_cell_error(e) for e in page.errors]
    warnings = [_cell_error(w) for w in page.warnings]
    data = marked_workbook(page.raw, errors, warnings)
    stem = page.download_name.rsplit(".", 1)[0]
    return _file(data, f"{stem}-错误标注.xlsx", "paicha-marked.xlsx", XLSX)


def _cell_error(item: dict) -> CellError:
    fields = ("sheet", "row", "column", "cell", "message", "detail", "path", "rule")
    return CellError(**{k: item.get(k) for k in fields})


@bp.get("/result/<token>/documents/<doc_id>")
def document(token: str, doc_id: str):
    page = _valid(token)
    fmt = format_of(request.args)
    app = current_app._get_current_object()
    return send_output(stored_documents.document_output(database(app), artifacts_of(app), page.content_hash,
                                                        stored_documents.loader(lambda: page.canonical), doc_id, fmt, _converter(fmt), now(app)))


@bp.get("/result/<token>/packages/<package_id>")
def package(token: str, package_id: str):
    page = _valid(token)
    fmt = format_of(request.args)
    needs_pdf = fmt == catalog.PDF or packages.package(package_id).pdf_only
    app = current_app._get_current_object()
    return send_output(stored_documents.package_output(database(app), artifacts_of(app), page.content_hash,
                                                       stored_documents.loader(lambda: page.canonical), package_id, fmt,
                                                       _converter("pdf" if needs_pdf else None), now(app)))


def _valid(token: str):
    page = _page(token)
    if page.dataset is None:
        raise BadUpload("这份数据还有错误，不能生成文书。请按结果页列出的错误修改后重新上传")
    return page


def _converter(fmt):
    if fmt != "pdf":
        return None
    from service.pdf.runtime import converter_for

    return converter_for(current_app._get_current_object())


def _file(data: bytes, name: str, ascii_name: str, mimetype: str):
    return send_output(Output(data, name, ascii_name, mimetype))
