"""Every free-text field has a length limit: at the limit valid, one over a Chinese error at its path —
in the JSON body, in the OpenAPI document, and at the cell of the clerk workbook."""
from __future__ import annotations

import copy
import io
import re

import openpyxl
import pytest
from marshmallow import fields as mfields

from schemas import fields, reference, rules, validate
from service.intake.check import check_workbook
from service.intake.workbook import filled_workbook
from tools.synthetic import STRESS_FEATURES, stress_branch

# The limits, by a path in the stress branch that holds the field (members by STRESS_FEATURES).
M = {f: STRESS_FEATURES.index(f) for f in STRESS_FEATURES}
LIMITS = {
    "campaign.superior_org": 50,
    "org.name": 30,
    "org.full_name": 50,
    "org.unit_name": 50,
    "members[0].job_post": 30,
    "members[0].home_address": 60,
    "members[0].remarks": 100,
    "members[2].corrections[0]": 50,
    f"members[{M['out_province']}].outgoing.destination.province": 20,
    f"members[{M['out_province']}].outgoing.destination.city": 20,
    f"members[{M['out_province']}].outgoing.destination.county": 20,
    f"members[{M['out_abroad']}].outgoing.destination.country": 20,
    f"members[{M['out_province']}].outgoing.destination.detail": 50,
    f"members[{M['out_province']}].outgoing.flow_card_no": 30,
    f"members[{M['out_province']}].outgoing.host_org": 50,
    f"members[{M['out_province']}].outgoing.contact": 50,
    f"members[{M['lost_contacted_other']}].lost_contact.situation_note": 50,
    f"members[{M['lost_contacted']}].lost_contact.current_whereabouts": 50,
    f"members[{M['lost_contacted']}].lost_contact.contact": 50,
    f"members[{M['lost_unreachable']}].lost_contact.search_record[5].method": 30,
    f"members[{M['lost_unreachable']}].lost_contact.search_record[5].result": 50,
    f"members[{M['hanging_resolved']}].hanging.reason": 50,
    f"members[{M['hanging_resolved']}].hanging.resolution": 50,
    f"members[{M['abroad_定居']}].abroad.country": 20,
    f"members[{M['transfer_out']}].transfer_out.to_org": 50,
    "work_plan.leading_group[0].duty": 50,
    "work_plan.schedule[0].phase": 30,
    "work_plan.schedule[0].tasks": 300,
    "work_plan.extra": 1000,
    "stage_summary.progress": 1000,
    "stage_summary.checks": 1000,
    "stage_summary.problems": 1000,
    "stage_summary.plan": 1000,
    "stage_summary.next_steps": 1000,
    "final_report.work_done": 1000,
    "final_report.results": 1000,
    "final_report.practices": 1000,
    "final_report.shortcomings": 1000,
    "final_report.long_term_measures[9]": 100,
}
NAME_PATHS = ["org.secretary", "org.contact_person", "org.filled_by", "org.reviewed_by", "members[0].name",
              "work_plan.leading_group[0].name"]
LIST_LIMITS = {
    "members[2].corrections": 10,
    f"members[{M['lost_unreachable']}].lost_contact.search_record": 6,
    "final_report.long_term_measures": 10,
}


def _steps(path: str) -> list:
    return [int(s) if s.isdigit() else s for s in re.findall(r"[^.\[\]]+", path)]


def put(data: dict, path: str, value) -> dict:
    *parents, last = _steps(path)
    node = data
    for step in parents:
        node = node[step]
    node[last] = value
    return data


def get(data: dict, path: str):
    node = data
    for step in _steps(path):
        node = node[step]
    return node


def errors_of(data: dict) -> list[dict]:
    ds, errors = validate(data)
    assert (ds is None) == bool(errors)
    return errors


# ---- every free-text field has a limit ------------------------------------------------------------

def _text_fields():
    for obj in reference.objects():
        for name, field in obj.schema._declared_fields.items():
            inner = field.inner if isinstance(field, mfields.List) else field
            if isinstance(inner, fields.SafeString) and not isinstance(
                    inner, (fields.Enum, fields.Pattern, fields.Phone, fields.IdNumber)) and name != "schema_version":
                yield f"{obj.schema.__name__}.{name}", inner, field


def test_every_free_text_field_has_a_maximum_length():
    unlimited = [where for where, inner, _ in _text_fields()
                 if not any(isinstance(v, fields.MaxLength) or v is rules.name_length for v in inner.validators)]
    assert unlimited == []


def test_every_list_of_text_has_a_maximum_count():
    unlimited = [where for where, inner, field in _text_fields()
                 if field is not inner and not any(isinstance(v, fields.MaxLength) for v in field.validators)]
    assert unlimited == []


def test_every_limit_is_tested_here():
    limited = {where for where, _, _ in _text_fields()}
    assert len(limited) == len(LIMITS) + len(NAME_PATHS)


# ---- at the limit valid, one over an error at the path ---------------------------------------------

def test_stress_branch_is_valid_and_at_the_limits():
    data = stress_branch()
    assert errors_of(data) == []
    assert len(data["members"]) >= 25
    for path, limit in LIMITS.items():
        assert len(get(data, path)) == limit, path
    for path, limit in LIST_LIMITS.items():
        assert len(get(data, path)) == limit, path
    assert max(len(m["name"]) for m in data["members"]) == rules.MAX_NAME


@pytest.mark.parametrize("path, limit", LIMITS.items())
def test_at_the_limit_valid_one_over_refused(path, limit):
    data = stress_branch()
    text = get(data, path)
    assert errors_of(put(copy.deepcopy(data), path, "  " + text[:limit] + "\n ")) == []  # trimmed first
    over = text[:limit - 1] + "𠮷" + "长"  # a non-BMP character counts as one, as JSON Schema counts
    assert errors_of(put(data, path, over)) == [
        {"path": path, "message": f"不能超过 {limit} 个字，现为 {limit + 1} 个字"}]


@pytest.mark.parametrize("path", NAME_PATHS)
def test_names_at_most_30(path):
    data = stress_branch()
    name = "阿依古丽·" + "买" * 24 + "𠮷"
    assert errors_of(put(copy.deepcopy(data), path, name)) == []
    assert errors_of(put(data, path, name + "提")) == [{"path": path, "message": "姓名不能超过30个字符，现为31个"}]


@pytest.mark.parametrize("path, limit", LIST_LIMITS.items())
def test_lists_at_most(path, limit):
    data = stress_branch()
    items = get(data, path)
    assert len(items) == limit
    put(data, path, items + [copy.deepcopy(items[0])])
    assert errors_of(data) == [{"path": path, "message": f"不能超过 {limit} 条，现为 {limit + 1} 条"}]


# ---- the OpenAPI document says the same ------------------------------------------------------------

def _value(prop: dict) -> dict:
    """An optional list takes blank text as absent: its schema is anyOf [the list, blank]."""
    return prop["anyOf"][0] if "anyOf" in prop else prop


def test_openapi_states_every_limit(client):
    spec = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    assert spec["Org"]["properties"]["full_name"]["maxLength"] == 50
    assert spec["Member"]["properties"]["remarks"]["maxLength"] == 100
    assert _value(spec["Member"]["properties"]["corrections"])["maxItems"] == 10
    assert _value(spec["Member"]["properties"]["corrections"])["items"]["maxLength"] == 50
    assert _value(spec["LostContact"]["properties"]["search_record"])["maxItems"] == 6
    assert spec["SearchAttempt"]["properties"]["result"]["maxLength"] == 50
    assert spec["Org"]["properties"]["secretary"]["maxLength"] == 30
    for where, inner, field in _text_fields():
        schema, name = where.split(".")
        prop = _value(spec[schema.removesuffix("Schema")]["properties"][name])
        prop = prop["items"] if field is not inner else prop
        assert "maxLength" in prop, where


def test_over_long_body_is_a_422_at_the_path(client, sample_data):
    sample_data["members"][3]["remarks"] = "很" * 101
    expected = {"path": "members[3].remarks", "message": "不能超过 100 个字，现为 101 个字"}
    response = client.post("/api/v1/documents/member_roster", json=sample_data)
    assert response.status_code == 422
    assert expected in response.get_json()["errors"]
    answer = client.post("/api/v1/validate", json=sample_data).get_json()
    assert answer["valid"] is False and answer["errors"] == [expected]


# ---- the clerk workbook: an over-long cell comes back at its address --------------------------------

def test_over_long_cell_in_the_workbook_is_an_error_at_its_cell(sample_data):
    wb = openpyxl.load_workbook(io.BytesIO(filled_workbook(sample_data)))
    wb["党员名册"]["T4"].value = "备" * 101  # 备注 of member 0
    out = io.BytesIO()
    wb.save(out)
    checked = check_workbook(out.getvalue())
    assert checked.dataset is None and len(checked.errors) == 1
    error = checked.errors[0]
    assert (error.sheet, error.row, error.column, error.cell) == ("党员名册", 4, "备注", "T4")
    assert error.message == "党员名册 第4行「备注」(T4)：不能超过 100 个字，现为 101 个字"
