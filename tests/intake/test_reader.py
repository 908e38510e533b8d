"""Reading what a clerk typed: forgiving about form, strict about content, every error at its cell."""
from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import pytest

from service.intake.check import check_workbook
from service.intake.marks import marked_workbook
from service.intake.reader import read_workbook
from service.intake.workbook import filled_workbook

# 党员名册 columns in the generated workbook
COL = {"姓名": "B", "性别": "C", "民族": "D", "公民身份号码": "E", "学历": "G", "党员类别": "H", "入党时间": "I",
       "转正时间": "J", "联系电话": "M", "最近参加组织生活日期": "P", "最近交纳党费月份": "Q", "已核实": "R",
       "信息更正情况": "S", "备注": "T"}


def edited(data: dict, edits: list[tuple[str, str, object]], fmt: dict | None = None) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(filled_workbook(data)))
    for sheet, cell, value in edits:
        wb[sheet][cell].value = value
        if fmt and cell in fmt:
            wb[sheet][cell].number_format = fmt[cell]
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def member0(sample_data, column, value, number_format=None):
    """Read the sample with 党员名册 row 4 (member 0) column changed; returns (ReadResult, member dict)."""
    cell = f"{COL[column]}4"
    result = read_workbook(edited(sample_data, [("党员名册", cell, value)], {cell: number_format} if number_format else None))
    return result, result.data["members"][0]


@pytest.mark.parametrize("typed", ["2023.7.1", "2023/7/1", "2023-07-01", "2023年7月1日", " 2023-7-1 ", "２０２３年７月１日",
                                   "20230701", date(2023, 7, 1), datetime(2023, 7, 1, 0, 0)])
def test_dates_in_every_common_form(sample_data, typed):
    result, member = member0(sample_data, "最近参加组织生活日期", typed)
    assert result.errors == []
    assert member["last_org_life_date"] == "2023-07-01"


@pytest.mark.parametrize("typed, expected", [("2023.7", "2023-07"), ("2023-07", "2023-07"), ("2023年7月", "2023-07"),
                                             ("2023.12", "2023-12"), ("2023-07-15", "2023-07-15"), (2023.7, "2023-07")])
def test_months(sample_data, typed, expected):
    result, member = member0(sample_data, "最近交纳党费月份", typed)
    assert result.errors == []
    assert member["last_dues_date"] == expected


def test_month_typed_as_number_into_a_date_cell(sample_data):
    # Excel stores 2023.7 typed into a yyyy-mm cell as the serial 2023.7 (a day in 1905)
    result, member = member0(sample_data, "最近交纳党费月份", 2023.7, "yyyy-mm")
    assert member["last_dues_date"] == "2023-07"


def test_ambiguous_month_number_is_an_error_at_its_cell(sample_data):
    result, _ = member0(sample_data, "最近交纳党费月份", 2023.1)
    assert len(result.errors) == 1
    error = result.errors[0]
    assert (error.sheet, error.row, error.column, error.cell) == ("党员名册", 4, "最近交纳党费月份", "Q4")
    assert "1月和10月" in error.message


@pytest.mark.parametrize("typed, expected", [("是", True), ("否", False), ("√", True), ("×", False), ("Y", True),
                                             ("n", False), ("TRUE", True), ("false", False), (True, True), (" 是 ", True)])
def test_booleans(sample_data, typed, expected):
    result, member = member0(sample_data, "已核实", typed)
    assert result.errors == [] and member["verified"] is expected


def test_spaces_and_full_width_digits(sample_data):
    result = read_workbook(edited(sample_data, [
        ("党员名册", "B4", "  周建华 "),
        ("党员名册", "E4", " ３２０４１２１９７２０４１８０２３９ "),
        ("党员名册", "M4", "１３９００ ０８７１０９"),
        ("党员名册", "C4", "男 "),
    ]))
    member = result.data["members"][0]
    assert result.errors == []
    assert (member["name"], member["id_number"], member["phone"], member["gender"]) == \
           ("周建华", "320412197204180239", "13900087109", "男")


def test_lower_case_x_is_accepted(sample_data):
    result = read_workbook(edited(sample_data, [("党员名册", "E15", "32041219950321045x")]))
    assert result.data["members"][11]["id_number"] == "32041219950321045X"


def test_id_as_exact_integer_warns(sample_data):
    wb = openpyxl.load_workbook(io.BytesIO(filled_workbook(sample_data)))
    wb["党员名册"]["E4"].value = 320412197204180239
    out = io.BytesIO()
    wb.save(out)
    # openpyxl writes a big int as a float: the digits are gone, as in Excel
    result = read_workbook(out.getvalue())
    assert result.errors[0].cell == "E4" and "后几位已丢失" in result.errors[0].message


def test_id_as_number_with_exact_digits_warns(sample_data):
    from service.intake.spec import MEMBERS
    from service.intake.values import parse

    value, warning = parse(MEMBERS.column("公民身份号码"), 320412197204180239)
    assert value == "320412197204180239" and "文本格式" in warning


def test_phone_typed_as_number(sample_data):
    result, member = member0(sample_data, "联系电话", 13900087109)
    assert result.errors == [] and member["phone"] == "13900087109"


@pytest.mark.parametrize("typed, expected", [("(0519)86310611", "0519-86310611"), ("（０５１９）８６３１ ０６１１", "0519-86310611"),
                                             ("+86 139 0008 7109", "13900087109"), ("0519-86310611-8001", "0519-86310611转8001")])
def test_phone_in_printed_form_reads_back_canonical(sample_data, typed, expected):
    result, member = member0(sample_data, "联系电话", typed)
    assert result.errors == [] and result.warnings == [] and member["phone"] == expected


def test_landline_typed_as_number_gets_its_zero_back(sample_data):
    result, member = member0(sample_data, "联系电话", 51986310611)  # Excel drops the 0 of 0519
    assert result.errors == [] and member["phone"] == "0519-86310611"
    assert len(result.warnings) == 1 and "开头的 0 已丢失" in result.warnings[0].message


def test_phone_without_area_code_is_an_error_at_its_cell(sample_data):
    checked = check_workbook(edited(sample_data, [("党员名册", "M4", 86310611)]))
    assert checked.dataset is None and [(e.sheet, e.cell) for e in checked.errors] == [("党员名册", "M4")]
    assert "缺少区号" in checked.errors[0].message


def test_empty_rows_and_example_row_are_skipped(sample_data):
    wb = openpyxl.load_workbook(io.BytesIO(filled_workbook(sample_data)))
    ws = wb["党员名册"]
    ws.insert_rows(6, 3)  # blank rows in the middle
    ws["B7"].value = "   "
    out = io.BytesIO()
    wb.save(out)
    result = read_workbook(out.getvalue())
    assert len(result.data["members"]) == len(sample_data["members"])
    assert result.locations["members[2].name"].cell == "B9"


def test_multiline_corrections(sample_data):
    result, member = member0(sample_data, "信息更正情况", "出生日期更正为1972.04\n\n民族更正为汉族 ")
    assert member["corrections"] == ["出生日期更正为1972.04", "民族更正为汉族"]


def test_enum_forgives_half_width_brackets(sample_data):
    wb = openpyxl.load_workbook(io.BytesIO(filled_workbook(sample_data)))
    wb["失联查找"]["E4"].value = "出国(境)"
    out = io.BytesIO()
    wb.save(out)
    result = read_workbook(out.getvalue())
    assert result.data["members"][5]["lost_contact"]["situation"] == "出国（境）"


# ---- strict: each error names sheet, row, column and cell ----------------------------------------

def only_error(content: bytes):
    checked = check_workbook(content)
    assert len(checked.errors) == 1, [e.message for e in checked.errors]
    assert checked.dataset is None
    return checked.errors[0]


def test_check_digit_error_message(sample_data):
    # member 3 (row 7) is 李志强 320412196802140291; he has an outgoing row, so change both places
    error = only_error(edited(sample_data, [("党员名册", "E7", "320412196802140295"), ("外出流动", "B4", "320412196802140295")]))
    assert error.message == "党员名册 第7行「公民身份号码」(E7)：公民身份号码校验位错误：末位应为 1，现为 5"


@pytest.mark.parametrize("column, value, words", [
    ("入党时间", "2023.13.1", "不是有效的日期"),
    ("入党时间", "去年", "无法识别"),
    ("入党时间", "2023.7", "应填写到日"),
    ("性别", "男性", "应为男、女"),
    ("学历", "博士", "应为研究生、大学本科"),
    ("已核实", "可能", "应填写“是”或“否”"),
])
def test_reader_errors_at_cell(sample_data, column, value, words):
    error = only_error(edited(sample_data, [("党员名册", f"{COL[column]}5", value)]))
    assert (error.sheet, error.row, error.column, error.cell) == ("党员名册", 5, column, f"{COL[column]}5")
    assert words in error.message
    assert error.message.startswith(f"党员名册 第5行「{column}」({COL[column]}5)：")


def test_missing_required_value_points_at_cell(sample_data):
    error = only_error(edited(sample_data, [("党员名册", "C6", None)]))
    assert (error.cell, error.detail) == ("C6", "缺少必填项")


def test_schema_error_in_sub_record_points_at_its_sheet(sample_data):
    error = only_error(edited(sample_data, [("外出流动", "F4", None)]))  # 省（区、市） for a destination in 中国
    assert (error.sheet, error.row, error.column) == ("外出流动", 4, "省（区、市）")


def test_unknown_member_in_sub_sheet(sample_data):
    error = only_error(edited(sample_data, [("空挂", "B4", "11010519491231002X")]))
    assert error.cell == "B4" and "党员名册中没有" in error.message


def test_missing_search_records_point_at_outcome(sample_data):
    wb = openpyxl.load_workbook(io.BytesIO(filled_workbook(sample_data)))
    wb["查找记录"].delete_rows(4, 3)
    out = io.BytesIO()
    wb.save(out)
    error = only_error(out.getvalue())
    assert (error.sheet, error.column) == ("失联查找", "排查结果") and "查找记录" in error.message


def test_situation_note_without_other_points_at_its_cell(sample_data):
    error = only_error(edited(sample_data, [("失联查找", "F4", "长期在外照顾病重亲属")]))  # 赵国庆: 工作单位改变
    assert (error.sheet, error.row, error.column, error.cell) == ("失联查找", 4, "情形说明", "F4")
    assert "不应填写情形说明" in error.message and error.path == "members[5].lost_contact.situation_note"


def test_search_records_of_a_reached_member_point_at_outcome(sample_data):
    content = edited(sample_data, [("查找记录", "B7", "320412197510010334"), ("查找记录", "C7", "赵国庆"),
                                   ("查找记录", "D7", "2023-07-03"), ("查找记录", "E7", "拨打预留电话"),
                                   ("查找记录", "F7", "本人接听")])
    error = only_error(content)
    assert (error.sheet, error.row, error.column, error.cell) == ("失联查找", 4, "排查结果", "G4")
    assert "「取得联系」时不应填写查找记录" in error.message


def test_formula_without_cached_value_is_an_error(sample_data):
    error = only_error(edited(sample_data, [("党员名册", "T4", "=CONCATENATE(\"a\",\"b\")")]))
    assert error.cell == "T4" and "公式" in error.message


def test_formula_with_cached_value_is_read_as_value(sample_data):
    content = edited(sample_data, [("党员名册", "T4", "=1+1")])
    # give the formula a cached value, as Excel would have written it
    import re
    import zipfile
    src = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet3.xml":
                body = re.sub(rb"<f>1\+1</f><v\s*/>|<f>1\+1</f><v></v>|<f>1\+1</f>", b"<f>1+1</f><v>2</v>", body)
            dst.writestr(info, body)
    result = read_workbook(out.getvalue())
    assert result.errors == []
    assert result.data["members"][0]["remarks"] == "2"


def test_three_mistakes_all_reported_at_once(sample_data):
    checked = check_workbook(edited(sample_data, [
        ("党员名册", "E6", "320412197911230265"),  # check digit
        ("党员名册", "I8", "2023.02.30"),  # no such day
        ("转出待回执", "F4", "不知道"),  # 回执是否已收到
    ]))
    assert [e.cell for e in checked.errors] == ["E6", "I8", "F4"]
    assert [e.sheet for e in checked.errors] == ["党员名册", "党员名册", "转出待回执"]


def test_findings_become_warnings_at_their_rows(sample_data):
    checked = check_workbook(filled_workbook(sample_data))
    assert checked.ok
    flow = next(w for w in checked.warnings if w.rule == "FLOW-TRANSFER")
    assert (flow.sheet, flow.row) == ("外出流动", 4)
    assert flow.message.startswith("外出流动 第4行：李志强")


def test_name_mismatch_in_sub_sheet_warns(sample_data):
    checked = check_workbook(edited(sample_data, [("外出流动", "C4", "李志刚")]))
    assert checked.ok
    assert any(w.cell == "C4" and "不一致" in w.message for w in checked.warnings)


def test_missing_sheet(sample_data):
    wb = openpyxl.load_workbook(io.BytesIO(filled_workbook(sample_data)))
    del wb["党组织信息"]
    out = io.BytesIO()
    wb.save(out)
    checked = check_workbook(out.getvalue())
    assert any(e.sheet == "党组织信息" and "缺少工作表" in e.message for e in checked.errors)


def test_org_sheet_errors_point_at_value_cell(sample_data):
    error = only_error(edited(sample_data, [("党组织信息", "B9", "12345")]))
    assert (error.sheet, error.row, error.column, error.cell) == ("党组织信息", 9, "联系电话", "B9")


def test_marked_workbook_highlights_and_comments(sample_data):
    content = edited(sample_data, [("党员名册", "I8", "2023.02.30"), ("转出待回执", "F4", "不知道")])
    checked = check_workbook(content)
    wb = openpyxl.load_workbook(io.BytesIO(marked_workbook(content, checked.errors, checked.warnings)))
    assert wb.sheetnames[0] == "错误清单"
    cell = wb["党员名册"]["I8"]
    assert cell.fill.fgColor.rgb.endswith("FFC7CE")
    assert "不是有效的日期" in cell.comment.text
    assert wb["转出待回执"]["F4"].comment is not None
    listing = [[c.value for c in row] for row in wb["错误清单"].iter_rows(min_row=2)]
    assert listing[0][:5] == ["错误", "党员名册", 8, "入党时间", "I8"]
    assert wb["党员名册"]["I8"].value == "2023.02.30"  # the clerk's own text kept
