"""Rosters in the layouts schools really send, read end to end: exact fields, exact problem cells."""
from __future__ import annotations

from datetime import date

from service.intake.roster import read_roster
from service.intake.roster.normalise import NUMBER_ID
from tests.intake.roster.builders import csv_bytes, id_number, xlsx

ZHANG = id_number("19850312", 1, True)
LI = id_number("19900515", 2, False)
WANG = id_number("19791102", 3, True)
WANG_BAD = WANG[:17] + ("1" if WANG[17] != "1" else "2")
ZHAO = id_number("19920202", 4, False)

SCHOOL_TITLE = ["武进区某某小学党员花名册"]
SCHOOL_DATE = ["填报日期：2023年6月30日"]
SCHOOL_TOP = ["序号", "姓名", "性别", "民族", "身份证号码", "出生年月", "文化程度", "入党日期", "转正日期",
              "人员类别", "职务", "联系电话", None, "家庭住址"]
SCHOOL_SUB = [None] * 11 + ["手机号", "固定电话", None]
SCHOOL_ROWS = [
    [1, "张  伟", "男", "汉", ZHANG, date(1985, 3, 12), "本科", "2008.06.28", "2009/6/28", "在职", "专任教师",
     "139 1234 5678", "0519-86310611", "湖塘镇某路8号"],
    [2, "李芳", "女", "汉族", float(LI), "1990年5月", "大专", date(2012, 7, 1), "2013年7月1日", "退休", "教师",
     None, "0519-86310612", "湖塘镇某路9号"],
    [None] * 14,
    [3, "王强", "男", "回族", WANG_BAD, "1979-11-02", "硕士研究生", "2001-6-30", date(2002, 7, 1), "离退休", None,
     "13800001111", None, "湖塘镇某路10号"],
    [4, "赵敏", "男", "满", ZHAO, date(1992, 2, 3), "研究生", "2019.5", None, "在岗", "教导主任",
     "13800002222", None, None],
    ["合计", "4人"] + [None] * 12,
    ["填表人：孙某", None, None, None, None, None, "审核人：周某"] + [None] * 7,
]
# merged like the clerk's Excel: the title across, every label over both header rows but 联系电话 across two
SCHOOL_MERGES = ("C1:P1",) + tuple(f"{c}3:{c}4" for c in "CDEFGHIJKLMP") + ("N3:O3",)


def school_roster() -> bytes:
    return xlsx([SCHOOL_TITLE, SCHOOL_DATE, SCHOOL_TOP, SCHOOL_SUB] + SCHOOL_ROWS, at="C1", merges=SCHOOL_MERGES)


def test_school_roster_title_rows_two_header_rows_shifted_columns():
    result = read_roster(school_roster(), "花名册.xlsx")
    assert result["sheet"] == "花名册"
    assert result["header_rows"] == [3, 4]
    assert [(c["column"], c["header"], c["field"]) for c in result["columns"]] == [
        ("C", "序号", None), ("D", "姓名", "name"), ("E", "性别", "gender"), ("F", "民族", "ethnicity"),
        ("G", "身份证号码", "id_number"), ("H", "出生年月", "birth_date"), ("I", "文化程度", "education"),
        ("J", "入党日期", "join_date"), ("K", "转正日期", "full_member_date"), ("L", "人员类别", "person_category"),
        ("M", "职务", "job_post"), ("N", "联系电话/手机号", "phone"), ("O", "联系电话/固定电话", None),
        ("P", "家庭住址", "home_address")]
    assert result["members"] == [
        {"row": 5, "name": "张伟", "gender": "男", "ethnicity": "汉族", "id_number": ZHANG, "birth_date": "1985-03-12",
         "education": "大学本科", "join_date": "2008-06-28", "full_member_date": "2009-06-28",
         "person_category": "在岗教职工", "job_post": "专任教师", "phone": "13912345678", "home_address": "湖塘镇某路8号"},
        {"row": 6, "name": "李芳", "gender": "女", "ethnicity": "汉族", "education": "大学专科", "join_date": "2012-07-01",
         "full_member_date": "2013-07-01", "person_category": "离退休人员", "job_post": "教师",
         "home_address": "湖塘镇某路9号"},
        {"row": 8, "name": "王强", "gender": "男", "ethnicity": "回族", "birth_date": "1979-11-02", "education": "研究生",
         "join_date": "2001-06-30", "full_member_date": "2002-07-01", "person_category": "离退休人员",
         "phone": "13800001111", "home_address": "湖塘镇某路10号"},
        {"row": 9, "name": "赵敏", "gender": "男", "ethnicity": "满族", "id_number": ZHAO, "birth_date": "1992-02-03",
         "education": "研究生", "person_category": "在岗教职工", "job_post": "教导主任", "phone": "13800002222"},
    ]
    assert result["problems"] == [
        {"cell": "G6", "message": NUMBER_ID},
        {"cell": "G8", "message": f"公民身份号码校验位错误：末位应为 {WANG[17]}，现为 {WANG_BAD[17]}"},
        {"cell": "E9", "message": "性别「男」与公民身份号码不一致（按身份证号应为女）"},
        {"cell": "H9", "message": "出生日期与公民身份号码中的出生日期不一致"},
        {"cell": "J9", "message": "应填写到日，如 2023-07-01，现为“2019.5”"},
    ]


def test_number_id_message_names_the_cell_and_never_the_digits():
    result = read_roster(school_roster())
    problem = next(p for p in result["problems"] if p["cell"] == "G6")
    assert problem["message"] == ("身份证号以数字形式保存，Excel 只保留 15 位有效数字，末尾几位已丢失："
                                  "请把该列设为文本后重新输入")
    assert LI[:6] not in str(result["problems"])


def test_why_says_which_label_and_what_the_values_showed():
    why = {c["column"]: c["why"] for c in read_roster(school_roster())["columns"]}
    assert why["C"] == "「序号」不是要导入的党员信息，未导入"
    assert why["G"] == "列名「身份证号码」对应「公民身份号码」；该列 4 个值都像公民身份号码"
    assert why["L"] == "列名「人员类别」对应「人员类别」；该列的值为在岗教职工、离退休人员"
    assert why["N"] == "列名「联系电话/手机号」中的「手机号」对应「联系电话」；该列 3 个值都是电话号码"
    assert why["O"] == "「联系电话」已从 N 列「联系电话/手机号」读取，本列未导入"


NATIONAL = ["序号", "姓名", "性别", "公民身份号码", "民族", "出生日期", "学历", "人员类别", "加入党组织日期",
            "转为正式党员日期", "工作岗位", "联系电话", "现居住地", "党籍状态"]


def national_rows():
    return [NATIONAL,
            ["1", "张伟", "男", ZHANG, "汉族", "1985-03-12", "大学本科", "正式党员", "2008-06-28", "2009-06-28",
             "专任教师", "13912345678", "常州市武进区", "正常"],
            ["2", "赵敏", "女", ZHAO, "满族", "1992-02-02", "硕士研究生", "预备党员", "2022-12-20", "",
             "教师", "13800002222", "常州市新北区", "正常"]]


def test_national_system_export_reads_人员类别_as_member_type():
    result = read_roster(csv_bytes(national_rows()), "党员信息.csv")
    fields = {c["header"]: c["field"] for c in result["columns"]}
    assert fields["人员类别"] == "member_type"
    assert "person_category" not in fields.values()
    assert next(c["why"] for c in result["columns"] if c["header"] == "人员类别") == (
        "列名「人员类别」对应「党员类别」；该列的值为正式党员、预备党员")
    assert result["members"] == [
        {"row": 2, "name": "张伟", "gender": "男", "ethnicity": "汉族", "id_number": ZHANG, "birth_date": "1985-03-12",
         "education": "大学本科", "member_type": "正式党员", "join_date": "2008-06-28", "full_member_date": "2009-06-28",
         "job_post": "专任教师", "phone": "13912345678", "home_address": "常州市武进区", "party_status": "正常"},
        {"row": 3, "name": "赵敏", "gender": "女", "ethnicity": "满族", "id_number": ZHAO, "birth_date": "1992-02-02",
         "education": "研究生", "member_type": "预备党员", "join_date": "2022-12-20", "job_post": "教师",
         "phone": "13800002222", "home_address": "常州市新北区", "party_status": "正常"},
    ]
    assert result["problems"] == []


def test_人员类别_with_mixed_values_is_not_guessed():
    rows = national_rows()
    rows[2][7] = "退休"
    column = next(c for c in read_roster(csv_bytes(rows))["columns"] if c["header"] == "人员类别")
    assert column["field"] is None
    assert column["why"] == ("列名「人员类别」像「党员类别」（该列 2 个值中 1 个是党员类别的值）或"
                             "「人员类别」（该列 2 个值中 1 个是人员类别的值），数据不符，未导入")


def test_trailing_notes_numbering_row_and_repeated_header_are_no_members():
    rows = [["姓名", "性别", "公民身份号码"], ["(1)", "(2)", "(3)"], ["张伟", "男", ZHANG],
            ["姓名", "性别", "公民身份号码"], ["赵敏", "女", ZHAO], [None, "女", None],
            ["总 计", "2"], ["注：本表由支部填写"]]
    result = read_roster(xlsx(rows))
    assert [m["row"] for m in result["members"]] == [3, 5]
    assert result["problems"] == [{"cell": "B6", "message": "该行没有姓名和公民身份号码，未作为党员读取"}]


def test_the_same_id_twice_is_named_at_the_second():
    rows = [["姓名", "公民身份号码"], ["张伟", ZHANG], ["张伟", ZHANG.lower()]]
    result = read_roster(xlsx(rows))
    assert len(result["members"]) == 2
    assert result["problems"] == [{"cell": "B3", "message": "公民身份号码与第2行重复"}]


def test_csv_two_header_rows_without_merges():
    rows = [["姓名", "联系电话", None, "公民身份号码"], [None, "固定电话", "手机号", None],
            ["张伟", "0519-86310611", "13912345678", ZHANG]]
    result = read_roster(csv_bytes(rows))
    assert result["header_rows"] == [1, 2]
    assert [(c["header"], c["field"]) for c in result["columns"]] == [
        ("姓名", "name"), ("联系电话/固定电话", None), ("联系电话/手机号", "phone"), ("公民身份号码", "id_number")]
    assert result["members"] == [{"row": 3, "name": "张伟", "id_number": ZHANG, "phone": "13912345678"}]


def test_group_row_above_the_labels():
    rows = [["基本信息", None, "党员信息", None], ["姓名", "性别", "入党时间", "转正时间"],
            ["张伟", "男", "2008-06-28", "2009-06-28"]]
    result = read_roster(xlsx(rows, merges=("A1:B1", "C1:D1")))
    assert result["header_rows"] == [2]  # a group row with no label spanning both rows is a title
    assert [c["field"] for c in result["columns"]] == ["name", "gender", "join_date", "full_member_date"]


def test_a_whole_id_column_typed_as_numbers_is_mapped_and_refused_cell_by_cell():
    rows = [["姓名", "身份证号"], ["张伟", float(ZHANG)], ["赵敏", float(ZHAO)]]
    result = read_roster(xlsx(rows))
    assert result["columns"][1]["field"] == "id_number"
    assert result["members"] == [{"row": 2, "name": "张伟"}, {"row": 3, "name": "赵敏"}]
    assert result["problems"] == [{"cell": "B2", "message": NUMBER_ID}, {"cell": "B3", "message": NUMBER_ID}]
