"""报送, one deliverable at a time (issue 18 part 2): what a 报送 is, what each deliverable must report
before it can be sent, and what the district reads of the 报送 kept.

Storing a dataset is 保存; a 报送 is a separate act per deliverable, of one valid version. The
deliverable's status (domain.deadlines) counts from its own current 报送. A second 报送 replaces the
first (the district sees 「已重新报送」); a 退回修改 of a version reopens every deliverable sent from it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Optional

from .catalog import DELIVERABLE_IDS, DELIVERABLE_LABELS

RESENT_LABEL = "已重新报送"
UNSENT_LABEL = "未报送，按最新有效版本"  # a district figure read from a version nobody sent
REOPENED_LABEL = "已退回，待重新报送"

# The fields a narrative deliverable reports on, which must be filled before it is sent: the 阶段性小结
# (7月25日) reports the 三查三核 and the first handling plan; the 工作总结 (10月15日) what was done in
# the 整改规范 stage and the 长效化管理措施. (path in the dataset, its Chinese name)
REQUIRED: dict[str, tuple[tuple[str, str], ...]] = {
    "stage_summary": (("stage_summary.checks", "三查三核情况"), ("stage_summary.plan", "初步处理方案")),
    "final_report": (("final_report.work_done", "主要工作（整改规范阶段）"),
                     ("final_report.long_term_measures", "长效化管理措施（至少一条）")),
}


@dataclass(frozen=True)
class Sent:
    """A deliverable's current 报送: the version sent, when, its 校验码; resent when it replaced an earlier one."""

    version: int
    at: datetime
    verification_code: Optional[str]
    resent: bool = False


def missing(deliverable: str, dataset: dict[str, Any]) -> list[dict[str, str]]:
    """The fields `deliverable` reports on that the stored (canonical) dataset leaves empty, as error
    items {path, message}; [] when it can be sent."""
    out = []
    for path, name in REQUIRED.get(deliverable, ()):
        section, key = path.split(".")
        value = (dataset.get(section) or {}).get(key)
        filled = any(isinstance(v, str) and v.strip() for v in value) if isinstance(value, list) \
            else isinstance(value, str) and bool(value.strip())
        if not filled:
            out.append({"path": path, "message": f"{DELIVERABLE_LABELS[deliverable]}须写明「{name}」后才能报送"})
    return out


def missing_message(deliverable: str, items: list[dict[str, str]]) -> str:
    names = "、".join(name for path, name in REQUIRED[deliverable] if any(i["path"] == path for i in items))
    return (f"{DELIVERABLE_LABELS[deliverable]}尚不能报送：请先在数据采集表中填写{names}，保存为新版本后再报送")


def check(deliverable: str) -> str:
    """KeyError naming the deliverables for an unknown one."""
    if deliverable not in DELIVERABLE_IDS:
        raise KeyError(f"unknown deliverable {deliverable!r}; known: {', '.join(DELIVERABLE_IDS)}")
    return deliverable
