"""The documents: id → template and context; rendering by id in its own format or as PDF.

Every document is a projection of one Dataset, so every table agrees with every other. The API,
the CLI, the clerk pages and batch all call render_document / render_package.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional, Protocol

from service.domain import drafts, naming, tables
from service.domain.model import Dataset
from service.errors import ConversionUnavailable, UnknownDocument, UnsupportedFormat

from . import spreadsheet, word

MIMETYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "zip": "application/zip",
}


class Converter(Protocol):
    def convert(self, data: bytes, kind: str) -> bytes: ...


@dataclass(frozen=True)
class Document:
    id: str
    title: str  # how a clerk calls it
    kind: str  # docx | xlsx: the office format the template is in
    template: str
    context: Callable[[Dataset], dict]


@dataclass(frozen=True)
class Output:
    data: bytes
    filename: str  # the exact name of forms.md §1
    ascii_filename: str  # meaningful ASCII fallback for Content-Disposition
    mimetype: str


def _table(doc_id: str) -> Callable[[Dataset], dict]:
    return lambda ds: tables.table_context(ds, doc_id)


DOCUMENTS: dict[str, Document] = {
    d.id: d
    for d in (
        Document("work_plan", "工作方案", "docx", "work_plan.docx", drafts.work_plan_context),
        Document("member_register", "附件3 党员基本情况登记表", "docx", "member_register.docx", _table("member_register")),
        Document("member_roster", "附件4 党员名册", "xlsx", "member_roster.xlsx", _table("member_roster")),
        Document("outgoing_roster", "附件5 外出流动党员名册", "xlsx", "outgoing_roster.xlsx", _table("outgoing_roster")),
        Document("outgoing_summary", "附件6 外出流动党员情况汇总表", "xlsx", "outgoing_summary.xlsx", _table("outgoing_summary")),
        Document("recontacted_register", "附件7 经排查取得联系党员登记表", "xlsx", "recontacted_register.xlsx", _table("recontacted_register")),
        Document("unreachable_register", "附件8 经排查无法取得联系党员登记表", "xlsx", "unreachable_register.xlsx", _table("unreachable_register")),
        Document("campaign_summary", "附件9 党员组织关系排查工作情况汇总表", "xlsx", "campaign_summary.xlsx", _table("campaign_summary")),
        Document("stage_summary", "阶段性小结", "docx", "stage_summary.docx", drafts.stage_summary_context),
        Document("final_report", "工作总结", "docx", "final_report.docx", drafts.final_report_context),
        Document("verification_report", "核查情况", "docx", "verification_report.docx", drafts.verification_context),
    )
}
DOCUMENT_IDS = tuple(DOCUMENTS)
TABLE_IDS = (
    "member_register", "member_roster", "outgoing_roster", "outgoing_summary",
    "recontacted_register", "unreachable_register", "campaign_summary",
)
PRINT_IDS = TABLE_IDS[1:]  # 附件4–9: the paper copy that is sealed and handed in


def document(doc_id: str) -> Document:
    try:
        return DOCUMENTS[doc_id]
    except KeyError:
        raise UnknownDocument(f"没有编号为「{doc_id}」的文书，可用的有：{'、'.join(DOCUMENT_IDS)}") from None


def formats_of(doc_id: str) -> tuple[str, str]:
    return (document(doc_id).kind, "pdf")


def render_office(ds: Dataset, doc_id: str) -> bytes:
    """The document in its own office format (DOCX or XLSX), deterministic bytes."""
    doc = document(doc_id)
    context = doc.context(ds)
    if doc.kind == "docx":
        return word.render_docx(doc.template, context)
    return spreadsheet.render_xlsx(doc.template, context)


def to_pdf(data: bytes, kind: str, converter: Optional[Converter]) -> bytes:
    if converter is None:
        raise ConversionUnavailable(
            "PDF 转换不可用：服务器未安装或未启用 LibreOffice（libreoffice-writer-nogui、libreoffice-calc-nogui），"
            "Word/Excel 文件仍可下载"
        )
    return converter.convert(data, kind)


def render_document(ds: Dataset, doc_id: str, fmt: Optional[str] = None,
                    converter: Optional[Converter] = None) -> Output:
    """One document, named as forms.md §1, in its office format (default) or as PDF."""
    doc = document(doc_id)
    fmt = fmt or doc.kind
    if fmt not in (doc.kind, "pdf"):
        raise UnsupportedFormat(f"「{doc.title}」只提供 {doc.kind} 或 pdf 格式，不提供 {fmt}")
    data = render_office(ds, doc_id)
    if fmt == "pdf":
        data = to_pdf(data, doc.kind, converter)
    return Output(data, naming.file_name(ds.org, doc_id, fmt), naming.ascii_name(ds.org, doc_id, fmt), MIMETYPES[fmt])


# Packages build on the documents above; re-exported so callers need one module.
from .packages import PACKAGE_IDS, render_package  # noqa: E402,F401  (after the definitions packages uses)
