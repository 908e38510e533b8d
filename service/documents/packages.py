"""The deliverables as they are uploaded: single files, the tables zip, the `all` zip, the print packet."""
from __future__ import annotations

import io
import zipfile
from concurrent.futures import ThreadPoolExecutor
from typing import Optional

from service.domain import naming
from service.domain.model import Dataset
from service.errors import UnknownDocument, UnsupportedFormat

from .catalog import MIMETYPES, PRINT_IDS, TABLE_IDS, Converter, Output, document, render_document, render_office, to_pdf
from .determinism import FIXED_TIME

SINGLE = ("work_plan", "stage_summary", "final_report")  # a deliverable that is one document
PACKAGE_IDS = ("work_plan", "tables", "stage_summary", "final_report", "all", "print")


def zip_bytes(entries: list[tuple[str, bytes]]) -> bytes:
    """A zip with UTF-8 entry names (flag set by zipfile for non-ASCII) and fixed timestamps."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0  # MS-DOS: Windows Explorer reads attributes the plain way
            zf.writestr(info, data)
    return out.getvalue()


def _documents(ds: Dataset, doc_ids: tuple[str, ...], pdf: bool, converter: Optional[Converter]) -> list[Output]:
    """Several documents; PDF conversions run side by side, as many as the pool has instances."""
    if not pdf:
        return [render_document(ds, d) for d in doc_ids]
    offices = [(d, render_office(ds, d)) for d in doc_ids]
    workers = max(1, min(len(offices), len(getattr(converter, "instances", ())) or 1))
    # Largest first: the long 附件3 starts at once instead of finishing last on its own.
    order = sorted(range(len(offices)), key=lambda i: -len(offices[i][1]))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        done = dict(zip(order, pool.map(
            lambda i: to_pdf(offices[i][1], document(offices[i][0]).kind, converter), order)))
    pdfs = [done[i] for i in range(len(offices))]
    return [
        Output(data, naming.file_name(ds.org, d, "pdf"), naming.ascii_name(ds.org, d, "pdf"), MIMETYPES["pdf"])
        for (d, _), data in zip(offices, pdfs)
    ]


def _zip_output(ds: Dataset, key: str, outputs: list[Output]) -> Output:
    data = zip_bytes([(o.filename, o.data) for o in outputs])
    return Output(data, naming.file_name(ds.org, key, "zip"), naming.ascii_name(ds.org, key, "zip"), MIMETYPES["zip"])


def render_package(ds: Dataset, package_id: str, fmt: Optional[str] = None,
                   converter: Optional[Converter] = None) -> Output:
    """A deliverable of forms.md §1 in office formats (default) or PDF; `print` is PDF only."""
    if package_id not in PACKAGE_IDS:
        raise UnknownDocument(f"没有编号为「{package_id}」的材料包，可用的有：{'、'.join(PACKAGE_IDS)}")
    fmt = fmt or ("pdf" if package_id == "print" else "office")
    if fmt in ("docx", "xlsx", "zip"):
        fmt = "office"
    if fmt not in ("office", "pdf") or (package_id == "print" and fmt != "pdf"):
        raise UnsupportedFormat(f"材料包「{package_id}」不提供 {fmt} 格式（可选：office、pdf）")
    pdf = fmt == "pdf"
    if package_id in SINGLE:
        return _documents(ds, (package_id,), pdf, converter)[0]
    if package_id == "tables":
        return _zip_output(ds, "tables", _documents(ds, TABLE_IDS, pdf, converter))
    if package_id == "print":
        from .pdf import merge

        merged = merge([o.data for o in _documents(ds, PRINT_IDS, True, converter)])
        return Output(merged, naming.file_name(ds.org, "print", "pdf"), naming.ascii_name(ds.org, "print", "pdf"), MIMETYPES["pdf"])
    # all: the four deliverables exactly as they would be uploaded
    singles = _documents(ds, SINGLE + TABLE_IDS, pdf, converter)
    by_id = dict(zip(SINGLE + TABLE_IDS, singles))
    tables_zip = _zip_output(ds, "tables", [by_id[d] for d in TABLE_IDS])
    parts = [by_id["work_plan"], tables_zip, by_id["stage_summary"], by_id["final_report"]]
    return _zip_output(ds, "all", parts)
