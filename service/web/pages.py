"""Handlers of the clerk pages: thin — upload checks, intake and the catalog do the work."""
from __future__ import annotations

import logging
from pathlib import Path

from flask import current_app, redirect, render_template, request, url_for
from werkzeug.exceptions import NotFound, RequestEntityTooLarge

import schemas
from service.api.downloads import send_output
from service.documents import packages, render
from service.documents.render import Output
from service.domain.verification import verification_code
from service.errors import BadUpload, PaichaError, TooLarge
from service.intake import upload
from service.intake.check import Checked, check_json, check_workbook
from service.intake.marks import marked_workbook
from service.intake.reader import CellError
from service.intake.spec import WORKBOOK_ASCII_NAME, WORKBOOK_NAME

from . import bp
from .offer import FORMAT_LABELS, deliverables, key_figures

log = logging.getLogger(__name__)
RESULT = "result.json"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def store() -> upload.UploadStore:
    config = current_app.config
    root = config.get("UPLOAD_DIR") or Path(current_app.instance_path) / "uploads"
    return upload.UploadStore(root, config.get("UPLOAD_KEEP_DAYS", upload.DEFAULT_KEEP_DAYS))


def limit() -> int:
    return current_app.config.get("MAX_CONTENT_LENGTH") or upload.MAX_BYTES


@bp.get("/")
def index():
    return render_template("web/index.html", keep_days=store().keep_seconds // 86400, limit_mb=limit() // 2**20)


@bp.get("/workbook")
def workbook():
    """The blank 数据采集表 (the same file as GET /api/v1/workbook)."""
    from service.intake.workbook import blank_workbook

    return _file(blank_workbook(), WORKBOOK_NAME, WORKBOOK_ASCII_NAME, XLSX)


@bp.post("/upload")
def upload_file():
    """Store the upload first, then check it; a refused file shows the form again with the reason."""
    try:
        token = _receive()
    except (BadUpload, TooLarge, RequestEntityTooLarge) as err:
        message = err.message if isinstance(err, PaichaError) else upload.size_message(limit())
        status = 400 if isinstance(err, BadUpload) else 413
        page = render_template("web/index.html", error=message, keep_days=store().keep_seconds // 86400,
                               limit_mb=limit() // 2**20)
        return page, status
    return redirect(url_for("web.result", token=token), code=303)


def _receive() -> str:
    storage = request.files.get("file")  # RequestEntityTooLarge beyond MAX_CONTENT_LENGTH
    if storage is None or not storage.filename:
        raise BadUpload("请先点击“选择文件”，选中填好的数据采集表（.xlsx）再上传")
    content = storage.read()
    kind = upload.check(content, storage.filename, limit())
    uploads = store()
    stored = uploads.save(content, kind, storage.filename)  # kept before anything else can fail
    try:
        checked = check_workbook(content) if kind == "xlsx" else check_json(upload.check_json(content))
        summary = _summary(checked)
    except BadUpload:
        raise
    except Exception:  # the file is kept; the clerk gets it back with a message, never a lost upload
        log.exception("could not check upload %s", stored.token)
        summary = {"ok": False, "errors": [{"sheet": "", "row": None, "column": "", "cell": "", "message":
                   "系统未能读取这个文件（已保存，可从本页下载原文件）。请检查是否为本系统的数据采集表，或联系区委教育工委。"}],
                   "warnings": [], "dataset": None, "org": None, "figures": None}
    uploads.put_json(stored, RESULT, summary)
    return stored.token


def _summary(checked: Checked) -> dict:
    ds = checked.dataset
    return {
        **checked.as_dict(),
        "ok": checked.ok,
        "org": {"code": ds.org.code, "name": ds.org.name, "full_name": ds.org.full_name} if ds else None,
        "figures": key_figures(ds) if ds else None,
        "verification_code": verification_code(ds) if ds else None,  # the 校验码 every printed page carries
    }


def _link(token: str, item, fmt: str) -> str:
    if item.kind == "documents":
        return url_for("web.document", token=token, doc_id=item.id, format=fmt)
    return url_for("web.package", token=token, package_id=item.id, format=fmt)


def _load(token: str):
    stored = store().get(token)
    result = store().get_json(stored, RESULT) if stored else None
    if stored is None or result is None:
        raise NotFound()
    return stored, result


@bp.get("/result/<token>")
def result(token: str):
    stored, result = _load(token)
    offer = deliverables(schemas.load_dataset(result["dataset"])) if result["ok"] else []
    for item in offer:
        item.links = [(fmt, FORMAT_LABELS[fmt], _link(token, item, fmt)) for fmt in item.formats]
    return render_template("web/result.html", token=token, stored=stored, r=result, offer=offer,
                           keep_days=store().keep_seconds // 86400)


@bp.get("/result/<token>/original")
def original(token: str):
    stored, _ = _load(token)
    mimetype = XLSX if stored.kind == "xlsx" else "application/json"
    return _file(stored.path.read_bytes(), stored.download_name, f"paicha-upload.{stored.kind}", mimetype)


@bp.get("/result/<token>/marked")
def marked(token: str):
    stored, result = _load(token)
    if stored.kind != "xlsx":
        raise NotFound()
    errors = [_cell_error(e) for e in result["errors"]]
    warnings = [_cell_error(w) for w in result["warnings"]]
    data = marked_workbook(stored.path.read_bytes(), errors, warnings)
    stem = stored.download_name.rsplit(".", 1)[0]
    return _file(data, f"{stem}-错误标注.xlsx", "paicha-marked.xlsx", XLSX)


def _cell_error(item: dict) -> CellError:
    fields = ("sheet", "row", "column", "cell", "message", "detail", "path", "rule")
    return CellError(**{k: item.get(k) for k in fields})


@bp.get("/result/<token>/documents/<doc_id>")
def document(token: str, doc_id: str):
    ds = _dataset(token)
    fmt = request.args.get("format") or None
    return send_output(render.render_document(ds, doc_id, fmt, _converter(fmt)))


@bp.get("/result/<token>/packages/<package_id>")
def package(token: str, package_id: str):
    ds = _dataset(token)
    fmt = request.args.get("format") or None
    needs_pdf = fmt == "pdf" or package_id == "print"
    return send_output(packages.render_package(ds, package_id, fmt, _converter("pdf" if needs_pdf else None)))


def _dataset(token: str):
    _, result = _load(token)
    if not result["ok"]:
        raise BadUpload("这份数据还有错误，不能生成文书。请按结果页列出的错误修改后重新上传")
    return schemas.load_dataset(result["dataset"])


def _converter(fmt):
    if fmt != "pdf":
        return None
    from service.pdf_runtime import converter_for

    return converter_for(current_app._get_current_object())


def _file(data: bytes, name: str, ascii_name: str, mimetype: str):
    return send_output(Output(data, name, ascii_name, mimetype))
