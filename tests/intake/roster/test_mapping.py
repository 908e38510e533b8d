"""Column mapping: labels propose, values confirm; the caller's mapping overrides; sheets and headers
that are not there are named."""
from __future__ import annotations

import pytest

from service.errors import BadRoster
from service.intake.roster import read_roster
from service.intake.roster.labels import FIELD_LABELS, proposals
from tests.intake.roster.builders import id_number, xlsx

ZHANG = id_number("19850312", 1, True)
ZHAO = id_number("19920202", 4, False)
ROWS = [["姓名", "性别", "公民身份号码", "职务"], ["张伟", "男", ZHANG, "教师"], ["赵敏", "女", ZHAO, "校长"]]


def test_姓名_is_never_性别():
    assert [f for f, _, _ in proposals("性别")] == ["gender"]
    assert [f for f, _, _ in proposals("姓名")] == ["name"]
    assert proposals("姓 名") == proposals("姓名")  # spaces padding a two-character label
    assert proposals("性名") == [] and proposals("姓别") == []  # one character away is no label
    # a roster with 性别 and no 姓名 column: the gender column is gender, and nothing is a name
    result = read_roster(xlsx([["性别", "公民身份号码"], ["男", ZHANG], ["女", ZHAO]]))
    assert [(c["header"], c["field"]) for c in result["columns"]] == [("性别", "gender"), ("公民身份号码", "id_number")]
    assert [m.get("name") for m in result["members"]] == [None, None]


def test_a_label_the_values_do_not_confirm_is_ignored():
    rows = [["姓名", "出生日期", "学历"], ["张伟", "不详", "本科"], ["赵敏", "不详", "小学文化水平很高"]]
    columns = read_roster(xlsx(rows))["columns"]
    assert columns[1] == {"column": "B", "header": "出生日期", "field": None,
                          "why": "列名「出生日期」像「出生日期」（该列 2 个值中 0 个是日期），数据不符，未导入"}
    assert columns[2]["field"] is None  # one value in two is no 学历 the contract knows


def test_a_name_column_of_genders_is_no_name_even_when_the_caller_says_so():
    result = read_roster(xlsx(ROWS), mapping={"B": "name", "A": None})
    by_column = {c["column"]: c for c in result["columns"]}
    assert by_column["A"] == {"column": "A", "header": "姓名", "field": None, "why": "按指定的对应关系不导入"}
    assert by_column["B"]["field"] == "name"
    assert by_column["B"]["why"] == "按指定的对应关系读作「姓名」；注意：该列 2 个值中 0 个像姓名，不符的单元格列在问题中"


def test_caller_mapping_by_header_text_and_letter():
    result = read_roster(xlsx(ROWS), mapping={"职务": "remarks", "b": None})
    assert [c["field"] for c in result["columns"]] == ["name", None, "id_number", "remarks"]
    assert result["members"][0] == {"row": 2, "name": "张伟", "id_number": ZHANG, "remarks": "教师"}


def test_caller_mapping_wins_a_field_another_column_claims():
    rows = [["姓名", "联系电话", "手机"], ["张伟", "0519-86310611", "13912345678"]]
    result = read_roster(xlsx(rows), mapping={"C": "phone"})
    assert [c["field"] for c in result["columns"]] == ["name", None, "phone"]
    assert result["columns"][1]["why"] == "「联系电话」已从 C 列「手机」读取，本列未导入"
    assert result["members"] == [{"row": 2, "name": "张伟", "phone": "13912345678"}]


@pytest.mark.parametrize("mapping, message", [
    ({"A": "nickname"}, "对应关系中的「nickname」不是可以导入的字段；可用的字段：name（姓名）"),
    ({"Z": "name"}, "对应关系中的列「Z」在表头中没有找到"),
    ({"A": "remarks", "D": "remarks"}, "对应关系把多列都指定为「备注」，每个字段只能对应一列"),
    ({"A": ["name"]}, "对应关系中的「['name']」不是可以导入的字段"),
    (["A", "name"], "对应关系应为 {列字母或列名: 字段名或 null} 形式的对象"),
])
def test_a_wrong_mapping_is_refused(mapping, message):
    with pytest.raises(BadRoster) as caught:
        read_roster(xlsx(ROWS), mapping=mapping)
    assert caught.value.message.startswith(message)


def test_every_field_has_labels_and_a_contract_title():
    from service.intake.roster.labels import FIELD_TITLES
    assert set(FIELD_TITLES) == set(FIELD_LABELS)


def test_no_header_says_what_was_found_without_id_numbers():
    rows = [["张伟", "男", ZHANG], ["赵敏", "女", "139 1234 5678"]]
    with pytest.raises(BadRoster) as caught:
        read_roster(xlsx(rows, title="Sheet1"))
    assert caught.value.message == (
        "工作表「Sheet1」中没有找到表头：前几行是 「张伟」、「男」、「…」；「赵敏」、「女」、「…」。"
        "表头应有「姓名」「公民身份号码」「性别」「入党时间」等列名，请检查是否选错了文件或工作表")


def test_one_label_is_no_header():
    with pytest.raises(BadRoster, match="中没有找到表头：前几行是 「姓名」；「张伟」"):
        read_roster(xlsx([["姓名"], ["张伟"]]))


def test_empty_sheet_and_header_only():
    with pytest.raises(BadRoster) as caught:
        read_roster(xlsx([], title="名册"))
    assert caught.value.message == "工作表「名册」是空的，没有任何内容"
    with pytest.raises(BadRoster) as caught:
        read_roster(xlsx([["党员花名册"], ROWS[0]], title="名册"))
    assert caught.value.message == "工作表「名册」只有表头（第2行），下面没有党员的数据"
    with pytest.raises(BadRoster) as caught:
        read_roster(b"\xef\xbb\xbf\r\n\r\n", "空.csv")
    assert caught.value.message == "工作表「空」是空的，没有任何内容"


def test_sheet_choice():
    content = xlsx([["说明：本工作簿第二页为党员名册"]], title="封面", more_sheets={"党员": ROWS, "备用": []})
    assert read_roster(content)["sheet"] == "党员"  # the first sheet with a recognisable header
    with pytest.raises(BadRoster) as caught:
        read_roster(content, sheet="备用")
    assert caught.value.message == "工作表「备用」是空的，没有任何内容"
    with pytest.raises(BadRoster) as caught:
        read_roster(content, sheet="名单")
    assert caught.value.message == "工作簿中没有名为「名单」的工作表；工作表有：「封面」、「党员」、「备用」"
    with pytest.raises(BadRoster, match="工作表「封面」中没有找到表头"):
        read_roster(content, sheet="封面")
