"""Cell values as people write them, onto the contract's values; what cannot be read, said why."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from service.intake.roster.normalise import NUMBER_ID, OLD_ID, against_id, fits, read
from service.intake.values import CellProblem
from tests.intake.roster.builders import id_number

ZHANG = id_number("19850312", 1, True)


@pytest.mark.parametrize("value", ["1996.06.28", "1996/6/28", "1996-6-28", "1996年6月28日", "19960628",
                                   date(1996, 6, 28), datetime(1996, 6, 28), 35244, "１９９６．０６．２８"])
def test_dates(value):
    assert read("join_date", value) == "1996-06-28"


@pytest.mark.parametrize("value, expected", [("2023.6", "2023-06"), ("2023年6月", "2023-06"),
                                             (date(2023, 6, 1), "2023-06"), ("2023-06-15", "2023-06-15")])
def test_month_precision_where_the_contract_allows_it(value, expected):
    assert read("last_dues_date", value) == expected


def test_month_only_where_a_day_is_needed():
    with pytest.raises(CellProblem, match="应填写到日"):
        read("join_date", "2019.5")
    assert read("birth_date", "1985.03") == "1985-03"  # 出生年月: checked against the ID number, then dropped


@pytest.mark.parametrize("value, expected", [
    ("本科", "大学本科"), ("大学", "大学本科"), ("大学本科", "大学本科"), ("大学本科毕业", "大学本科"), ("本科（学士）", "大学本科"),
    ("大专", "大学专科"), ("专科", "大学专科"), ("硕士研究生", "研究生"), ("博士研究生", "研究生"), ("研究生", "研究生"),
    ("硕士", "研究生"), ("中专", "中专"), ("中师", "中专"), ("高中", "高中"), ("初中", "初中及以下"), ("小学", "初中及以下"),
])
def test_education_as_people_write_it(value, expected):
    assert read("education", value) == expected


@pytest.mark.parametrize("value, expected", [
    ("在职", "在岗教职工"), ("在岗", "在岗教职工"), ("在岗教职工", "在岗教职工"), ("退休", "离退休人员"),
    ("离休", "离退休人员"), ("离退休", "离退休人员"), ("离退休人员", "离退休人员"), ("其他", "其他"),
])
def test_person_category(value, expected):
    assert read("person_category", value) == expected


@pytest.mark.parametrize("field, value, expected", [
    ("gender", "男", "男"), ("gender", "女性", "女"), ("ethnicity", "汉", "汉族"), ("ethnicity", "汉族", "汉族"),
    ("ethnicity", "维吾尔", "维吾尔族"), ("ethnicity", "其他", "其他"), ("member_type", "预备", "预备党员"),
    ("member_type", "正式党员", "正式党员"), ("party_status", "正常", "正常"), ("name", " 张  伟 ", "张伟"),
    ("name", "阿依古丽·买买提", "阿依古丽·买买提"), ("phone", "139 1234 5678", "13912345678"),
    ("phone", 13912345678, "13912345678"), ("phone", "（0519）86310611", "0519-86310611"),
    ("phone", "13912345678/0519-86310611", "13912345678"), ("id_number", ZHANG.lower(), ZHANG),
    ("id_number", " ".join(ZHANG[i:i + 6] for i in (0, 6, 12)), ZHANG), ("job_post", "  教导主任 ", "教导主任"),
    ("home_address", "", None), ("remarks", None, None),
])
def test_values(field, value, expected):
    assert read(field, value) == expected


@pytest.mark.parametrize("field, value, message", [
    ("id_number", float(ZHANG[:17] + "0"), NUMBER_ID),
    ("id_number", int(ZHANG[:17] + "0"), NUMBER_ID),
    ("id_number", "3.20412E+17", NUMBER_ID),  # what Excel's CSV export writes for such a cell
    ("id_number", "320412850312001", OLD_ID),
    ("id_number", ZHANG[:17] + ("0" if ZHANG[17] != "0" else "1"), "公民身份号码校验位错误"),
    ("gender", "未知", "「未知」不是有效的性别，应为：男、女"),
    ("ethnicity", "穿青人", "「穿青人」不是有效的民族，应为：56 个民族名称之一（如 汉族）或「其他」"),
    ("education", "大学肄业", "「大学肄业」不是有效的学历"),
    ("person_category", "外聘", "「外聘」不是有效的人员类别，应为：在岗教职工、离退休人员、其他"),
    ("phone", "86310611", "电话号码无法识别：手机号应为11位，座机号须带区号，如 0519-86310611"),
    ("join_date", "不详", "日期“不详”无法识别"),
])
def test_problems(field, value, message):
    with pytest.raises(CellProblem) as caught:
        read(field, value)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize("field, value", [("join_date", ZHANG), ("gender", "139 1234 5678"),
                                          ("ethnicity", "0519-86310611"), ("education", ZHANG[:15])])
def test_a_number_in_the_wrong_column_is_not_repeated(field, value):
    with pytest.raises(CellProblem) as caught:
        read(field, value)
    assert "…" in str(caught.value) and "1234" not in str(caught.value) and "0311" not in str(caught.value)


def test_dates_are_still_quoted():
    with pytest.raises(CellProblem, match="“2023.13.01”不是有效的日期"):
        read("join_date", "2023.13.01")
    with pytest.raises(CellProblem, match="“19961328”不是有效的日期"):
        read("join_date", "19961328")


def test_phone_problems_never_repeat_the_number():
    with pytest.raises(CellProblem) as caught:
        read("phone", "2468-1357-99")
    assert "2468" not in str(caught.value) and "1357" not in str(caught.value)


@pytest.mark.parametrize("field, value, looks", [
    ("name", "张伟", True), ("name", "男", False), ("name", "13912345678", False), ("name", "王𠮷", True),
    ("id_number", 3.2041219850312e17, True), ("id_number", ZHANG, True), ("id_number", "张伟", False),
    ("id_number", 42, False), ("birth_date", "1985.03", True), ("join_date", "1985.03", True),
    ("join_date", "张伟", False), ("member_type", "在职", False), ("person_category", "在职", True),
    ("job_post", date(2020, 1, 1), False),
])
def test_what_a_column_of_a_field_looks_like(field, value, looks):
    assert fits(field, value) is looks


def test_against_the_id_number():
    assert against_id({"id_number": ZHANG, "gender": "男", "birth_date": "1985-03-12"}) == {}
    member = {"id_number": ZHANG, "gender": "女", "birth_date": "1985-03-13"}
    assert against_id(member) == {"birth_date": "出生日期与公民身份号码中的出生日期不一致",
                                  "gender": "性别「女」与公民身份号码不一致（按身份证号应为男）"}
    month = {"id_number": ZHANG, "birth_date": "1985-03"}
    assert against_id(month) == {} and month == {"id_number": ZHANG}  # derived from the number
    wrong_month = {"id_number": ZHANG, "birth_date": "1985-04"}
    assert against_id(wrong_month) == {"birth_date": "出生年月与公民身份号码中的出生日期不一致"}
