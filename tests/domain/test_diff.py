"""What changed between two versions: members matched by ID number, field by field, and the figures."""
from __future__ import annotations

import copy

import schemas
from service.domain import figures, idcard
from service.domain.diff import changes, dataset_diff, leaves


def load(data):
    return schemas.load_dataset(data)


def test_the_same_dataset_has_no_changes(sample_data):
    assert dataset_diff(load(sample_data), load(copy.deepcopy(sample_data))) == {
        "members": {"added": [], "removed": [], "changed": []}, "fields": [],
        "figures": {"outgoing_summary": [], "campaign_summary": []}}


def test_members_added_removed_and_changed_are_matched_by_id_number(sample_data):
    new = copy.deepcopy(sample_data)
    removed = new["members"].pop(3)
    moved = new["members"][0]
    moved["name"] = "周建华"  # same person, same ID: a changed field, not a new member
    moved["phone"] = "13911112222"
    new["members"].reverse()  # order does not matter
    diff = dataset_diff(load(sample_data), load(new))
    assert diff["members"]["added"] == []
    assert diff["members"]["removed"] == [{"name": removed["name"], "id_number": idcard.mask(removed["id_number"])}]
    (changed,) = diff["members"]["changed"]
    assert changed["fields"] == [{"path": "phone", "before": sample_data["members"][0]["phone"], "after": "13911112222"}]


def test_nested_records_appear_and_disappear_leaf_by_leaf(sample_data):
    new = copy.deepcopy(sample_data)
    outgoing = next(m for m in new["members"] if m.get("outgoing"))
    outgoing["outgoing"]["destination"]["city"] = "苏州市"
    lost = next(m for m in new["members"] if m.get("lost_contact") and m["lost_contact"].get("search_record"))
    lost["lost_contact"]["search_record"].append({"date": "2023-07-10", "method": "电话联系", "result": "无人接听"})
    diff = dataset_diff(load(sample_data), load(new))
    by_name = {c["name"]: c["fields"] for c in diff["members"]["changed"]}
    assert {f["path"] for f in by_name[outgoing["name"]]} == {"outgoing.destination.city"}
    n = len(lost["lost_contact"]["search_record"]) - 1
    assert by_name[lost["name"]] == [
        {"path": f"lost_contact.search_record[{n}].{key}", "before": None, "after": value}
        for key, value in (("date", "2023-07-10"), ("method", "电话联系"), ("result", "无人接听"))]


def test_figures_that_moved_are_listed_with_both_values(sample_data):
    new = copy.deepcopy(sample_data)
    outgoing = next(m for m in new["members"] if m.get("outgoing"))
    outgoing["outgoing"]["has_flow_card"] = not outgoing["outgoing"]["has_flow_card"]
    old_ds, new_ds = load(sample_data), load(new)
    moves = dataset_diff(old_ds, new_ds)["figures"]
    a, b = figures.outgoing_summary(old_ds), figures.outgoing_summary(new_ds)
    assert [(m["code"], m["before"], m["after"]) for m in moves["outgoing_summary"]] == [
        (code, a[code], b[code]) for code in figures.OUTGOING_LABELS if a[code] != b[code]]
    assert {m["code"] for m in moves["outgoing_summary"]} == {"15"}
    assert moves["outgoing_summary"][0]["label"] == "持流动党员活动证"


def test_fields_outside_the_member_list(sample_data):
    new = copy.deepcopy(sample_data)
    new["org"]["contact_person"] = "王丽萍"
    new.setdefault("stage_summary", {})["problems"] = "无"
    paths = {c["path"] for c in dataset_diff(load(sample_data), load(new))["fields"]}
    assert paths == {"org.contact_person", "org.filled_by", "stage_summary.problems"}  # 填表人 defaults to 联系人


def test_an_empty_list_is_like_an_absent_one():
    assert list(leaves({"a": [], "b": {"c": []}})) == []
    assert changes({"a": []}, {}) == []
    assert changes({"a": [1]}, {"a": []}) == [{"path": "a[0]", "before": 1, "after": None}]
