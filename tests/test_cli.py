"""`paicha validate` and `paicha render` as a district clerk runs them on a JSON file."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from service import create_app
from tests.conftest import SAMPLE_PATH

ORG = "WJ017-星河实验小学党支部"


@pytest.fixture
def runner(tmp_path):
    return create_app({"TESTING": True, "UPLOAD_DIR": str(tmp_path / "u"), "PDF_ENABLED": False}).test_cli_runner()


def test_validate_sample_passes_with_a_readable_report(runner):
    result = runner.invoke(args=["validate", str(SAMPLE_PATH)])
    assert result.exit_code == 0, result.output
    assert "校验通过" in result.output and "党员总数 12" in result.output


def test_validate_invalid_file_exits_1_and_names_the_path(runner, tmp_path, sample_data):
    sample_data["members"][0]["join_date"] = "2023-02-30"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(sample_data, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(args=["validate", str(bad)])
    assert result.exit_code == 1
    assert "members[0].join_date" in result.output
    machine = runner.invoke(args=["validate", "--json", str(bad)])
    assert json.loads(machine.output)["valid"] is False


def test_render_writes_the_four_deliverables_with_their_exact_names(runner, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(args=["render", str(SAMPLE_PATH), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted([
        f"{ORG}-党员组织关系排查工作方案.docx",
        f"{ORG}-党员组织关系排查相关表格.zip",
        f"{ORG}-阶段性小结.docx",
        f"{ORG}-党员组织关系排查工作总结.docx",
    ])


def test_render_only_picks_documents(runner, tmp_path):
    out = tmp_path / "only"
    result = runner.invoke(args=["render", str(SAMPLE_PATH), "--out", str(out), "--only", "member_roster,campaign_summary"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        f"{ORG}-附件4-党员名册.xlsx", f"{ORG}-附件9-党员组织关系排查工作情况汇总表.xlsx"]


def test_render_invalid_writes_nothing(runner, tmp_path, sample_data):
    sample_data["members"] = []
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(sample_data), encoding="utf-8")
    out = tmp_path / "none"
    result = runner.invoke(args=["render", str(bad), "--out", str(out)])
    assert result.exit_code == 1
    assert not out.exists() or not any(out.iterdir())
