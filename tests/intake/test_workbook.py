"""The generated 数据采集表: driven by the spec, safe, and round-tripping every dataset exactly."""
from __future__ import annotations

import io
import json

import openpyxl
import pytest

import schemas
from schemas import vocab
from service.intake import spec
from service.intake.check import check_workbook
from service.intake.reader import read_workbook
from service.intake.workbook import blank_workbook, filled_workbook
from tools.synthetic import synthetic_branch


def load(data: bytes, **kw):
    return openpyxl.load_workbook(io.BytesIO(data), **kw)


def test_blank_workbook_has_every_sheet_in_order():
    wb = load(blank_workbook())
    assert wb.sheetnames == [spec.GUIDE_SHEET] + [s.name for s in spec.SHEETS] + [spec.LISTS_SHEET]
    assert wb[spec.LISTS_SHEET].sheet_state == "hidden"
    assert wb.active.title == "填写说明"


def test_guide_states_deadlines_and_definitions():
    text = "\n".join(str(c.value) for row in load(blank_workbook())["填写说明"].iter_rows() for c in row if c.value)
    for words in ("6月20日", "7月15日", "7月25日", "10月15日", "外出流动党员", "空挂", "长期不与党组织联系", "6个月以上"):
        assert words in text


def test_table_headers_hints_example_and_protection():
    ws = load(blank_workbook())["党员名册"]
    headers = [c.value for c in ws[1]]
    assert headers == ["序号"] + [c.header for c in spec.MEMBERS.columns]
    assert ws["A3"].value == "示例" and ws["A3"].font.i and ws["B3"].font.i
    assert ws["B2"].value.startswith("必填")
    assert ws.freeze_panes == "C3"
    assert ws.protection.sheet is True
    assert ws["B1"].protection.locked is True
    id_col = headers.index("公民身份号码") + 1
    letter = openpyxl.utils.get_column_letter(id_col)
    assert ws.column_dimensions[letter].number_format == "@"
    assert ws.column_dimensions[letter].protection.locked is False  # data cells editable
    assert ws.column_dimensions[letter].width == 22


def test_every_enumeration_is_a_dropdown():
    wb = load(blank_workbook())
    ws = wb["党员名册"]
    headers = [c.value for c in ws[1]]
    covered = {}
    for dv in ws.data_validations.dataValidation:
        assert dv.type == "list"
        for rng in dv.sqref.ranges:
            covered[headers[rng.min_col - 1]] = dv.formula1
    for column in spec.MEMBERS.columns:
        if column.values:
            assert column.header in covered, column.header
    name = covered["民族"]
    ref = wb.defined_names[name].attr_text
    sheet, cells = ref.split("!")
    values = [c.value for row in wb[sheet.strip("'")][cells.replace("$", "")] for c in row]
    assert values == list(vocab.ETHNICITIES)


def test_date_and_month_columns_are_formatted():
    wb = load(filled_workbook(json.load(open("tests/fixtures/demo-branch.json", encoding="utf-8"))))
    ws = wb["党员名册"]
    headers = [c.value for c in ws[1]]
    join = ws.cell(4, headers.index("入党时间") + 1)
    dues = ws.cell(4, headers.index("最近交纳党费月份") + 1)
    assert join.is_date and join.number_format == "yyyy-mm-dd"
    assert dues.is_date and dues.number_format == "yyyy-mm"


@pytest.mark.parametrize("values, theirs", [
    (spec.ETHNICITY, vocab.ETHNICITIES), (spec.EDUCATION, vocab.EDUCATIONS), (spec.MEMBER_TYPE, vocab.MEMBER_TYPES),
    (spec.PERSON_CATEGORY, vocab.PERSON_CATEGORIES), (spec.PARTY_STATUS, vocab.PARTY_STATUSES),
    (spec.ORG_TYPE, vocab.ORG_TYPES), (spec.OUT_REASON, vocab.OUTGOING_REASONS),
    (spec.RELATION_ACTION, vocab.RELATION_ACTIONS), (spec.LOST_SITUATION, vocab.LOST_SITUATIONS),
    (spec.LOST_OUTCOME, vocab.LOST_OUTCOMES), (spec.ABROAD_KIND, vocab.ABROAD_KINDS),
    (spec.ABROAD_HANDLING, vocab.ABROAD_HANDLING), (spec.GROUP_ROLE, vocab.GROUP_ROLES),
])
def test_dropdowns_match_the_contract(values, theirs):
    assert tuple(values) == tuple(theirs)


def test_lost_handling_dropdown_covers_both_outcomes():
    assert set(spec.LOST_HANDLING) == set(vocab.ALL_LOST_HANDLING)


def test_blank_workbook_reads_as_empty_dataset():
    result = read_workbook(blank_workbook())
    assert result.errors == []
    assert result.data == {"schema_version": "1", "members": []}  # the example rows are ignored


def _same(a: dict, b: dict) -> bool:
    return json.dumps(a, sort_keys=True, ensure_ascii=False) == json.dumps(b, sort_keys=True, ensure_ascii=False)


def test_sample_round_trips_exactly(sample_data):
    checked = check_workbook(filled_workbook(sample_data))
    assert checked.errors == []
    assert _same(checked.data, sample_data)
    assert schemas.load_dataset(checked.data) == schemas.load_dataset(sample_data)


def test_synthetic_branch_round_trips():
    data = synthetic_branch(60)
    checked = check_workbook(filled_workbook(data))
    assert checked.errors == []
    assert schemas.load_dataset(checked.data) == schemas.load_dataset(data)
    assert _same(checked.data, data)


def test_generated_workbook_is_deterministic(sample_data):
    assert filled_workbook(sample_data) == filled_workbook(sample_data)


def test_text_that_looks_like_a_formula_stays_text(sample_data):
    sample_data["members"][0]["remarks"] = "=HYPERLINK(\"http://evil\",\"点我\")"
    sample_data["members"][1]["remarks"] = "+1-2"
    sample_data["members"][2]["job_post"] = "@SUM(A1)"
    data = filled_workbook(sample_data)
    ws = load(data)["党员名册"]
    col = [c.value for c in ws[1]].index("备注") + 1
    assert ws.cell(4, col).data_type == "s" and ws.cell(4, col).value.startswith("=HYPERLINK")
    assert ws.cell(5, col).data_type == "s"
    import zipfile
    for name in zipfile.ZipFile(io.BytesIO(data)).namelist():
        if name.startswith("xl/worksheets/"):
            assert b"<f>" not in zipfile.ZipFile(io.BytesIO(data)).read(name)
    checked = check_workbook(data)
    assert checked.data["members"][0]["remarks"] == sample_data["members"][0]["remarks"]
