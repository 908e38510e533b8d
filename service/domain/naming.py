"""File names fixed by the notice (forms.md §1), Windows-safe, with an ASCII fallback (STUB: helper B)."""
from __future__ import annotations

from .model import Org

# deliverable / document key → the title part of its name
DELIVERABLE_TITLES = {
    "work_plan": "党员组织关系排查工作方案",
    "tables": "党员组织关系排查相关表格",
    "stage_summary": "阶段性小结",
    "final_report": "党员组织关系排查工作总结",
}


def file_name(org: Org, key: str, ext: str) -> str:
    """`{编号}-{名称}-{title}.{ext}` for a deliverable key, a document id (附件N-… for tables,
    核查情况 for verification_report, 打印包 for the print packet) or the `all` package."""
    raise NotImplementedError


def ascii_name(org: Org, key: str, ext: str) -> str:
    """Meaningful ASCII fallback for Content-Disposition, e.g. `WJ017-tables.zip`."""
    raise NotImplementedError
