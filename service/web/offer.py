"""What the result page offers: the key figures, and the deliverables with their due dates and links."""
from __future__ import annotations

from dataclasses import dataclass, field

from service.documents import catalog
from service.domain import figures
from service.domain.model import Dataset

KEY_FIGURES = (("A1", "纳入排查党员"), ("C1", "外出流动党员"), ("D1", "“空挂”党员"), ("E1", "“失联”党员"), ("G1", "出国（境）党员"))
FORMAT_LABELS = {"docx": "Word", "xlsx": "Excel", "office": "Word/Excel", "pdf": "PDF"}


def key_figures(ds: Dataset) -> list[dict]:
    summary = figures.campaign_summary(ds)
    return [{"code": code, "label": label, "value": summary.get(code, 0)} for code, label in KEY_FIGURES]


@dataclass
class Offer:
    group: str
    title: str
    due: str
    kind: str  # "documents" | "packages"
    id: str
    formats: tuple[str, ...]  # office format first, then pdf
    links: list = field(default_factory=list)  # (format, label, url), filled by the page


def _due(d) -> str:
    return f"{d.month}月{d.day}日前" if d else ""


def deliverables(ds: Dataset) -> list[Offer]:
    """The four submissions of the notice, each table alone, and the whole lot."""
    dl = ds.campaign.deadlines
    doc = catalog.DOCUMENTS
    offers = [
        Offer("报送材料", "党员组织关系排查工作方案", _due(dl.work_plan), "documents", "work_plan", ("docx", "pdf")),
        Offer("报送材料", "相关表格（附件3—附件9，压缩包）", _due(dl.tables), "packages", "tables", ("office", "pdf")),
        Offer("报送材料", "阶段性小结", _due(dl.stage_summary), "documents", "stage_summary", ("docx", "pdf")),
        Offer("报送材料", "党员组织关系排查工作总结", _due(dl.final_report), "documents", "final_report", ("docx", "pdf")),
    ]
    for doc_id in catalog.TABLE_IDS:
        offers.append(Offer("单独下载各表", doc[doc_id].title, _due(dl.tables), "documents", doc_id, (doc[doc_id].kind, "pdf")))
    offers.append(Offer("其他", "附件4—附件9 打印版（一个 PDF，盖章后交纸质稿）", _due(dl.tables), "packages", "print", ("pdf",)))
    offers.append(Offer("其他", "核查情况（供区委教育工委核查用）", "", "documents", "verification_report", ("docx", "pdf")))
    offers.append(Offer("全部", "全部文书（一个压缩包）", "", "packages", "all", ("office", "pdf")))
    return offers
