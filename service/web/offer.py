"""What the result page offers: the key figures, and the deliverables with their due dates and links."""
from __future__ import annotations

from dataclasses import dataclass, field

from service.domain import catalog
from service.domain import figures
from service.domain.model import Dataset

KEY_FIGURES = (("A1", "纳入排查党员"), ("C1", "外出流动党员"), ("D1", "“空挂”党员"), ("E1", "“失联”党员"), ("G1", "出国（境）党员"))


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
    """The four submissions of the notice, each table alone, and the whole lot, all from the catalog."""
    dl = ds.campaign.deadlines
    pkgs, docs = catalog.PACKAGES, catalog.DOCUMENTS

    def due(pkg) -> str:
        return _due(getattr(dl, pkg.deadline)) if pkg.deadline else ""

    def as_document(pkg_id: str) -> Offer:  # a deliverable that is one document is offered as that
        return Offer("报送材料", pkgs[pkg_id].name, due(pkgs[pkg_id]), "documents", pkg_id, docs[pkg_id].formats)

    offers = [as_document(p) if pkgs[p].shape == "single"
              else Offer("报送材料", pkgs[p].name, due(pkgs[p]), "packages", p, pkgs[p].formats)
              for p in catalog.DELIVERABLE_IDS]
    for doc_id in catalog.TABLE_IDS:
        offers.append(Offer("单独下载各表", docs[doc_id].title, due(pkgs["tables"]), "documents", doc_id, docs[doc_id].formats))
    offers.append(Offer("其他", pkgs["print"].name, due(pkgs["print"]), "packages", "print", pkgs["print"].formats))
    report = docs["verification_report"]
    offers.append(Offer("其他", f"{report.title}（供{catalog.DISTRICT.short_name}核查用）", "", "documents", report.id,
                        report.formats))
    offers.append(Offer("全部", pkgs["all"].name, "", "packages", "all", pkgs["all"].formats))
    return offers
