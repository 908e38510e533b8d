"""The district roll-ups as pure functions: rows per branch, 合计, the note, the findings totals, file names."""
from __future__ import annotations

from datetime import date

import pytest

import schemas
from service.domain import catalog, district, figures, naming, rules
from service.domain.district import BranchFigures, BranchFindings
from tools.synthetic import synthetic_branch


def stored(code: str, name: str, data: dict, version: int = 1, stats: date | None = date(2023, 6, 30)):
    """What the store hands over for a branch: the figures computed when its version arrived."""
    ds = schemas.load_dataset(data)
    return BranchFigures(code, name, version, {"outgoing_summary": figures.outgoing_summary(ds),
                                               "campaign_summary": figures.campaign_summary(ds)}, stats)


@pytest.fixture(scope="module")
def branches():
    return [stored(f"WJ{i:03d}", f"第{i}小学党支部", synthetic_branch(26 + i, seed=i)) for i in range(1, 5)]


@pytest.mark.parametrize("doc_id", catalog.DISTRICT_TABLE_IDS)
def test_a_row_per_branch_and_the_total_is_their_sum(branches, doc_id):
    ctx = district.table_context(doc_id, branches, 0, date(2023, 7, 12))
    prefix = district.PREFIXES[doc_id]
    assert [r["label"] for r in ctx["rows"]] == [b.name for b in branches]
    for row, branch in zip(ctx["rows"], branches):
        assert {k[len(prefix):]: v for k, v in row.items() if k != "label"} == branch.figures[doc_id]
    for code in district.LABELS[doc_id]:
        assert ctx["total"][prefix + code] == sum(b.figures[doc_id][code] for b in branches)
    assert ctx["total"]["label"] == "合计"
    assert figures.check_identities(district.totals(branches, doc_id)) == []
    assert ctx["org"]["full_name"] == catalog.DISTRICT.full_name == "中共常州市武进区委教育工作委员会"
    assert ctx["fill_date"] == "2023年7月12日" and ctx["stats_date"] == "2023年6月30日"


def test_the_district_is_the_branches_superior_org_by_default():
    from service.domain.model import Campaign

    assert catalog.DISTRICT.full_name == Campaign().superior_org


def test_the_note_counts_what_the_rows_leave_out(branches):
    assert district.note(4, 0) == "说明：本表汇总 4 个党组织报送的附件3—9数据，已报送的党组织均已列入。"
    assert district.note(4, 2, 4) == \
        "说明：本表汇总 4 个党组织最新一次通过校验的数据（均未报送，按最新有效版本）；另有 2 个党组织尚未报送有效数据，未列入本表。"
    assert district.note(4, 0, 1) == \
        "说明：本表汇总 4 个党组织的数据：3 个按报送的附件3—9，1 个未报送，按最新有效版本，已报送的党组织均已列入。"
    assert "尚无党组织报送有效数据" in district.note(0, 3) and "3 个党组织" in district.note(0, 3)
    assert district.note(0, 0) == "说明：尚无党组织报送数据。"
    ctx = district.table_context("campaign_summary", branches[:2], 3, date(2023, 7, 12))
    assert ctx["note"] == district.note(2, 3)


def test_an_empty_district_has_a_zero_total():
    ctx = district.table_context("campaign_summary", [], 0, date(2023, 7, 12))
    assert ctx["rows"] == [] and ctx["stats_date"] == "—"
    assert {k: v for k, v in ctx["total"].items() if k != "label"} == {c: 0 for c in figures.CAMPAIGN_LABELS}


def test_stats_dates_that_differ_print_as_a_span():
    assert district.stats_text([date(2023, 6, 30), None, date(2023, 7, 10), date(2023, 6, 30)]) == \
        "2023年6月30日至2023年7月10日"
    assert district.stats_text([None]) == "—"


def test_only_the_two_summary_tables_have_a_district_variant(branches):
    with pytest.raises(KeyError):
        district.table_context("member_roster", branches, 0, date(2023, 7, 12))


def test_district_file_names_are_declared_once():
    day = date(2023, 7, 10)
    assert naming.district_file_name("campaign_summary", "xlsx", day) == \
        "武进区教育系统-附件9-党员组织关系排查工作情况汇总表-20230710.xlsx"
    assert naming.district_file_name("outgoing_summary", "pdf", day) == \
        "武进区教育系统-附件6-外出流动党员情况汇总表-20230710.pdf"
    assert naming.district_file_name("verification_report", "zip", day) == "武进区教育系统-核查情况-20230710.zip"
    assert naming.district_ascii_name("campaign_summary", "xlsx", day) == \
        "wujin-education-att9-campaign-summary-20230710.xlsx"


def finding_row(code, by_rule, valid=True, errors=0, valid_version=1):
    return BranchFindings(code, f"{code}支部", 2 if not valid else 1, valid, errors, "2023-07-01T00:00:00+00:00",
                          valid_version, "2023-06-30T00:00:00+00:00" if valid_version else None, by_rule, 20)


def test_findings_overview_adds_up_the_stored_counts_by_rule():
    rows = [
        finding_row("WJ001", {"FLOW-CARD": 2, "RECEIPT": 1}),
        finding_row("WJ002", {"RECEIPT": 3}, valid=False, errors=4),  # a rejected v2 over a valid v1
        finding_row("WJ003", {}, valid=False, errors=7, valid_version=None),  # never valid
    ]
    out = district.findings_overview(rows)
    assert [b["code"] for b in out["branches"]] == ["WJ001", "WJ002", "WJ003"]
    assert out["branches"][0]["warnings"] == 3 and out["branches"][1]["errors"] == 4
    assert out["totals"] == {
        "branches": 3, "with_valid": 2, "without_valid": 1, "latest_rejected": 2, "errors": 11, "warnings": 6,
        "by_rule": {"FLOW-CARD": 2, "RECEIPT": 4}, "branches_by_rule": {"FLOW-CARD": 1, "RECEIPT": 2},
    }
    assert list(out["totals"]["by_rule"]) == [r for r in rules.RULES if r in ("FLOW-CARD", "RECEIPT")]
    assert set(out["rules"]) == set(rules.RULES)


@pytest.mark.parametrize("doc_id", catalog.DISTRICT_TABLE_IDS)
def test_the_context_fills_every_placeholder_of_the_district_template(branches, doc_id):
    from service.office import spreadsheet

    ctx = district.table_context(doc_id, branches, 1, date(2023, 7, 12))
    assert spreadsheet.placeholders(catalog.DISTRICT_TEMPLATE.format(id=doc_id)) <= set(ctx) | {"row"}
