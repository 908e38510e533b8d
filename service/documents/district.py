"""The district's files: 附件6 and 附件9 with a row per branch, and every branch's 核查情况 in one zip.

The tables are filled from the stored figures of each branch's newest valid version (one query,
service.store.district) into the district variant of the branch templates, dated by the Beijing
day they are made. Their PDF is kept as an artifact keyed by the workbook's own hash, so the same
table asked again the same day converts nothing. Each 核查情况 comes through service.documents.stored,
so a branch's kept file is reused and only a new version is rendered.
"""
from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from typing import Optional

from service.domain import catalog, district, naming
from service.domain.catalog import MIMETYPES
from service.clock import beijing_day
from service.errors import ConversionUnavailable, NotValidVersion, UnsupportedFormat
from service.office import pagination, spreadsheet
from service.store import district as queries
from service.store.artifacts import Artifacts, Key
from service.store.db import Database

from . import stored
from .fingerprint import templates_hash
from .packages import zip_bytes
from .render import Converter, Output

TABLE_FORMATS = ("xlsx", "pdf")
REPORT_FORMATS = ("docx", "pdf")
REPORT = "verification_report"
NO_PDF = "PDF 转换不可用：服务器未启用 LibreOffice；Excel/Word 文件仍可下载"


def check_format(fmt: Optional[str], offered: tuple[str, ...], what: str) -> str:
    fmt = fmt or offered[0]
    if fmt not in offered:
        raise UnsupportedFormat(f"{what}只提供 {' 或 '.join(offered)} 格式，不提供 {fmt}")
    return fmt


def table_xlsx(db: Database, doc_id: str, day: date) -> Output:
    """A district table as XLSX: a row per branch with a valid version, 合计, and the note."""
    with db.reading() as session:
        branches, unreported = queries.latest_figures(session)
    context = district.table_context(doc_id, branches, unreported, day)
    data = spreadsheet.render_xlsx(catalog.DISTRICT_TEMPLATE.format(id=doc_id), context,
                                   pagination.keep_end_with_rows)  # 合计 never alone on a last page
    return _named(doc_id, "xlsx", day, data)


def table(db: Database, artifacts: Artifacts, doc_id: str, fmt: Optional[str], converter: Optional[Converter],
          now: datetime) -> Output:
    """A district table (附件6 or 附件9) as XLSX (default) or PDF."""
    title = catalog.DOCUMENTS[doc_id].title
    fmt = check_format(fmt, TABLE_FORMATS, f"全区「{title}」")
    if fmt == "pdf" and converter is None:
        raise ConversionUnavailable(NO_PDF)
    day = beijing_day(now)
    xlsx = table_xlsx(db, doc_id, day)
    if fmt == "xlsx":
        return xlsx
    key = Key(hashlib.sha256(xlsx.data).hexdigest(), templates_hash(), "document", f"district_{doc_id}", "pdf")
    return stored.kept_or_made(db, artifacts, key, now,
                               lambda: _named(doc_id, "pdf", day, converter.convert(xlsx.data, "xlsx")))


def verification_reports(db: Database, artifacts: Artifacts, fmt: Optional[str], converter: Optional[Converter],
                         now: datetime) -> Output:
    """Every branch's 核查情况 (of its newest valid version) in one zip, each under its forms.md name."""
    fmt = check_format(fmt, REPORT_FORMATS, "核查情况")
    if fmt == "pdf" and converter is None:
        raise ConversionUnavailable(NO_PDF)
    with db.reading() as session:
        versions = queries.latest_valid_versions(session)
    if not versions:
        raise NotValidVersion("尚无党组织报送有效数据，没有可打包的核查情况")

    def one(kept: queries.Kept) -> Output:
        dataset = stored.loader(lambda: _dataset(db, kept.submission_id))
        return stored.document_output(db, artifacts, kept.content_hash, dataset, REPORT, fmt, converter, now)

    # Word files are made in this process (threads would only queue on the interpreter); PDFs side by
    # side on as many LibreOffice instances as the converter has
    width = max(1, int(getattr(converter, "parallelism", 1) or 1)) if fmt == "pdf" else 1
    with ThreadPoolExecutor(max_workers=width) as pool:
        outputs = list(pool.map(one, versions))
    day = beijing_day(now)
    return _named(REPORT, "zip", day, zip_bytes([(o.filename, o.data) for o in outputs]))


def _dataset(db: Database, submission_id: int) -> dict:
    with db.reading() as session:
        return queries.dataset_of(session, submission_id)


def _named(key: str, ext: str, day: date, data: bytes) -> Output:
    return Output(data, naming.district_file_name(key, ext, day), naming.district_ascii_name(key, ext, day),
                  MIMETYPES[ext])
