"""Every document and package, declared once: id, 附件 number, titles, labels, file-name parts, template,
formats; and the formats a caller may ask for, with the names the pages give them.

Naming, the renderers, the clerk and district pages, the CLI, batches, the API's path enumerations and
the OpenAPI document all read these tables; nothing else spells a document id, a title or a format.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

MIMETYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "zip": "application/zip",
}

# The formats of a package (and, for a document, its own office kind or PDF)
OFFICE, PDF = "office", "pdf"
PACKAGE_FORMATS = (OFFICE, PDF)  # what /packages/<id>?format= takes
BOTH = "both"
# What a batch or `paicha render --format` may ask for, and the package formats each stands for
RUN_FORMATS = {OFFICE: (OFFICE,), PDF: (PDF,), BOTH: (OFFICE, PDF)}
BATCH_FORMATS = tuple(RUN_FORMATS)
FORMAT_LABELS = {"docx": "Word", "xlsx": "Excel", OFFICE: "Word/Excel", PDF: "PDF", BOTH: "Word/Excel 和 PDF"}


@dataclass(frozen=True)
class Document:
    """One document of the campaign, rendered from one template."""

    id: str
    name: str  # the title as the notice writes it (党员名册, 工作方案 …)
    kind: str  # docx | xlsx: the office format of its template
    slug: str  # the ASCII part of its fallback download name
    attachment: Optional[int] = None  # 附件 number, for the tables 附件3–附件9
    file_title: Optional[str] = None  # the title part of its file name, when not `name`
    paged_per_member: bool = False  # one page per member: may be converted in parts and joined

    @property
    def title(self) -> str:
        """How a clerk calls it: 「附件4 党员名册」, 「工作方案」."""
        return f"附件{self.attachment} {self.name}" if self.attachment else self.name

    @property
    def file_part(self) -> str:
        """The title part of its file name (forms.md §1): 「附件4-党员名册」."""
        if self.file_title:
            return self.file_title
        return f"附件{self.attachment}-{self.name}" if self.attachment else self.name

    @property
    def template(self) -> str:
        return f"{self.id}.{self.kind}"

    @property
    def formats(self) -> tuple[str, str]:
        return (self.kind, PDF)

    @property
    def is_table(self) -> bool:
        return self.attachment is not None


@dataclass(frozen=True)
class Package:
    """A deliverable as it is uploaded: one document, a zip of documents or packages, or one PDF."""

    id: str
    name: str  # how the clerk page lists it
    file_title: str  # the title part of its file name
    slug: str
    members: tuple[str, ...]  # document ids (or, for `all`, package ids) it holds, in order
    shape: str  # single | zip | merged_pdf
    formats: tuple[str, ...]  # office and/or pdf
    deadline: Optional[str] = None  # the campaign deadline it is due by (campaign.deadlines key)
    label: Optional[str] = None  # a deliverable's short name in the district's lists (附件3—9)

    @property
    def pdf_only(self) -> bool:
        """Made as PDF whatever format is asked (the print packet): a request for it needs the PDF engine."""
        return self.formats == (PDF,)


DOCUMENT_LIST = (
    Document("work_plan", "工作方案", "docx", "work-plan", file_title="党员组织关系排查工作方案"),
    Document("member_register", "党员基本情况登记表", "docx", "att3-member-register", 3, paged_per_member=True),
    Document("member_roster", "党员名册", "xlsx", "att4-member-roster", 4),
    Document("outgoing_roster", "外出流动党员名册", "xlsx", "att5-outgoing-roster", 5),
    Document("outgoing_summary", "外出流动党员情况汇总表", "xlsx", "att6-outgoing-summary", 6),
    Document("recontacted_register", "经排查取得联系党员登记表", "xlsx", "att7-recontacted-register", 7),
    Document("unreachable_register", "经排查无法取得联系党员登记表", "xlsx", "att8-unreachable-register", 8),
    Document("campaign_summary", "党员组织关系排查工作情况汇总表", "xlsx", "att9-campaign-summary", 9),
    Document("stage_summary", "阶段性小结", "docx", "stage-summary"),
    Document("final_report", "工作总结", "docx", "final-report", file_title="党员组织关系排查工作总结"),
    Document("verification_report", "核查情况", "docx", "verification-report"),
)
DOCUMENTS: dict[str, Document] = {d.id: d for d in DOCUMENT_LIST}
DOCUMENT_IDS = tuple(DOCUMENTS)
TABLE_IDS = tuple(d.id for d in DOCUMENT_LIST if d.is_table)
NARRATIVE_IDS = tuple(d.id for d in DOCUMENT_LIST if not d.is_table)

PACKAGE_LIST = (
    Package("work_plan", "党员组织关系排查工作方案", "党员组织关系排查工作方案", "work-plan",
            ("work_plan",), "single", PACKAGE_FORMATS, "work_plan", label="工作方案"),
    Package("tables", "相关表格（附件3—附件9，压缩包）", "党员组织关系排查相关表格", "tables",
            TABLE_IDS, "zip", PACKAGE_FORMATS, "tables", label="附件3—9"),
    Package("stage_summary", "阶段性小结", "阶段性小结", "stage-summary",
            ("stage_summary",), "single", PACKAGE_FORMATS, "stage_summary", label="阶段性小结"),
    Package("final_report", "党员组织关系排查工作总结", "党员组织关系排查工作总结", "final-report",
            ("final_report",), "single", PACKAGE_FORMATS, "final_report", label="工作总结"),
    Package("all", "全部文书（一个压缩包）", "党员组织关系排查全部材料", "all-documents",
            ("work_plan", "tables", "stage_summary", "final_report"), "zip", PACKAGE_FORMATS),
    Package("print", "附件4—附件9 打印版（一个 PDF，盖章后交纸质稿）", "附件4-9打印版", "att4-9-print",
            TABLE_IDS[1:], "merged_pdf", (PDF,), "tables"),
)
PACKAGES: dict[str, Package] = {p.id: p for p in PACKAGE_LIST}
PACKAGE_IDS = tuple(PACKAGES)
DELIVERABLE_IDS = tuple(p.id for p in PACKAGE_LIST if p.id in PACKAGES["all"].members)
DELIVERABLE_LABELS = {p: PACKAGES[p].label for p in DELIVERABLE_IDS}
PRINT_IDS = PACKAGES["print"].members

FORMATS = (*dict.fromkeys(d.kind for d in DOCUMENT_LIST), PDF)  # what /documents/<id>?format= takes


@dataclass(frozen=True)
class District:
    """The district that gathers every branch's data: who fills its roll-ups, how its files are named."""

    full_name: str  # 填报单位 of the district tables: the branches' 上级党组织 (campaign.superior_org's default)
    short_name: str  # how the notice calls it
    file_prefix: str  # the first part of every district file name
    ascii_prefix: str  # the same, in the ASCII fallback name


DISTRICT = District("中共常州市武进区委教育工作委员会", "区委教育工委", "武进区教育系统", "wujin-education")
# `{前缀}-{title}-{YYYYMMDD}` (+ extension): the district tables (附件6, 附件9) and the zip of every branch's
# 核查情况, dated by the (Beijing) day they were made; title as file_title() gives it (附件9-党员组织关系排查工作情况汇总表)
DISTRICT_FILE = "{prefix}-{title}-{day:%Y%m%d}"
DISTRICT_TABLE_IDS = ("outgoing_summary", "campaign_summary")  # the tables with one row per branch
DISTRICT_TEMPLATE = "{id}_district.xlsx"  # their district variant: 填报单位 and a note under 合计
# documents the district makes of its own, named by DISTRICT_FILE too: 武进区教育系统-随机抽查清单-20230725.docx
DISTRICT_DOCUMENTS: dict[str, Document] = {d.id: d for d in (
    Document("spot_check", "随机抽查清单", "docx", "spot-check"),
)}


def file_title(key: str) -> str:
    """The title part of the file name of a document or package id; KeyError names the known ids."""
    if key in DOCUMENTS:
        return DOCUMENTS[key].file_part
    if key in PACKAGES:
        return PACKAGES[key].file_title
    if key in DISTRICT_DOCUMENTS:
        return DISTRICT_DOCUMENTS[key].file_part
    known = DOCUMENT_IDS + PACKAGE_IDS + tuple(DISTRICT_DOCUMENTS)
    raise KeyError(f"unknown document key {key!r}; known: {', '.join(known)}")


def slug(key: str) -> str:
    """The ASCII part of the fallback download name of a document or package id."""
    file_title(key)  # the same KeyError for an unknown key
    return next(t[key] for t in (DOCUMENTS, PACKAGES, DISTRICT_DOCUMENTS) if key in t).slug
