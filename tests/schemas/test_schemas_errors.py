"""Every bad input comes back with its JSON path and a Chinese message, all errors at once."""
from __future__ import annotations

import re

import pytest

from schemas import load_dataset, validate
from service.errors import InvalidDataset
from tools.synthetic import synthetic_branch

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def errors_of(data) -> list[dict]:
    dataset, errors = validate(data)
    assert dataset is None and errors, "expected validation errors"
    for e in errors:
        assert set(e) == {"path", "message"}
        assert CHINESE.search(e["message"]), e
    return errors


def only_error(data) -> dict:
    errors = errors_of(data)
    assert len(errors) == 1, errors
    return errors[0]


def at(errors: list[dict], path: str) -> list[str]:
    return [e["message"] for e in errors if e["path"] == path]


# ---- ID -----------------------------------------------------------------------------------------

def test_wrong_check_digit(sample_data):
    sample_data["members"][3]["id_number"] = "320412196802140295"
    assert only_error(sample_data) == {
        "path": "members[3].id_number",
        "message": "公民身份号码校验位错误：末位应为 1，现为 5",
    }


@pytest.mark.parametrize("number, words", [
    ("32041219720418023", "18位"),
    ("3204121972041802A9", "数字"),
    ("320412197202300236", "出生日期"),
])
def test_malformed_id_numbers(sample_data, number, words):
    sample_data["members"][0]["id_number"] = number
    error = only_error(sample_data)
    assert error["path"] == "members[0].id_number" and words in error["message"]


def test_gender_contradicting_id(sample_data):
    sample_data["members"][0]["gender"] = "女"
    error = only_error(sample_data)
    assert error["path"] == "members[0].gender"
    assert "与公民身份号码不符" in error["message"] and "应为男" in error["message"]


def test_duplicate_id_numbers_name_both(sample_data):
    sample_data["members"][4]["id_number"] = sample_data["members"][1]["id_number"]
    errors = errors_of(sample_data)
    assert at(errors, "members[1].id_number") == ["公民身份号码重复：与 members[4]（张敏）相同"]
    assert at(errors, "members[4].id_number") == ["公民身份号码重复：与 members[1]（陈晓燕）相同"]


def test_duplicate_after_upper_casing(sample_data):
    extra = dict(sample_data["members"][11], id_number="32041219950321045x", name="马骏二")
    sample_data["members"].append(extra)
    errors = errors_of(sample_data)
    assert {e["path"] for e in errors} == {"members[11].id_number", "members[12].id_number"}


def test_birth_date_must_match_id(sample_data):
    sample_data["members"][0]["birth_date"] = "1972-04-19"
    error = only_error(sample_data)
    assert error["path"] == "members[0].birth_date" and "1972-04-18" in error["message"]


# ---- AGE / PROB -----------------------------------------------------------------------------------

def test_joining_before_18(sample_data):
    m = sample_data["members"][10]  # born 1997-07-07
    m["join_date"] = "2015-07-06"
    error = only_error(sample_data)
    assert error["path"] == "members[10].join_date"
    assert "未满18周岁" in error["message"] and "2015-07-07" in error["message"]


def test_joining_on_18th_birthday_is_fine(sample_data):
    sample_data["members"][10]["join_date"] = "2015-07-07"
    assert validate(sample_data)[1] == []


def test_probationary_with_full_member_date(sample_data):
    sample_data["members"][10]["full_member_date"] = "2023-12-16"
    assert only_error(sample_data) == {
        "path": "members[10].full_member_date", "message": "预备党员不应填写转正时间"}


def test_full_member_without_full_member_date(sample_data):
    del sample_data["members"][0]["full_member_date"]
    error = only_error(sample_data)
    assert error["path"] == "members[0].full_member_date"
    assert "正式党员须填写转正时间" in error["message"]


def test_full_membership_more_than_two_years_after_joining(sample_data):
    sample_data["members"][0]["full_member_date"] = "1998-06-29"  # joined 1996-06-28
    error = only_error(sample_data)
    assert error["path"] == "members[0].full_member_date" and "2年" in error["message"]


def test_full_member_date_not_after_join(sample_data):
    sample_data["members"][0]["full_member_date"] = "1996-06-28"
    error = only_error(sample_data)
    assert error["path"] == "members[0].full_member_date" and "应晚于入党时间" in error["message"]


# ---- dates, types, unknown keys ----------------------------------------------------------------

def test_impossible_date(sample_data):
    sample_data["members"][2]["join_date"] = "2023-02-30"
    assert only_error(sample_data) == {"path": "members[2].join_date", "message": "日期无效：2023-02-30"}


@pytest.mark.parametrize("value", ["2023/02/03", "2023-2-3", "20230203"])
def test_date_format(sample_data, value):
    sample_data["members"][2]["join_date"] = value
    error = only_error(sample_data)
    assert error["path"] == "members[2].join_date" and "YYYY-MM-DD" in error["message"]


def test_impossible_month(sample_data):
    sample_data["members"][2]["last_dues_date"] = "2023-13"
    assert only_error(sample_data) == {"path": "members[2].last_dues_date", "message": "日期无效：2023-13"}


def test_unknown_key_top_level(sample_data):
    sample_data["memebrs"] = []
    error = only_error(sample_data)
    assert error["path"] == "memebrs"
    assert error["message"].startswith("未知字段「memebrs」（请检查拼写")
    assert "members" in error["message"]


def test_unknown_key_nested(sample_data):
    sample_data["members"][3]["outgoing"]["destination"]["town"] = "湖塘镇"
    assert only_error(sample_data) == {
        "path": "members[3].outgoing.destination.town", "message": "未知字段「town」（请检查拼写）"}


def test_missing_required_field(sample_data):
    del sample_data["members"][2]["education"]
    assert only_error(sample_data) == {"path": "members[2].education", "message": "缺少必填项"}


def test_wrong_types(sample_data):
    sample_data["members"][0]["verified"] = "yes"
    sample_data["members"][1]["name"] = 123
    sample_data["members"][2]["corrections"] = "电话有误"
    errors = errors_of(sample_data)
    assert at(errors, "members[0].verified") == ["应为 true 或 false"]
    assert at(errors, "members[1].name") == ["应为文本（字符串）"]
    assert at(errors, "members[2].corrections") == ["应为数组（列表）"]


def test_schema_version_must_be_1(sample_data):
    sample_data["schema_version"] = "2"
    error = only_error(sample_data)
    assert error["path"] == "schema_version" and '"1"' in error["message"]


def test_json_array_instead_of_object():
    assert errors_of([{"schema_version": "1"}]) == [{"path": "", "message": "数据包应为 JSON 对象"}]


def test_member_that_is_not_an_object(sample_data):
    sample_data["members"][1] = "陈晓燕"
    assert only_error(sample_data) == {"path": "members[1]", "message": "应为 JSON 对象"}


# ---- text ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("char", ["\x00", "\x07", "\x0b", "\x1f", "\ufffe", "\uffff"])
def test_control_char_in_name(sample_data, char):
    sample_data["members"][5]["name"] = f"赵{char}国庆"
    error = only_error(sample_data)
    assert error["path"] == "members[5].name" and "控制字符" in error["message"]
    assert f"U+{ord(char):04X}" in error["message"]


def test_control_char_in_free_text(sample_data):
    sample_data["members"][5]["remarks"] = "备注\x08"
    assert only_error(sample_data)["path"] == "members[5].remarks"


def test_line_break_allowed_in_free_text_not_in_names(sample_data):
    sample_data["members"][5]["remarks"] = "第一行\n第二行"
    assert validate(sample_data)[1] == []
    sample_data["members"][5]["name"] = "赵\n国庆"
    assert only_error(sample_data)["path"] == "members[5].name"


def test_name_longer_than_30(sample_data):
    sample_data["members"][0]["name"] = "张" * 31
    error = only_error(sample_data)
    assert error["path"] == "members[0].name" and "30" in error["message"]


def test_slash_in_org_code(sample_data):
    sample_data["org"]["code"] = "WJ/017"
    error = only_error(sample_data)
    assert error["path"] == "org.code" and "WJ/017" in error["message"]


@pytest.mark.parametrize("code", ["", "A" * 17, "WJ 017", "武进017"])
def test_bad_org_codes(sample_data, code):
    sample_data["org"]["code"] = code
    assert only_error(sample_data)["path"] == "org.code"


@pytest.mark.parametrize("char", list('\\/:*?"<>|'))
def test_file_name_characters_in_org_name(sample_data, char):
    sample_data["org"]["name"] = f"星河{char}实验小学党支部"
    error = only_error(sample_data)
    assert error["path"] == "org.name" and f"「{char}」" in error["message"]


def test_unknown_ethnicity(sample_data):
    sample_data["members"][0]["ethnicity"] = "火星族"
    error = only_error(sample_data)
    assert error["path"] == "members[0].ethnicity" and "「火星族」不是有效的民族" in error["message"]


def test_ethnicity_without_zu_gets_hint(sample_data):
    sample_data["members"][0]["ethnicity"] = "汉"
    assert only_error(sample_data)["message"] == "「汉」不是有效值，应为「汉族」"


def test_enum_lists_allowed_values(sample_data):
    sample_data["members"][0]["education"] = "本科"
    assert only_error(sample_data) == {
        "path": "members[0].education",
        "message": "「本科」不是有效值，应为：研究生、大学本科、大学专科、中专、高中、初中及以下",
    }


@pytest.mark.parametrize("phone", ["12900087109", "1390008710", "0519-863106", "86310611", "519-86310611", "0519 8631061 18"])
def test_bad_phones(sample_data, phone):
    sample_data["members"][0]["phone"] = phone
    error = only_error(sample_data)
    assert error["path"] == "members[0].phone" and phone in error["message"]


# ---- sub-records ---------------------------------------------------------------------------------

def test_lost_under_six_months(sample_data):
    lost = sample_data["members"][5]["lost_contact"]
    lost["since"] = "2023-02"
    error = only_error(sample_data)
    assert error["path"] == "members[5].lost_contact"
    assert "5个月" in error["message"] and "不足6个月" in error["message"]


def test_lost_duration_from_last_activity(sample_data):
    m = sample_data["members"][5]
    m["last_org_life_date"] = "2023-01-20"  # later than last_dues_date 2021-03
    error = only_error(sample_data)
    assert error["path"] == "members[5].lost_contact" and "不足6个月" in error["message"]


def test_lost_duration_uses_member_search_end(sample_data):
    m = sample_data["members"][5]
    m["lost_contact"]["since"] = "2023-01"
    m["lost_contact"]["search_end_date"] = "2023-07-15"
    assert validate(sample_data)[1] == []
    m["lost_contact"]["search_end_date"] = "2023-06-30"
    assert only_error(sample_data)["path"] == "members[5].lost_contact"


def test_lost_without_any_start(sample_data):
    m = sample_data["members"][5]
    del m["last_org_life_date"], m["last_dues_date"]
    error = only_error(sample_data)
    assert error["path"] == "members[5].lost_contact.since" and "缺少失去联系时间" in error["message"]


def test_unreachable_without_search_record(sample_data):
    del sample_data["members"][6]["lost_contact"]["search_record"]
    error = only_error(sample_data)
    assert error["path"] == "members[6].lost_contact.search_record"
    assert "查找记录" in error["message"]


def test_unreachable_with_empty_search_record(sample_data):
    sample_data["members"][6]["lost_contact"]["search_record"] = []
    assert only_error(sample_data)["path"] == "members[6].lost_contact.search_record"


def test_other_situation_without_note(sample_data):
    sample_data["members"][5]["lost_contact"]["situation"] = "其他"
    error = only_error(sample_data)
    assert error["path"] == "members[5].lost_contact.situation_note" and "其他" in error["message"]


def test_contacted_without_contacted_date(sample_data):
    del sample_data["members"][5]["lost_contact"]["contacted_date"]
    assert only_error(sample_data)["path"] == "members[5].lost_contact.contacted_date"


def test_situation_note_only_with_other(sample_data):
    lc = sample_data["members"][5]["lost_contact"]
    assert lc["situation"] != "其他"
    lc["situation_note"] = "长期在外照顾病重亲属"
    error = only_error(sample_data)
    assert error["path"] == "members[5].lost_contact.situation_note"
    assert f"「{lc['situation']}」时不应填写情形说明" in error["message"] and "其他" in error["message"]


def test_blank_situation_note_is_no_note(sample_data):
    sample_data["members"][5]["lost_contact"]["situation_note"] = "  "
    assert validate(sample_data)[1] == []


def test_search_record_only_when_unreachable(sample_data):
    lc = sample_data["members"][5]["lost_contact"]
    assert lc["outcome"] == "取得联系"
    lc["search_record"] = [{"date": "2023-07-03", "method": "拨打预留电话", "result": "本人接听"}]
    error = only_error(sample_data)
    assert error["path"] == "members[5].lost_contact.search_record"
    assert "「取得联系」时不应填写查找记录" in error["message"]


def test_contacted_with_empty_search_record_is_valid(sample_data):
    sample_data["members"][5]["lost_contact"]["search_record"] = []
    assert validate(sample_data)[1] == []


def test_unreachable_with_contacted_date(sample_data):
    sample_data["members"][6]["lost_contact"]["contacted_date"] = "2023-07-08"
    error = only_error(sample_data)
    assert error["path"] == "members[6].lost_contact.contacted_date" and "不应填写" in error["message"]


def test_unresolved_hanging_without_resolution(sample_data):
    h = sample_data["members"][7]["hanging"]
    h["resolved"] = False
    errors = errors_of(sample_data)
    assert {e["path"] for e in errors} == {"members[7].hanging.resolution", "members[7].hanging.resolved_date"}
    assert all("不应填写" in e["message"] for e in errors)


def test_handling_must_fit_outcome(sample_data):
    sample_data["members"][6]["lost_contact"]["handling"] = "恢复正常管理"
    error = only_error(sample_data)
    assert error["path"] == "members[6].lost_contact.handling" and "继续查找" in error["message"]


def test_domestic_destination_needs_province(sample_data):
    del sample_data["members"][3]["outgoing"]["destination"]["province"]
    assert only_error(sample_data)["path"] == "members[3].outgoing.destination.province"


def test_resolved_hanging_needs_resolution(sample_data):
    h = sample_data["members"][7]["hanging"]
    del h["resolution"], h["resolved_date"]
    errors = errors_of(sample_data)
    assert {e["path"] for e in errors} == {
        "members[7].hanging.resolution", "members[7].hanging.resolved_date"}


def test_search_record_entry_missing_field(sample_data):
    del sample_data["members"][6]["lost_contact"]["search_record"][1]["result"]
    assert only_error(sample_data) == {
        "path": "members[6].lost_contact.search_record[1].result", "message": "缺少必填项"}


def test_empty_member_list(sample_data):
    sample_data["members"] = []
    assert only_error(sample_data) == {"path": "members", "message": "至少应有一名党员"}


def test_missing_org(sample_data):
    del sample_data["org"]
    assert only_error(sample_data) == {"path": "org", "message": "缺少必填项"}


# ---- all at once -------------------------------------------------------------------------------

def test_multiple_errors_reported_at_once(sample_data):
    members = sample_data["members"]
    members[0]["id_number"] = "320412197204180238"  # bad check digit
    members[1]["join_date"] = "2023-02-30"
    members[2]["gender"] = "男"                       # cross-field, while other members fail
    members[2]["foo"] = 1
    members[10]["full_member_date"] = "2023-12-16"
    members[5]["lost_contact"]["since"] = "2023-05"
    sample_data["org"]["code"] = "WJ/017"
    errors = errors_of(sample_data)
    assert [e["path"] for e in errors] == [
        "org.code",
        "members[0].id_number",
        "members[1].join_date",
        "members[2].gender",
        "members[2].foo",
        "members[5].lost_contact",
        "members[10].full_member_date",
    ]


def test_cross_field_checks_run_beside_field_errors(sample_data):
    m = sample_data["members"][0]
    m["phone"] = "123"
    m["join_date"] = "1980-01-01"  # before 18, found although phone is broken
    paths = [e["path"] for e in errors_of(sample_data)]
    assert "members[0].phone" in paths and "members[0].join_date" in paths


def test_load_dataset_raises_with_every_error(sample_data):
    sample_data["members"][0]["gender"] = "女"
    sample_data["members"][1]["ethnicity"] = "x"
    with pytest.raises(InvalidDataset) as info:
        load_dataset(sample_data)
    assert [e["path"] for e in info.value.errors] == ["members[0].gender", "members[1].ethnicity"]
    assert info.value.code == "invalid_dataset"


def test_errors_in_synthetic_branch_point_at_the_member():
    data = synthetic_branch(60, seed=2)
    data["members"][47]["id_number"] = data["members"][47]["id_number"][:17] + (
        "0" if data["members"][47]["id_number"][17] != "0" else "1")
    assert only_error(data)["path"] == "members[47].id_number"
