"""The district pages' downloads: a branch's deliverables and its pre-filled workbook, the district's
附件6/附件9, every 核查情况 in one zip, a batch's zip.

Each handler is the API's own view called as a function (the same reading, rendering and keeping of
files, the same `format` argument); only the address differs, so that a refusal — PDF unavailable,
no valid version yet — comes back as a Chinese page with a way back instead of JSON.
"""
from __future__ import annotations

from service.api import batches as batch_api
from service.api import branch_files, district as district_api
from service.domain import catalog
from service.errors import UnknownDocument

from .blueprint import bp

TABLES = {"outgoing_summary": district_api.outgoing_summary, "campaign_summary": district_api.campaign_summary}


@bp.get("/branches/<code>/packages/<package_id>")
def branch_package(code: str, package_id: str):
    """A deliverable as the branch sent it — its newest valid version where it sent none, and for the
    packages that are no deliverable (?format=office|pdf)."""
    return branch_files.package_of(code, package_id, as_sent=True)


@bp.get("/branches/<code>/workbook")
def branch_workbook(code: str):
    """The clerk workbook filled with the branch's newest valid version."""
    return branch_files.branch_workbook(code)


@bp.get("/totals/<doc_id>")
def district_table(doc_id: str):
    """全区 附件6 or 附件9 (?format=xlsx|pdf)."""
    if doc_id not in TABLES:
        raise UnknownDocument(f"没有全区汇总表「{doc_id[:40]}」：可下载的有 "
                              + "、".join(catalog.DOCUMENTS[d].title for d in TABLES))
    return TABLES[doc_id]()


@bp.get("/verification_reports")
def verification_reports():
    """Every branch's 核查情况 in one zip (?format=docx|pdf)."""
    return district_api.verification_reports()


@bp.get("/batches/<batch_id>/download")
def batch_download(batch_id: str):
    """A finished batch's zip."""
    return batch_api.download(batch_id)
