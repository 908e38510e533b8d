"""The batch request and the review body, loaded by their schemas: the typed request, or every problem in
Chinese at its JSON path — the one check the API, the district's forms and `paicha batch` share."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from schemas.requests import BatchRequest, ReviewRequest, load_batch, load_review
from service.domain import catalog
from service.errors import InvalidBatch, InvalidDataset


def problems(load, body) -> dict:
    with pytest.raises((InvalidBatch, InvalidDataset)) as caught:
        load(body)
    return {e["path"]: e["message"] for e in caught.value.errors}


def test_an_empty_batch_request_is_every_branch_and_the_four_deliverables():
    assert load_batch({}) == BatchRequest(None, list(catalog.DELIVERABLE_IDS), catalog.OFFICE, None)
    assert load_batch({"branches": None, "packages": None}) == load_batch({})
    asked = load_batch({"branches": ["T1", "T0", "T1"], "packages": ["print", "tables", "print"], "format": "both",
                        "actor": "王老师"})
    assert asked == BatchRequest(["T1", "T0"], ["print", "tables"], "both", "王老师")  # duplicates once, in order


def test_every_problem_of_a_batch_request_at_its_path():
    found = problems(load_batch, {"branches": ["T000", "a/b", ""], "packages": ["tables", "x"], "format": "docx",
                                  "actor": 5, "colour": 1})
    assert found == {
        "branches[1]": "支部编号应为 1–16 位字母或数字", "branches[2]": "支部编号应为 1–16 位字母或数字",
        "packages[1]": f"没有材料包「x」，可用的有：{'、'.join(catalog.PACKAGE_IDS)}",
        "format": "format 应为 office、pdf、both 之一", "actor": "actor（发起人）应为不超过 100 个字的文字",
        "colour": "未知字段「colour」（请检查拼写）"}
    assert problems(load_batch, {"branches": [], "packages": [], "format": None}) == {
        "branches": "branches 应为 1–10000 个支部编号的数组；省略则为全部支部",
        "packages": "packages 应为材料包编号的非空数组；省略则为四项报送材料",
        "format": "format 应为 office、pdf、both 之一"}
    assert problems(load_batch, [1]) == {"": "请求体应为 JSON 对象，如 {\"format\": \"office\"}"}
    assert problems(load_batch, {"fromat": "pdf"}) == {"fromat": "未知字段「fromat」（请检查拼写，是否应为「format」？）"}


def test_a_batch_request_is_taken_as_sent():
    """No trimming, nothing blank taken as absent: what the document excludes is refused."""
    assert set(problems(load_batch, {"branches": [" T000"], "packages": [" all"], "format": "pdf "})) == {
        "branches[0]", "packages[0]", "format"}


def test_a_review_is_its_decision_with_a_reason_when_returned():
    assert load_review({"decision": "verified"}) == ReviewRequest("verified", None, None)
    blank = {"decision": "verified", "reason": "  ", "reviewer": ""}
    assert load_review(blank) == ReviewRequest("verified", None, None)
    assert load_review({"decision": "returned", "reason": " 请补充 ", "reviewer": " 王华英 "}) == ReviewRequest(
        "returned", "请补充", "王华英")
    assert problems(load_review, {"decision": "returned", "reason": " \n"}) == {"reason": "退回修改须写明原因"}
    assert problems(load_review, {"decision": "maybe", "extra": 1}) == {
        "decision": "核查结论应为 verified（已核查）或 returned（退回修改）", "extra": "未知字段「extra」（请检查拼写）"}
    assert problems(load_review, {}) == {"decision": "缺少必填项：核查结论 decision（verified 或 returned）"}
    assert problems(load_review, {"decision": "verified", "reason": 5, "reviewer": "王" * 101}) == {
        "reason": "应为文本（字符串）", "reviewer": "不能超过 100 字，现为 101 字"}


def test_paicha_batch_refuses_a_request_before_opening_anything(tmp_path, monkeypatch):
    from service.cli import main

    monkeypatch.setenv("PAICHA_DATABASE_URL", f"sqlite:///{tmp_path / 'never.db'}")
    result = CliRunner().invoke(main, ["batch", "T000", "a/b", "--packages", "tables,nope"])
    assert result.exit_code == 2
    assert "批量生成的请求有误" in result.output and "支部编号应为 1–16 位字母或数字" in result.output
    assert f"没有材料包「nope」，可用的有：{'、'.join(catalog.PACKAGE_IDS)}" in result.output
    assert not (tmp_path / "never.db").exists()
