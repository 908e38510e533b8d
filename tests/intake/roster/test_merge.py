"""The roster laid over a branch's data: matched by ID number, what it lacks kept, the preview exact."""
from __future__ import annotations

import copy

import schemas
from service.domain import idcard
from service.intake.roster import mapping_key, merge_roster, read_roster
from tests.intake.roster.builders import id_number, xlsx

NEW = id_number("19950101", 7, True)


def roster_for(sample_data) -> bytes:
    zhou, chen, wang = sample_data["members"][:3]
    return xlsx([
        ["姓名", "性别", "公民身份号码", "出生日期", "工作岗位", "联系电话", "学历"],
        [zhou["name"], "男", zhou["id_number"], None, "校长", zhou["phone"], "硕士研究生"],
        [chen["name"], "女", chen["id_number"].lower(), "1986-09-02", chen["job_post"], chen["phone"], "本科"],
        ["新党员", "男", NEW, None, "专任教师", "13912345678", None],
        [wang["name"], "女", float(wang["id_number"]), None, wang["job_post"], "13800001111", None],
    ])


def test_preview_added_changed_missing(sample_data):
    before = copy.deepcopy(sample_data)
    roster = read_roster(roster_for(sample_data))
    assert roster["problems"] == [{"cell": "C5", "message": roster["problems"][0]["message"]}]  # the number-typed ID
    dataset, preview = merge_roster(sample_data, roster["members"])
    zhou, chen, wang = sample_data["members"][:3]
    assert preview["added"] == [{"row": 4, "name": "新党员", "gender": "男", "id_number": idcard.mask(NEW),
                                 "job_post": "专任教师", "phone": "13912345678"}]
    assert preview["changed"] == [
        {"member": {"row": 2, "name": "周建华", "id_number": idcard.mask(zhou["id_number"])},
         "fields": [{"field": "job_post", "before": "校长、党支部书记", "after": "校长"}]},
        {"member": {"row": 5, "name": "王丽萍", "id_number": idcard.mask(wang["id_number"])},  # matched by its name
         "fields": [{"field": "phone", "before": wang["phone"], "after": "13800001111"}]},
    ]
    assert preview["missing"] == [{"name": m["name"], "id_number": idcard.mask(m["id_number"])}
                                  for m in sample_data["members"][3:]]
    assert sample_data == before  # the current data is not touched
    # what the roster carries replaces, what it lacks is kept; nobody is dropped
    assert dataset["org"] == sample_data["org"]
    assert len(dataset["members"]) == len(sample_data["members"]) + 1
    assert dataset["members"][0] == {**zhou, "job_post": "校长"}
    assert dataset["members"][1] == chen  # 陈晓燕: nothing differs (birth date = the ID's, ID in lower case)
    assert dataset["members"][3:12] == sample_data["members"][3:]
    assert dataset["members"][12] == {"name": "新党员", "gender": "男", "id_number": NEW, "job_post": "专任教师",
                                      "phone": "13912345678"}
    assert zhou["education"] == "研究生"  # 硕士研究生 read onto the contract's value: no change


def test_a_new_members_missing_facts_are_the_usual_validation_errors(sample_data):
    dataset, _ = merge_roster(sample_data, read_roster(roster_for(sample_data))["members"])
    _, errors = schemas.validate(dataset)
    assert sorted(e["path"] for e in errors) == [f"members[12].{f}" for f in
                                                 ("education", "ethnicity", "join_date", "member_type",
                                                  "person_category")]


def test_no_current_data():
    members = [{"row": 2, "name": "张伟", "id_number": NEW}, {"row": 3, "name": "赵敏"}]
    dataset, preview = merge_roster(None, members)
    assert dataset == {"schema_version": "1", "members": [{"name": "张伟", "id_number": NEW}, {"name": "赵敏"}]}
    assert preview == {"added": [{"row": 2, "name": "张伟", "id_number": idcard.mask(NEW)}, {"row": 3, "name": "赵敏"}],
                       "changed": [], "missing": []}


def test_what_the_contract_defaults_or_derives_is_no_change(sample_data):
    zhou = sample_data["members"][0]
    assert "party_status" not in zhou and "birth_date" not in zhou
    roster = [{"row": 2, "id_number": zhou["id_number"], "party_status": "正常",
               "birth_date": f"{zhou['id_number'][6:10]}-{zhou['id_number'][10:12]}-{zhou['id_number'][12:14]}"}]
    dataset, preview = merge_roster(sample_data, roster)
    assert preview["changed"] == [] and dataset["members"][0] == zhou
    _, preview = merge_roster(sample_data, [{**roster[0], "party_status": "停止党籍"}])
    assert preview["changed"][0]["fields"] == [{"field": "party_status", "before": None, "after": "停止党籍"}]


def test_the_same_id_twice_in_a_roster_updates_the_first():
    members = [{"row": 2, "name": "张伟", "id_number": NEW, "phone": "13912345678"},
               {"row": 3, "name": "张伟", "id_number": NEW, "phone": "13800001111"}]
    dataset, preview = merge_roster(None, members)
    assert dataset["members"] == [{"name": "张伟", "id_number": NEW, "phone": "13800001111"}]
    assert [m["row"] for m in preview["added"]] == [2]
    assert preview["changed"] == [{"member": {"row": 3, "name": "张伟", "id_number": idcard.mask(NEW)},
                                   "fields": [{"field": "phone", "before": "13912345678", "after": "13800001111"}]}]


def test_mapping_key_is_the_headers_not_their_place():
    shifted = read_roster(xlsx([["党员名册"], ["姓名", "公民 身份号码"], ["张伟", NEW]], at="C2"))
    plain = read_roster(xlsx([["姓名", "公民身份号码"], ["张伟", NEW]]))
    key = mapping_key(c["header"] for c in plain["columns"])
    assert mapping_key(c["header"] for c in shifted["columns"]) == key
    assert mapping_key(["姓名", "公民身份号码"]) == key and len(key) == 64
    assert mapping_key(["公民身份号码", "姓名"]) != key
    assert mapping_key(["姓名", "身份证号"]) != key
