"""Read → validate → 三查三核, with every contract error and finding pointed back at its cell."""
from __future__ import annotations

from dataclasses import dataclass, field

import schemas
from service.domain import rules
from service.domain.model import Dataset

from .reader import SHEET_ORDER, CellError, ReadResult, located, read_workbook


@dataclass
class Checked:
    """What an upload amounts to: the contract JSON read, the Dataset when it is valid, the problems."""

    data: dict
    dataset: Dataset | None
    errors: list[CellError] = field(default_factory=list)
    warnings: list[CellError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.dataset is not None and not self.errors

    def as_dict(self) -> dict:
        return {
            "dataset": self.data,
            "errors": [e.as_dict() for e in self.errors],
            "warnings": [w.as_dict() for w in self.warnings],
        }


def check_workbook(content: bytes) -> Checked:
    """Everything wrong with a filled workbook, each item naming its sheet, row, column and cell."""
    return _check(read_workbook(content))


def check_json(data) -> Checked:
    """The same for a JSON upload: errors carry their JSON path instead of a cell."""
    return _check(ReadResult(data if isinstance(data, dict) else {}), raw=data)


def _check(read: ReadResult, raw=None) -> Checked:
    data = read.data if raw is None else raw
    dataset, problems = schemas.validate(data)
    errors = list(read.errors)
    flagged = {(e.sheet, e.cell) for e in errors if e.cell}
    for problem in problems:
        loc = read.locate(problem["path"])
        if loc is not None and loc.cell and (loc.sheet, loc.cell) in flagged:
            continue  # the reader already said what is wrong with this cell
        detail = problem["message"] if loc or not problem["path"] else f"{problem['path']}：{problem['message']}"
        errors.append(located(loc, detail, problem["path"]))
    warnings = list(read.warnings)
    if dataset is not None:
        for finding in rules.findings(dataset):
            loc = read.locate(finding.path)
            detail = finding.message if loc or not finding.path else f"{finding.path}：{finding.message}"
            warnings.append(located(loc, detail, finding.path, finding.rule))
    return Checked(data, dataset if not errors else None, _ordered(errors), _ordered(warnings))


def _ordered(items: list[CellError]) -> list[CellError]:
    """Sheet by sheet, top to bottom, left to right: the order a clerk works through them."""
    def key(item: CellError):
        col = 0
        if item.cell:
            letters = "".join(ch for ch in item.cell if ch.isalpha())
            for ch in letters:
                col = col * 26 + ord(ch) - 64
        return (SHEET_ORDER.get(item.sheet, -1 if item.sheet is None else 99), item.row or 0, col)

    return sorted(items, key=key)
