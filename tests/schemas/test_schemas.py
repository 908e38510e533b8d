"""The input contract: what loads, the defaults it applies, and the JSON round trip."""
from __future__ import annotations

from datetime import date

import pytest

from schemas import DatasetSchema, dump_dataset, load_dataset, validate
from service.domain import idcard
from service.domain.model import Dataset, MonthDate
from tools.synthetic import FEATURES, synthetic_branch


def test_sample_loads(sample_dataset):
    assert isinstance(sample_dataset, Dataset)
    assert len(sample_dataset.members) == 12
    assert sample_dataset.org.code == "WJ017"


def test_defaults_are_applied(sample_data):
    del sample_data["org"]["fill_date"]
    ds = load_dataset(sample_data)
    assert ds.campaign.cutoff_date == date(2023, 6, 30)
    assert ds.campaign.stats_date == date(2023, 6, 30)
    assert ds.campaign.search_end_date == date(2023, 7, 15)
    assert ds.campaign.superior_org == "中共常州市武进区委教育工作委员会"
    assert ds.campaign.deadlines.final_report == date(2023, 10, 15)
    assert ds.org.filled_by == "陈晓燕" and ds.org.reviewed_by == "周建华"
    assert ds.org.fill_date == date.today()
    first = ds.members[0]
    assert first.birth_date == date(1972, 4, 18)
    assert first.party_status == "正常"
    assert ds.members[3].outgoing.destination.country == "中国"
    assert ds.members[3].outgoing.relation_action is None
    lost = ds.members[6].lost_contact
    assert lost.since is None and lost.search_end_date is None and lost.handling is None


def test_partial_campaign_keeps_other_defaults(sample_data):
    sample_data["campaign"] = {"stats_date": "2023-06-15", "deadlines": {"tables": "2023-07-20"}}
    ds = load_dataset(sample_data)
    assert ds.campaign.stats_date == date(2023, 6, 15)
    assert ds.campaign.cutoff_date == date(2023, 6, 30)
    assert ds.campaign.deadlines.tables == date(2023, 7, 20)
    assert ds.campaign.deadlines.work_plan == date(2023, 6, 20)


def test_verified_defaults_false(sample_data):
    del sample_data["members"][0]["verified"]
    assert load_dataset(sample_data).members[0].verified is False


def test_month_precision_dates(sample_dataset):
    assert sample_dataset.members[0].last_dues_date == MonthDate(2023, 6)
    assert isinstance(sample_dataset.members[0].last_dues_date, MonthDate)
    assert isinstance(sample_dataset.members[3].outgoing.left_date, MonthDate)


def test_lower_case_x_accepted_and_upper_cased(sample_data):
    sample_data["members"][11]["id_number"] = " 32041219950321045x "
    assert load_dataset(sample_data).members[11].id_number == "32041219950321045X"


def test_strings_are_trimmed(sample_data):
    sample_data["members"][0]["name"] = "\u3000 周建华 "
    assert load_dataset(sample_data).members[0].name == "周建华"


def test_null_and_blank_optional_fields_are_absent(sample_data):
    m = sample_data["members"][0]
    m.update(outgoing=None, phone="", remarks=None, party_status=None)
    member = load_dataset(sample_data).members[0]
    assert member.outgoing is None and member.phone is None and member.remarks is None
    assert member.party_status == "正常"


@pytest.mark.parametrize("text", ["{{ 7*7 }}", "{% if %}", "<b>&</b>", "{{ org.name }}{%- endfor %}"])
def test_template_like_text_is_plain_text(sample_data, text):
    sample_data["members"][0]["remarks"] = text
    sample_data["members"][0]["home_address"] = text
    sample_data["final_report"]["results"] = text
    ds = load_dataset(sample_data)
    assert ds.members[0].remarks == text and ds.members[0].home_address == text
    assert ds.final_report.results == text


@pytest.mark.parametrize("name", ["阿依古丽·买买提", "张喆", "王堃", "刘昇", "陈玥", "李𠮷", "𠮷" * 30])
def test_unusual_names_accepted(sample_data, name):
    sample_data["members"][0]["name"] = name
    assert load_dataset(sample_data).members[0].name == name


def test_landline_with_other_area_code(sample_data):
    sample_data["org"]["contact_phone"] = "025-83591234"
    assert load_dataset(sample_data).org.contact_phone == "025-83591234"


def test_foreign_destination_needs_no_province(sample_data):
    sample_data["members"][3]["outgoing"]["destination"] = {"country": "日本", "city": "东京都"}
    ds = load_dataset(sample_data)
    assert ds.members[3].outgoing.destination.province is None


def test_sample_round_trip(sample_dataset):
    dumped = dump_dataset(sample_dataset)
    assert dumped["members"][0]["last_dues_date"] == "2023-06"
    assert dumped["members"][0]["birth_date"] == "1972-04-18"
    assert "relation_action" not in dumped["members"][3]["outgoing"]
    assert load_dataset(dumped) == sample_dataset


def test_dump_is_json_serialisable(sample_dataset):
    import json

    text = json.dumps(dump_dataset(sample_dataset), ensure_ascii=False)
    assert load_dataset(json.loads(text)) == sample_dataset


def test_synthetic_60_loads():
    ds = load_dataset(synthetic_branch(60))
    assert len(ds.members) == 60


@pytest.mark.parametrize("seed", [0, 1, 42])
def test_synthetic_round_trip(seed):
    ds = load_dataset(synthetic_branch(60, seed))
    assert load_dataset(dump_dataset(ds)) == ds


def test_synthetic_is_deterministic_and_seeded():
    assert synthetic_branch(40, 3) == synthetic_branch(40, 3)
    assert synthetic_branch(40, 3) != synthetic_branch(40, 4)


@pytest.mark.parametrize("n", [1, 2, 25, 200])
def test_synthetic_any_size_valid(n):
    assert validate(synthetic_branch(n, seed=n))[1] == []


def test_synthetic_covers_every_sub_record():
    ds = load_dataset(synthetic_branch(len(FEATURES)))
    members = ds.members
    outgoing = [m.outgoing for m in members if m.outgoing]
    places = {(o.destination.country, o.destination.province, o.destination.city, o.destination.county)
              for o in outgoing}
    assert ("中国", "江苏省", "常州市", "武进区") in places
    assert ("中国", "江苏省", "常州市", "新北区") in places
    assert any(p[1] == "江苏省" and p[2] == "南京市" for p in places)
    assert any(p[0] == "中国" and p[1] not in ("江苏省", "香港") for p in places)
    assert any(p[0] == "日本" for p in places) and any(p[1] == "香港" for p in places)
    assert {o.reason for o in outgoing} == {"务工经商", "学习进修", "异地居住", "其他"}
    assert {m.lost_contact.outcome for m in members if m.lost_contact} == {"取得联系", "无法取得联系"}
    assert all(m.lost_contact.search_record for m in members
               if m.lost_contact and m.lost_contact.outcome == "无法取得联系")
    assert {m.hanging.resolved for m in members if m.hanging} == {True, False}
    assert {m.abroad.kind for m in members if m.abroad} == {"定居", "留学", "劳务", "其他"}
    assert any(m.transfer_out for m in members)
    assert any(m.member_type == "预备党员" for m in members)
    assert any(m.person_category == "离退休人员" for m in members)
    names = "".join(m.name for m in members)
    for ch in "·喆堃昇玥𠮷":
        assert ch in names
    assert sum(m.join_date > date(2023, 6, 30) for m in members) == 1


def test_synthetic_ids_are_valid_and_unique():
    ds = load_dataset(synthetic_branch(300, seed=5))
    ids = [m.id_number for m in ds.members]
    assert len(set(ids)) == len(ids)
    for m in ds.members:
        assert idcard.problem(m.id_number) is None
        assert idcard.gender(m.id_number) == m.gender


def test_openapi_document_builds():
    from apispec import APISpec
    from apispec.ext.marshmallow import MarshmallowPlugin

    spec = APISpec("paicha", "1", "3.0.3", plugins=[MarshmallowPlugin()])
    spec.components.schema("Dataset", schema=DatasetSchema)
    schemas = spec.to_dict()["components"]["schemas"]
    assert schemas["Member"]["properties"]["gender"]["enum"] == ["男", "女"]
    assert "id_number" in schemas["Member"]["required"]
    assert schemas["Dataset"]["properties"]["members"]["minItems"] == 1
