"""A roster read for a branch: a remembered mapping laid back on the same headers, only what differs from
detection passed on, sample values masked, the merged dataset's errors naming their member."""
from __future__ import annotations

from datetime import date

from service.intake.roster import read_roster
from service.intake.roster.confirmed import overrides, recalled, remembered
from service.intake.roster.merged import merge_for_branch
from service.intake.roster.reading import read_for_branch
from service.intake.roster.samples import masked
from tests.intake.roster.builders import id_number, xlsx
from tests.intake.roster.test_layouts import LI, WANG_BAD, ZHANG, school_roster

ROWS = [["姓名", "证件号", "电话", "备注", "岗位"],
        ["张伟", ZHANG, "13912345678", "身份证 " + LI, "教师"],
        ["李芳", LI, "0519-86310612", None, "教导主任"]]


def test_a_remembered_mapping_is_laid_on_the_same_headers_wherever_the_table_starts():
    first = read_roster(xlsx(ROWS))
    assert [c["field"] for c in first["columns"]] == ["name", "id_number", "phone", "remarks", "job_post"]
    confirmed = read_roster(xlsx(ROWS), mapping={"D": None, "E": "remarks"})
    kept = remembered(confirmed["columns"])
    assert kept == [["姓名", "name"], ["证件号", "id_number"], ["电话", "phone"], ["备注", None], ["岗位", "remarks"]]
    shifted = read_roster(xlsx([["某某小学党员名册"], []] + ROWS, at="C1"))
    letters = recalled(shifted["columns"], kept)
    assert letters == {"C": "name", "D": "id_number", "E": "phone", "F": None, "G": "remarks"}
    assert overrides(shifted["columns"], letters) == {"F": None, "G": "remarks"}  # the rest detection finds itself


def test_a_remembered_mapping_of_other_headers_or_fields_is_not_used():
    columns = read_roster(xlsx(ROWS))["columns"]
    assert recalled(columns, [["姓名", "name"]]) is None
    assert recalled(columns, [["姓名", "name"], ["证件号", "id_number"], ["电话", "phone"], ["备注", None],
                              ["岗位", "no_such_field"]]) is None


def test_read_for_branch_says_where_its_mapping_came_from():
    content = xlsx(ROWS)
    detected = read_for_branch(content, "名册.xlsx")
    assert (detected.answer["mapping_source"], detected.answer["remembered"]) == ("detected", None)
    kept = [["姓名", "name"], ["证件号", "id_number"], ["电话", "phone"], ["备注", None], ["岗位", "remarks"]]
    about = {"scope": "district", "confirmed_at": "2026-06-01T00:00:00+00:00"}
    asked = []
    again = read_for_branch(content, "名册.xlsx", recall=lambda key: asked.append(key) or (kept, about))
    assert asked == [detected.key]
    assert again.answer["mapping_source"] == "remembered"
    assert again.answer["remembered"] == {**about, "columns": ["D", "E"]}
    by_letter = {c["column"]: c for c in again.answer["columns"]}
    assert by_letter["E"]["field"] == "remarks" and by_letter["E"]["why"].startswith("按上次确认的对应关系读作「备注」")
    assert by_letter["D"]["field"] is None and by_letter["D"]["why"] == "按上次确认的对应关系不导入"
    assert by_letter["A"]["why"].startswith("列名「姓名」")  # detection's own reason where nothing differs
    assert again.answer["members"][0] == {"row": 2, "name": "张伟", "id_number": ZHANG, "phone": "13912345678",
                                          "remarks": "教师"}
    given = read_for_branch(content, "名册.xlsx", mapping={"E": None}, recall=lambda key: (kept, about))
    assert given.answer["mapping_source"] == "given" and given.answer["remembered"] is None
    confirmed = read_for_branch(content, "名册.xlsx", confirmed={"A": "name", "B": "id_number", "C": None,
                                                                 "D": None, "E": "job_post"})
    assert [c["field"] for c in confirmed.answer["columns"]] == ["name", "id_number", None, None, "job_post"]
    assert confirmed.answer["mapping_source"] == "given"


def test_samples_are_the_first_three_values_with_ids_and_phones_masked():
    reading = read_for_branch(school_roster(), "花名册.xlsx")
    samples = reading.samples()
    assert samples["D"] == ["张 伟", "李芳", "王强"]  # as the file holds them (a run of spaces shown as one)
    assert samples["G"] == [masked(ZHANG), masked(str(int(float(LI)))), masked(WANG_BAD)]
    assert samples["G"][0] == ZHANG[:4] + "*" * 10 + ZHANG[14:]
    assert samples["H"] == ["1985-03-12", "1990年5月", "1979-11-02"]
    assert samples["N"] == ["139****5678", "138****1111", "138****2222"]
    assert samples["O"] == ["051******0611", "051******0612"]  # a landline column detection left out: masked all the same
    shown = " ".join(v for values in samples.values() for v in values)
    for number in (ZHANG, LI, "13912345678", "86310611"):
        assert number not in shown.replace(" ", "")


def test_an_id_typed_into_another_column_is_masked_too():
    reading = read_for_branch(xlsx(ROWS), "名册.xlsx")
    (remark,) = reading.samples()["D"]
    assert LI not in remark and "＊＊＊" in remark


def test_merged_errors_name_the_member_and_the_roster_row(sample_data):
    new = id_number("19950101", 7, True)
    members = [{"row": 3, "name": "新党员", "id_number": new, "gender": "男"},
               {"row": 4, "name": sample_data["members"][0]["name"], "id_number": sample_data["members"][0]["id_number"],
                "join_date": "2999-01-01"}]
    merged = merge_for_branch(sample_data, members, "WJ017")
    assert merged.dataset is None and merged.data["org"] == sample_data["org"]
    details = {e["path"]: e["detail"] for e in merged.errors}
    assert details["members[12].ethnicity"] == "党员「新党员」（花名册第3行）的「民族」：缺少必填项"
    assert details["members[0].full_member_date"] == ("党员「周建华」（花名册第4行）的「转正时间」："
                                                     "转正时间 1997-06-28 应晚于入党时间 2999-01-01")
    assert all(set(e) == {"path", "message", "detail"} for e in merged.errors)
    first = merge_for_branch(None, members[:1], "WJ099")
    assert first.data["org"] == {"code": "WJ099"}
    assert "org.name：缺少必填项" in [e["detail"] for e in first.errors]
    kept = merge_for_branch(sample_data, members[:1], "WJ017")
    assert not any("沿用原有数据" in e["detail"] for e in kept.errors)
    broken = {**sample_data, "members": [dict(sample_data["members"][0], ethnicity=None)] + sample_data["members"][1:]}
    assert "党员「周建华」（花名册中没有，沿用原有数据）的「民族」：不能为空（null）" in \
        [e["detail"] for e in merge_for_branch(broken, members[:1], "WJ017").errors]


def test_a_valid_merge_carries_the_findings_and_what_the_store_keeps(sample_data):
    zhou = sample_data["members"][0]
    merged = merge_for_branch(sample_data, [{"row": 2, "name": zhou["name"], "id_number": zhou["id_number"],
                                             "job_post": "校长"}], "WJ017")
    assert merged.dataset is not None and merged.errors == [] and merged.warnings
    received = merged.received(b"roster bytes", "C:\\名册/学校 花名册.xlsx")
    assert (received.raw, received.raw_kind, received.filename) == (b"roster bytes", "other", "学校 花名册.xlsx")
    assert received.data["members"][0]["job_post"] == "校长" and received.dataset is merged.dataset
    assert date.fromisoformat(received.data["members"][0]["join_date"])
