"""三查三核: the W rules of forms.md §4 as data, and the findings they produce (STUB: helper B)."""
from __future__ import annotations

from dataclasses import dataclass

from .model import Dataset


@dataclass(frozen=True)
class Finding:
    rule: str  # e.g. "FLOW-TRANSFER"
    severity: str  # "W" (E rules are enforced by schemas/)
    path: str  # JSON path, e.g. "members[3].outgoing"
    message: str  # Chinese, names the member: "李志强：外出6个月以上且地点固定，应转移组织关系（…）"
    member: str | None = None  # the member's name, for grouping in narratives

    def as_dict(self) -> dict:
        return {"rule": self.rule, "severity": self.severity, "path": self.path, "message": self.message}


def findings(ds: Dataset) -> list[Finding]:
    """Every W finding, in member order then rule order."""
    raise NotImplementedError
