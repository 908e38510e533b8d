"""Which branches the district wants to see: the list's filters, its search and its pages.

Applied to the rows of the branch list (service.store.branches.overview, the same rows
GET /api/v1/branches sends), so the page, a batch of "the filtered ones" and the API agree on what
a filter means. Filters combine: a branch is shown when every chosen filter holds for it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Optional

PAGE_SIZE = 200  # a district of ~150 branches on one page; a province's thousands in pages


def late(row: dict) -> bool:
    """A deliverable arrived after its deadline, or is past it and still missing."""
    return any(d["status"] in ("late", "overdue") for d in row["deliverables"])


def with_errors(row: dict) -> bool:
    """The newest version failed validation."""
    return bool(row["latest"] and not row["latest"]["valid"])


def with_lost(row: dict) -> bool:
    """The newest valid version counts “失联” members (附件9 E1 > 0)."""
    return bool(row.get("lost_contact"))


def unreviewed(row: dict) -> bool:
    """A valid version waits for the district's 核查."""
    return row["review"]["state"] == "pending"


@dataclass(frozen=True)
class Filter:
    key: str
    label: str
    test: Callable[[dict], bool]


FILTERS = (
    Filter("late", "逾期", late),
    Filter("errors", "有错误", with_errors),
    Filter("lost", "有“失联”党员", with_lost),
    Filter("pending", "未核查", unreviewed),
)
BY_KEY = {f.key: f for f in FILTERS}


def chosen(keys: Iterable[str]) -> list[str]:
    """The known filter keys among those asked for, in the list's order."""
    wanted = set(keys)
    return [f.key for f in FILTERS if f.key in wanted]


def matches(row: dict, keys: list[str], query: str) -> bool:
    """Every chosen filter holds and the search text is part of the code or the name."""
    if not all(BY_KEY[k].test(row) for k in keys):
        return False
    text = query.strip().casefold()
    return not text or text in row["code"].casefold() or text in (row["name"] or "").casefold()


def select(rows: list[dict], keys: list[str], query: str = "") -> list[dict]:
    """The rows the filters and the search keep, in their order."""
    return [row for row in rows if matches(row, keys, query)]


def counts(rows: list[dict]) -> dict[str, int]:
    """How many branches each filter alone would show."""
    return {f.key: sum(1 for row in rows if f.test(row)) for f in FILTERS}


@dataclass(frozen=True)
class Page:
    rows: list[dict]
    number: int  # 1-based
    pages: int
    total: int
    size: int

    @property
    def first(self) -> int:
        """The 1-based position of the page's first row (0 when empty)."""
        return (self.number - 1) * self.size + 1 if self.total else 0


def page(rows: list[dict], number: Optional[int], size: int = PAGE_SIZE) -> Page:
    """One page of the rows; a number out of range gives the nearest page."""
    pages = max(1, -(-len(rows) // size))
    number = min(max(number or 1, 1), pages)
    return Page(rows[(number - 1) * size:number * size], number, pages, len(rows), size)
