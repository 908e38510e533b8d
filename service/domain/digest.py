"""What is kept beside each valid version, so the district's lists never re-validate or re-count.

The figures of 附件6 and 附件9, the 三查三核 findings with their counts by rule and by severity,
and the number of members in scope: everything a list, a total or a diff reads without the dataset.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from . import figures, rules, scope
from .model import Dataset


@dataclass(frozen=True)
class Digest:
    figures: dict  # {"outgoing_summary": {code: n}, "campaign_summary": {code: n}}
    findings: list[dict]  # [{rule, severity, path, message}]
    by_rule: dict[str, int]
    by_severity: dict[str, int]
    in_scope: int

    @property
    def counts(self) -> dict:
        return {"by_rule": self.by_rule, "by_severity": self.by_severity}


def digest(ds: Dataset) -> Digest:
    """The stored facts of a validated dataset."""
    found = rules.findings(ds)
    by_rule = Counter(f.rule for f in found)
    by_severity = Counter(f.severity for f in found)
    return Digest(
        figures={"outgoing_summary": figures.outgoing_summary(ds), "campaign_summary": figures.campaign_summary(ds)},
        findings=[f.as_dict() for f in found],
        by_rule={rule: by_rule[rule] for rule in rules.RULES if by_rule[rule]},
        by_severity=dict(sorted(by_severity.items())),
        in_scope=len(scope.in_scope(ds)),
    )
