"""`paicha import DIR` on SQLite and PostgreSQL: a folder of workbooks and JSON files stored as submissions
through the clerk upload's own path, each file's outcome reported, bad files never stopping the others."""
from __future__ import annotations

import copy
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from service.cli import EXIT_INPUT, EXIT_INVALID, EXIT_OK, main
from service.intake.received import from_upload
from service.store import folder
from service.store.models import Branch, Submission
from tests.test_cli import workbook

CORRUPT = b"PK\x03\x04" + b"\x00garbage" * 20  # a zip header and nothing a workbook needs


@pytest.fixture
def run(tmp_path, db_url, db):
    """`paicha ARGS…` on the test's database (migrated: the db fixture)."""
    runner = CliRunner()
    env = {"PAICHA_INSTANCE_DIR": str(tmp_path / "instance"), "DATABASE_URL": db_url, "PAICHA_DATABASE_URL": db_url}

    def invoke(*args):
        return runner.invoke(main, [str(a) for a in args], env=env)

    return invoke


@pytest.fixture
def inbox(tmp_path, sample_data) -> Path:
    """What the district downloads from the 网盘: good, wrong and unreadable files side by side."""
    box = tmp_path / "inbox"
    box.mkdir()
    (box / "WJ017-星河实验小学党支部.json").write_text(json.dumps(sample_data, ensure_ascii=False), encoding="utf-8")
    other = copy.deepcopy(sample_data)
    other["org"].update(code="WJ020", name="礼嘉中心小学党支部")
    workbook(other, path=box / "WJ020-数据采集表.xlsx")
    wrong = copy.deepcopy(sample_data)
    wrong["org"].update(code="WJ021", name="前黄实验学校党支部")
    workbook(wrong, [("党员名册", "C6", "男性"), ("党员名册", "I5", "去年")], path=box / "WJ021-数据采集表.xlsx")
    bad = copy.deepcopy(sample_data)
    bad["org"]["code"] = "WJ022"
    bad["members"][0]["gender"] = "不详"
    (box / "WJ022.json").write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    (box / "坏了的表.xlsx").write_bytes(CORRUPT)
    (box / "说明.txt").write_text("网盘说明", encoding="utf-8")
    (box / "~$WJ020-数据采集表.xlsx").write_bytes(b"\x00lock")  # Excel's lock file: not a workbook
    return box


def rows(db) -> list[Submission]:
    from sqlalchemy.orm import undefer

    with db.reading() as session:
        return session.scalars(select(Submission).order_by(Submission.id).options(undefer(Submission.raw))).all()


def codes(db) -> dict[int, str]:
    with db.reading() as session:
        return dict(session.execute(select(Branch.id, Branch.code)).all())


def test_a_folder_is_stored_file_by_file_with_each_outcome(run, inbox, db):
    result = run("import", inbox, "--actor", "区委教育工委 王老师")
    lines = result.output.splitlines()
    assert result.exit_code == EXIT_INPUT, result.output  # one file could not be read
    assert lines[0] == "[1/5] WJ017-星河实验小学党支部.json：支部 WJ017 第1版，通过校验（提示 2 条）"
    assert lines[1] == "[2/5] WJ020-数据采集表.xlsx：支部 WJ020 第1版，通过校验（提示 2 条）"
    assert lines[2] == "[3/5] WJ021-数据采集表.xlsx：支部 WJ021 第1版，未通过校验：2 处错误（党员名册!I5、党员名册!C6），已保存"
    assert lines[3].startswith("[4/5] WJ022.json：支部 WJ022 第1版，未通过校验：") and "members[0].gender" in lines[3]
    assert lines[4] == "[5/5] 坏了的表.xlsx：无法读取：文件已损坏，无法作为 Excel 工作簿打开，请重新保存后上传（原文件已保存）"
    assert lines[5] == "未导入 1 个其他文件（只导入 .xlsx 和 .json）：说明.txt"
    assert lines[6].startswith("合计 5 个文件：通过校验 2，未通过 2，无法读取 1；新存入 5 份（数据库 ")
    stored = rows(db)
    branch = codes(db)
    assert [(branch.get(s.branch_id), s.version, s.valid) for s in stored] == [
        ("WJ017", 1, True), ("WJ020", 1, True), ("WJ021", 1, False), ("WJ022", 1, False), (None, None, False)]
    assert {s.source for s in stored} == {"import"} and {s.actor for s in stored} == {"区委教育工委 王老师"}
    files = sorted(p for p in inbox.iterdir() if p.suffix in (".json", ".xlsx") and not p.name.startswith("~$"))
    assert [s.raw for s in stored] == [p.read_bytes() for p in files]  # the bytes as they were, every one
    assert [s.filename for s in stored] == [p.name for p in files]


def test_the_same_folder_again_stores_only_what_changed(run, inbox, db, sample_data):
    run("import", inbox)
    again = run("import", inbox)
    assert again.exit_code == EXIT_INPUT
    assert "[1/5] WJ017-星河实验小学党支部.json：与支部 WJ017 第1版内容相同，通过校验（提示 2 条），未重复保存" in again.output
    assert "新存入 0 份，5 份与已存版本相同未重复保存" in again.output
    assert len(rows(db)) == 5
    sample_data["members"][0]["phone"] = "13912345678"
    (inbox / "WJ017-星河实验小学党支部.json").write_text(json.dumps(sample_data, ensure_ascii=False), encoding="utf-8")
    third = run("import", inbox)
    assert "[1/5] WJ017-星河实验小学党支部.json：支部 WJ017 第2版，通过校验" in third.output
    assert "新存入 1 份，4 份与已存版本相同未重复保存" in third.output


def test_exit_codes_follow_the_worst_file(run, inbox, db):
    (inbox / "坏了的表.xlsx").unlink()
    assert run("import", inbox).exit_code == EXIT_INVALID
    for name in ("WJ021-数据采集表.xlsx", "WJ022.json"):
        (inbox / name).unlink()
    assert run("import", inbox).exit_code == EXIT_OK


def test_a_folder_that_is_not_there_or_holds_nothing_to_import(run, tmp_path):
    missing = run("import", tmp_path / "nowhere")
    assert missing.exit_code == EXIT_INPUT and "找不到文件夹" in missing.output
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "readme.txt").write_text("x")
    nothing = run("import", empty)
    assert nothing.exit_code == EXIT_INPUT and "没有数据采集表（.xlsx）或数据包（.json）" in nothing.output
    afile = run("import", empty / "readme.txt")
    assert afile.exit_code == EXIT_INPUT and "不是文件夹" in afile.output


def test_a_file_gone_before_it_is_read_is_reported_not_stored(db, tmp_path):
    outcome = folder.import_file(db, tmp_path / "gone.xlsx", 5 * 2**20, datetime(2023, 7, 1, tzinfo=timezone.utc))
    assert outcome.state == "unopened" and outcome.stored is None and "无法读取" in outcome.message
    assert rows(db) == []


def test_import_reads_a_file_exactly_as_the_clerk_upload_does(db, inbox):
    path = inbox / "WJ021-数据采集表.xlsx"
    outcome = folder.import_file(db, path, 5 * 2**20, datetime(2023, 7, 1, tzinfo=timezone.utc))
    assert outcome.errors == from_upload(path.read_bytes(), path.name, 5 * 2**20).errors
    assert outcome.places == ["党员名册!I5", "党员名册!C6"]
