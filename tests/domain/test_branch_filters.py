"""The district list's filters, search and pages over rows shaped as the branch list sends them."""
from __future__ import annotations

from service.domain import branch_filters as filters


def row(code, name="某小学党支部", statuses=("on_time",) * 4, latest_valid=True, lost=0, review="pending"):
    return {"code": code, "name": name, "lost_contact": lost if latest_valid else None,
            "latest": {"valid": latest_valid}, "review": {"state": review if latest_valid else "none"},
            "deliverables": [{"status": s} for s in statuses]}


ROWS = [
    row("A1"),
    row("A2", statuses=("late", "on_time", "on_time", "on_time"), review="verified"),
    row("A3", statuses=("overdue", "overdue", "not_due", "not_due"), latest_valid=False),
    row("B1", name="星河实验小学党支部", lost=2, review="returned"),
    row("B2", statuses=("not_due",) * 4, review="verified"),
]


def codes(rows):
    return [r["code"] for r in rows]


def test_each_filter_alone():
    assert codes(filters.select(ROWS, ["late"])) == ["A2", "A3"]  # arrived late, or missing past the day
    assert codes(filters.select(ROWS, ["errors"])) == ["A3"]
    assert codes(filters.select(ROWS, ["lost"])) == ["B1"]
    assert codes(filters.select(ROWS, ["pending"])) == ["A1"]  # returned or without valid data: not pending
    assert filters.counts(ROWS) == {"late": 2, "errors": 1, "lost": 1, "pending": 1}


def test_filters_combine_and_the_search_reads_code_and_name():
    assert codes(filters.select(ROWS, ["late", "errors"])) == ["A3"]
    assert codes(filters.select(ROWS, [], "a")) == ["A1", "A2", "A3"]
    assert codes(filters.select(ROWS, [], " 星河 ")) == ["B1"]
    assert codes(filters.select(ROWS, ["lost"], "A")) == []


def test_only_known_filters_are_kept_in_the_lists_order():
    assert filters.chosen(["pending", "nonsense", "late", "late"]) == ["late", "pending"]


def test_pages():
    rows = [row(f"C{i:02d}") for i in range(5)]
    first = filters.page(rows, None, size=2)
    assert (codes(first.rows), first.number, first.pages, first.total, first.first) == (["C00", "C01"], 1, 3, 5, 1)
    last = filters.page(rows, 99, size=2)  # past the end: the last page
    assert (codes(last.rows), last.number, last.first) == (["C04"], 3, 5)
    empty = filters.page([], 2, size=2)
    assert (empty.rows, empty.number, empty.pages, empty.first) == ([], 1, 1, 0)
