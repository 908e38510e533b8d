"""Property: any valid member record, written as a roster row the way clerks write one, reads back with
the same values.

The members come from the contract's strategies (strategies.py): names with · and characters outside
the BMP, ID numbers with a lower-case x, phones in every printed form. The roster around them varies
as real ones do: title rows above the header, the table starting in another column, any of the
labels rosters use for each field, dates as Excel date cells or as text in the forms people type
(1996.06.28, 1996/6/28, 1996年6月28日), 民族 with or without 族, and the file an .xlsx or a CSV.
"""
from __future__ import annotations

import csv
import io
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas.fields import canonical_phone
from service.errors import BadRoster
from service.intake.roster import read_roster
from service.intake.roster.labels import FIELD_LABELS
from tests.intake.roster.builders import xlsx

from .strategies import member

PROPERTY = settings(max_examples=60, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
ROSTER_FIELDS = tuple(FIELD_LABELS)
DATE_FIELDS = {"birth_date", "join_date", "full_member_date", "last_org_life_date", "last_dues_date"}
# labels clerks' rosters head these columns with (a second column with the same label is told apart by values)
LABEL_CHOICES = {field: labels for field, labels in FIELD_LABELS.items()}


def expected(record: dict) -> dict:
    """The member as the contract holds it: canonical phone, upper-case X."""
    out = {k: v for k, v in record.items() if k in ROSTER_FIELDS}
    if "phone" in out:
        out["phone"] = canonical_phone(out["phone"])
    out["id_number"] = out["id_number"].upper()
    return out


@st.composite
def date_cell(draw, value: str, text_only: bool):
    """A date (or month) as an Excel date cell or typed text."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 2:
        year, month = parts
        forms = [f"{year}-{month:02d}", f"{year}.{month:02d}", f"{year}年{month}月"]
        return draw(st.sampled_from(forms if text_only else forms + [date(year, month, 1)]))
    year, month, day = parts
    forms = [value, f"{year}.{month:02d}.{day:02d}", f"{year}/{month}/{day}", f"{year}-{month}-{day}",
             f"{year}年{month}月{day}日"]
    return draw(st.sampled_from(forms if text_only else forms + [date(year, month, day)]))


@st.composite
def rosters(draw):
    records = [draw(member(seq)) for seq in range(draw(st.integers(1, 4)))]
    as_csv = draw(st.booleans())
    fields = [f for f in ROSTER_FIELDS if any(f in r for r in records)]
    fields = draw(st.permutations(fields))
    header = [draw(st.sampled_from(LABEL_CHOICES[f])) for f in fields]
    rows = []
    for record in records:
        row = []
        for field in fields:
            value = record.get(field)
            if value is None:
                row.append(None)
            elif field in DATE_FIELDS:
                row.append(draw(date_cell(value, as_csv)))
            elif field == "ethnicity" and value.endswith("族") and draw(st.booleans()):
                row.append(value[:-1])
            else:
                row.append(value)
        rows.append(row)
    titles = draw(st.sampled_from([[], [["某某学校党员花名册"]], [["某某学校党员花名册"], ["填报日期：2023年6月30日"]]]))
    column = draw(st.integers(0, 2))
    return records, as_csv, titles, column, header, rows


def written(as_csv: bool, titles, column: int, header, rows) -> bytes:
    table = [[None] * column + row for row in titles + [header] + rows]
    if not as_csv:
        return xlsx(table)
    out = io.StringIO()
    csv.writer(out).writerows([["" if v is None else v for v in row] for row in table])
    return out.getvalue().encode("utf-8")


@PROPERTY
@given(rosters())
def test_a_valid_member_written_as_a_roster_row_reads_back_the_same(roster):
    records, as_csv, titles, column, header, rows = roster
    result = read_roster(written(as_csv, titles, column, header, rows), "名册.csv" if as_csv else "名册.xlsx")
    assert result["header_rows"] == [len(titles) + 1]
    assert result["problems"] == []
    first = len(titles) + 2
    assert result["members"] == [{"row": first + i, **expected(r)} for i, r in enumerate(records)]


@PROPERTY
@given(st.one_of(st.binary(max_size=3000),
                 st.tuples(st.sampled_from([b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xef\xbb\xbf"]),
                           st.binary(max_size=3000)).map(b"".join),
                 st.text(max_size=500).map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_any_bytes_are_a_roster_or_a_chinese_refusal(content):
    """Never a crash: what is no roster is a BadRoster with a Chinese message."""
    try:
        result = read_roster(content, "名册.xlsx")
    except BadRoster as refusal:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in refusal.message)
    else:
        assert set(result) == {"sheet", "header_rows", "columns", "members", "problems"}
