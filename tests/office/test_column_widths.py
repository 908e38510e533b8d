"""The width plan (service/office/column_widths.py): typical records keep the template's widths;
long ones get a split that prints their rows shorter, at the same print scale, with no short value
broken badly and no row taller than a page. Read back from the filled workbooks with openpyxl."""
from __future__ import annotations

import io
import json

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from schemas import load_dataset
from service.documents.render import render_office
from service.office import cell_text, column_widths, spreadsheet
from service.office.column_widths import Column, Table, plan
from tests.conftest import SAMPLE_PATH
from tools.synthetic import synthetic_branch

HEADER_ROW = 4
REGISTERS = ["member_roster", "outgoing_roster", "recontacted_register", "unreachable_register"]


def widths(ws) -> dict[str, float]:
    return {ws.cell(HEADER_ROW, c).value.replace("\n", ""): ws.column_dimensions[get_column_letter(c)].width
            for c in range(1, ws.max_column + 1) if ws.cell(HEADER_ROW, c).value}


def filled(ds, doc_id):
    return openpyxl.load_workbook(io.BytesIO(render_office(ds, doc_id))).active


def template(doc_id):
    return openpyxl.load_workbook(spreadsheet.template_path(f"{doc_id}.xlsx")).active


def records(ws):
    """Heights of the record rows (序号 1, 2, …)."""
    out = []
    for r in range(HEADER_ROW + 1, ws.max_row + 1):
        if not str(ws.cell(r, 1).value or "").isdigit():
            break
        out.append(ws.row_dimensions[r].height or 15)
    return out


@pytest.mark.parametrize("doc_id", ["member_roster", "unreachable_register", "recontacted_register"])
def test_typical_records_keep_the_template_widths(doc_id):
    for data in (json.loads(SAMPLE_PATH.read_text(encoding="utf-8")), synthetic_branch(60)):
        assert widths(filled(load_dataset(data), doc_id)) == widths(template(doc_id))


def test_long_records_stack_the_short_columns_and_give_the_room_to_free_text(stress_dataset, monkeypatch):
    ws, tpl = filled(stress_dataset, "member_roster"), template("member_roster")
    got, was = widths(ws), widths(tpl)
    assert got["党员类别"] < was["党员类别"] and got["人员类别"] < was["人员类别"]  # 正式/党员, 在岗教/职工
    assert got["备注"] > was["备注"] + 8  # about four characters more a line
    for kept in ("姓名", "学历", "民族", "出生年月", "公民身份号码", "联系电话"):
        assert got[kept] == was[kept], kept
    assert sum(was.values()) - 0.05 <= sum(got.values()) <= sum(was.values())  # the same print scale
    monkeypatch.setattr(column_widths, "plan", lambda table: None)  # the same records in the template's widths
    before = records(filled(stress_dataset, "member_roster"))
    assert sum(records(ws)) <= 0.75 * sum(before), (sum(records(ws)), sum(before))


@pytest.mark.parametrize("doc_id", REGISTERS)
def test_no_record_is_taller_than_a_page_and_the_first_fits_under_the_title(stress_dataset, doc_id):
    """A4 landscape less the margins, at the print scale, less the rows above (on page 1) or the
    repeated header (later): a taller row would leave a page with headers and no record."""
    ws = filled(stress_dataset, doc_id)
    m = ws.page_margins
    units = sum(ws.column_dimensions[get_column_letter(c)].width for c in range(1, ws.max_column + 1))
    scale = min(1, int((841.89 - (m.left + m.right) * 72) / (units * 5.5) * 100) / 100)
    page = (595.28 - (m.top + m.bottom) * 72) / scale
    heights = records(ws)
    above = sum(ws.row_dimensions[r].height or 15 for r in range(1, HEADER_ROW + 1))
    assert heights[0] <= page - above, (heights[0], page - above)
    assert max(heights) <= page - (ws.row_dimensions[HEADER_ROW].height or 15)


def test_the_plan_is_deterministic(stress_dataset):
    first = render_office(stress_dataset, "unreachable_register")
    assert render_office(stress_dataset, "unreachable_register") == first


# --- the plan on hand-made columns -------------------------------------------------------

def units(em, indented=False):
    return cell_text.column_units(em, 12, indented)


def table_with(short: Column, rows: int = 4) -> Table:
    """`short` beside a free-text column whose 60-character texts wrap in many lines."""
    text = Column(units(6, True), indent=1, floor=units(2), values=("备注" * 30,) * rows)
    return Table([short, text], base=22.2)


def test_a_stacking_column_keeps_dates_whole():
    dates = Column(units(3.5), floor=units(2), values=("1970.01",) * 4, stacks=True)
    assert dates.narrowest() == dates.width  # 1970./01 would be a broken date
    assert plan(table_with(dates)) is None


def test_short_values_stay_on_one_line_and_no_character_is_left_alone():
    three = Column(units(4), floor=units(2), values=("研究生", "大学本科", "大学本科", "研究生"), stacks=True)
    assert three.narrowest() == three.width  # 研究/生 would break a three-character value
    five = Column(units(5), floor=units(2), values=("在岗教职工", "离退休人员", "其他", "在岗教职工"), stacks=True)
    narrow = five.narrowest()
    assert narrow == units(3)  # 在岗教/职工, not 在岗教职/工
    assert not any(cell_text.widowed(v, narrow, 12) for v in five.values)


def test_only_stacked_headers_let_a_column_stack():
    name = Column(units(4), floor=units(2), values=("司马相如", "欧阳慕容雪", "李明", "王芳"))
    assert name.narrowest() == name.width and name.least() == name.width  # 姓名 never gets narrower
    kind = Column(units(4), floor=units(2), values=("正式党员",) * 4, stacks=True)
    widths = plan(table_with(kind))
    assert widths is not None and widths[0] == units(2)  # 正式/党员
    assert widths[1] > units(6, True)  # and the room went to the free text


def test_the_header_sets_a_floor():
    kind = Column(units(4), floor=units(3), values=("正式党员",) * 4, stacks=True)
    assert kind.narrowest() >= units(3)


def test_a_one_line_table_keeps_its_widths():
    kind = Column(units(4), floor=units(2), values=("正式党员",) * 4, stacks=True)
    short = Column(units(6, True), indent=1, values=("无",) * 4)
    assert plan(Table([kind, short], base=22.2)) is None
