"""`paicha` as a district clerk runs it: on the 数据采集表 (.xlsx) or a 数据包 (.json), with exit codes
that tell a script what went wrong (service/cli/base.py's table)."""
from __future__ import annotations

import io
import json
import os
import shutil
import zipfile
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from service import cli
from service.cli import documents, main
from schemas import load_dataset
from service.domain import catalog, naming
from service.domain.verification import verification_code
from service.intake.workbook import filled_workbook
from tests.conftest import SAMPLE_PATH
from tests.conftest_pdf import assert_no_orphans, pages_of, port, soffice_test

ORG = "WJ017-星河实验小学党支部"
DELIVERABLE_NAMES = sorted([
    f"{ORG}-党员组织关系排查工作方案.docx",
    f"{ORG}-党员组织关系排查相关表格.zip",
    f"{ORG}-阶段性小结.docx",
    f"{ORG}-党员组织关系排查工作总结.docx",
])
PAICHA = Path(sys.executable).with_name("paicha")  # the console script of the venv running the tests
# PDF through the CLI: its own ports (2603+ / 2703+), which no other suite uses
PDF_ENV = {"PAICHA_PDF_POOL_BASE_PORT": str(port(2603)), "PAICHA_PDF_POOL_BASE_UNO_PORT": str(port(2703)),
           "PAICHA_PDF_POOL_SIZE": "1"}


@pytest.fixture
def run(tmp_path):
    """Invoke `paicha ARGS…` in-process; the app a PDF command creates keeps its files under tmp_path."""
    runner = CliRunner()
    env = {"PAICHA_INSTANCE_DIR": str(tmp_path / "instance"), "PAICHA_PDF_POOL_URL": "", **PDF_ENV}

    def invoke(*args, **extra_env):
        return runner.invoke(main, [str(a) for a in args], env={**env, **extra_env})

    return invoke


def workbook(data: dict, edits=(), path: Path | None = None) -> bytes:
    """The 数据采集表 filled with `data`, then the (sheet, cell, value) edits a clerk made."""
    wb = openpyxl.load_workbook(io.BytesIO(filled_workbook(data)))
    for sheet, cell, value in edits:
        wb[sheet][cell].value = value
    out = io.BytesIO()
    wb.save(out)
    if path is not None:
        path.write_bytes(out.getvalue())
    return out.getvalue()


def listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


# ---- the group: Paicha's version, Paicha's help, no Flask --------------------------------------

def test_version_is_paichas():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"paicha {metadata.version('paicha')}\n"
    assert "Flask" not in result.output and "Werkzeug" not in result.output


def test_help_lists_paichas_commands_and_the_exit_codes_without_flask_options():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    out = result.output
    assert "validate" in out and "render" in out and "排查文书服务命令行" in out
    assert "--app" not in out and "--env-file" not in out
    assert sorted(main.commands) == ["batch", "branches", "campaign", "db", "import", "remind", "render", "tokens", "users",
                                     "validate", "worker"]
    assert "退出码" in out
    for code, text in cli.EXIT_CODES:
        assert f"{code:<4}{text}" in out


def test_render_help_lists_every_catalog_id():
    out = CliRunner().invoke(main, ["render", "--help"]).output
    for key in catalog.DOCUMENT_IDS + catalog.PACKAGE_IDS:
        assert f"  {key} " in out
    assert "显示本帮助并退出" in out


def test_the_flask_app_has_no_paicha_commands(app):
    assert "validate" not in app.cli.commands and "render" not in app.cli.commands


# ---- 0 and 1: valid and invalid data, JSON and workbook ---------------------------------------

def test_validate_sample_passes_with_a_readable_report(run):
    result = run("validate", SAMPLE_PATH)
    assert result.exit_code == 0, result.output
    assert "校验通过" in result.output and "党员总数 12" in result.output
    code = verification_code(load_dataset(json.loads(SAMPLE_PATH.read_text(encoding="utf-8"))))
    assert f"校验码 {code}（印在每份文书每一页的页脚" in result.output
    assert json.loads(run("validate", "--json", SAMPLE_PATH).stdout)["verification_code"] == code


def test_validate_invalid_json_exits_1_and_names_the_path(run, tmp_path, sample_data):
    sample_data["members"][0]["join_date"] = "2023-02-30"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(sample_data, ensure_ascii=False), encoding="utf-8")
    result = run("validate", bad)
    assert result.exit_code == cli.EXIT_INVALID == 1
    assert "members[0].join_date" in result.output
    machine = run("validate", "--json", bad)
    assert machine.exit_code == 1
    assert json.loads(machine.stdout)["valid"] is False
    assert json.loads(machine.stdout)["verification_code"] is None and "校验码" not in result.output


def test_json_that_is_not_an_object_is_invalid_data(run, tmp_path):
    bad = tmp_path / "list.json"
    bad.write_text("[]", encoding="utf-8")
    result = run("validate", bad)
    assert result.exit_code == 1 and "数据包应为 JSON 对象" in result.output


def test_validate_filled_workbook_passes(run, tmp_path, sample_data):
    book = tmp_path / "数据采集表.xlsx"
    workbook(sample_data, path=book)
    result = run("validate", book)
    assert result.exit_code == 0, result.output
    assert "校验通过" in result.output and "党员总数 12" in result.output
    assert f"校验码 {verification_code(load_dataset(sample_data))}" in result.output  # the same data, the same code
    # warnings point at the row of the sheet they come from, not at a JSON path
    assert "外出流动 第4行" in result.output and "members[3]" not in result.output


def test_validate_wrong_workbook_names_every_cell(run, tmp_path, sample_data):
    # member 3 (row 7) is 李志强 320412196802140291; he has an outgoing row, so change both places
    book = tmp_path / "数据采集表.xlsx"
    workbook(sample_data, [("党员名册", "E7", "320412196802140295"), ("外出流动", "B4", "320412196802140295"),
                           ("党员名册", "I5", "去年")], path=book)
    result = run("validate", book)
    assert result.exit_code == 1, result.output
    assert "校验未通过：共 2 处错误" in result.output
    assert "  ✗ 党员名册 第7行「公民身份号码」(E7)：公民身份号码校验位错误：末位应为 1，现为 5" in result.output
    assert "  ✗ 党员名册 第5行「入党时间」(I5)：" in result.output
    machine = json.loads(run("validate", "--json", book).stdout)
    assert machine["valid"] is False
    assert [(e["sheet"], e["cell"]) for e in machine["errors"]] == [("党员名册", "I5"), ("党员名册", "E7")]


def test_render_writes_the_four_deliverables_with_their_exact_names(run, tmp_path):
    out = tmp_path / "out"
    result = run("render", SAMPLE_PATH, "--out", out)
    assert result.exit_code == 0, result.output
    assert listing(out) == DELIVERABLE_NAMES  # and no .part left behind


def test_render_from_the_workbook_gives_the_same_files_as_from_json(run, tmp_path, sample_data):
    book = tmp_path / "数据采集表.xlsx"
    workbook(sample_data, path=book)
    from_json, from_book = tmp_path / "json", tmp_path / "book"
    assert run("render", SAMPLE_PATH, "--out", from_json, "--only", "member_roster,campaign_summary").exit_code == 0
    result = run("render", book, "--out", from_book, "--only", "member_roster,campaign_summary")
    assert result.exit_code == 0, result.output
    assert listing(from_book) == listing(from_json) == [
        f"{ORG}-附件4-党员名册.xlsx", f"{ORG}-附件9-党员组织关系排查工作情况汇总表.xlsx"]
    for name in listing(from_json):
        assert (from_book / name).read_bytes() == (from_json / name).read_bytes(), name


def test_render_only_picks_documents_and_packages(run, tmp_path):
    out = tmp_path / "only"
    result = run("render", SAMPLE_PATH, "--out", out, "--only", "member_roster", "--only", "all,member_roster")
    assert result.exit_code == 0, result.output
    assert listing(out) == [f"{ORG}-党员组织关系排查全部材料.zip", f"{ORG}-附件4-党员名册.xlsx"]
    assert result.output.count("已生成") == 2  # a key given twice is rendered once


def test_render_invalid_json_writes_nothing(run, tmp_path, sample_data):
    sample_data["members"] = []
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(sample_data), encoding="utf-8")
    out = tmp_path / "none"
    result = run("render", bad, "--out", out)
    assert result.exit_code == 1
    assert "未生成任何文件" in result.output
    assert not out.exists() or not any(out.iterdir())


def test_render_wrong_workbook_writes_nothing_and_names_the_cell(run, tmp_path, sample_data):
    book = tmp_path / "数据采集表.xlsx"
    workbook(sample_data, [("党员名册", "C6", "男性")], path=book)
    out = tmp_path / "none"
    result = run("render", book, "--out", out, "--only", "print")
    assert result.exit_code == 1, result.output
    assert "党员名册 第6行「性别」(C6)：" in result.output
    assert not out.exists()


def test_rendering_replaces_an_old_file_whole(run, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    old = out / f"{ORG}-附件4-党员名册.xlsx"
    old.write_bytes(b"an older, shorter file")
    assert run("render", SAMPLE_PATH, "--out", out, "--only", "member_roster").exit_code == 0
    assert old.read_bytes().startswith(b"PK") and listing(out) == [old.name]


# ---- 2: usage -----------------------------------------------------------------------------

def test_unknown_only_id_exits_2_with_the_valid_ids(run, tmp_path):
    out = tmp_path / "none"
    result = run("render", SAMPLE_PATH, "--out", out, "--only", "tables,member_rooster")
    assert result.exit_code == cli.EXIT_USAGE == 2
    assert "没有「member_rooster」这项材料包或文书" in result.output
    for key in catalog.PACKAGE_IDS + catalog.DOCUMENT_IDS:
        assert key in result.output
    assert not out.exists()


@pytest.mark.parametrize("args", [["render", str(SAMPLE_PATH)], ["validate"], ["frobnicate"],
                                  ["render", str(SAMPLE_PATH), "--out", "x", "--format", "odt"], []])
def test_usage_errors_exit_2(run, args):
    assert run(*args).exit_code == 2


def test_a_malformed_setting_is_a_usage_error_naming_the_variable(run, tmp_path):
    result = run("render", SAMPLE_PATH, "--out", tmp_path / "o", "--format", "pdf", PAICHA_PDF_POOL_SIZE="two")
    assert result.exit_code == 2
    assert "PAICHA_PDF_POOL_SIZE" in result.output


# ---- 3: no PDF ----------------------------------------------------------------------------

def test_print_without_pdf_enabled_exits_3_before_writing(run, tmp_path):
    out = tmp_path / "none"
    result = run("render", SAMPLE_PATH, "--out", out, "--only", "member_roster,print", PAICHA_PDF_ENABLED="0")
    assert result.exit_code == cli.EXIT_PDF == 3, result.output
    assert "PDF" in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_pdf_without_libreoffice_exits_3_with_what_to_install(run, tmp_path):
    result = run("render", SAMPLE_PATH, "--out", tmp_path / "o", "--format", "pdf",
                 PAICHA_SOFFICE=str(tmp_path / "no-soffice"))
    assert result.exit_code == 3, result.output
    assert "libreoffice-writer-nogui" in result.output


def test_a_busy_converter_exits_3(run, tmp_path, monkeypatch):
    from service.errors import ConversionBusy

    class Busy:
        parallelism = 1

        def convert(self, data, kind):
            raise ConversionBusy("PDF 转换繁忙，请稍后再试", retry_after=5)

    monkeypatch.setattr("service.pdf.runtime.open_converter", lambda settings: Busy())
    out = tmp_path / "o"
    result = run("render", SAMPLE_PATH, "--out", out, "--only", "member_roster,print")
    assert result.exit_code == 3 and "繁忙" in result.output
    assert not out.exists()  # nothing is written unless every file could be made


# ---- 4: unreadable input ------------------------------------------------------------------

@pytest.mark.parametrize("name, content, words", [
    ("missing.json", None, "找不到文件"),
    ("empty.json", b"", "空文件"),
    ("broken.json", b'{"org": ', "JSON 格式错误"),
    ("latin1.json", '{"a": "é"}'.encode("latin-1"), "UTF-8"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "Excel 97-2003"),
    ("notes.xlsx", b"just text", "不是 Excel 工作簿"),
    ("damaged.xlsx", b"PK\x03\x04 truncated", "损坏"),
])
def test_unreadable_input_exits_4(run, tmp_path, name, content, words):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    for command in (["validate", path], ["render", path, "--out", tmp_path / "o"]):
        result = run(*command)
        assert result.exit_code == cli.EXIT_INPUT == 4, result.output
        assert words in result.output and "Traceback" not in result.output
    assert not (tmp_path / "o").exists()


def test_a_directory_as_input_exits_4(run, tmp_path):
    result = run("validate", tmp_path)
    assert result.exit_code == 4 and "是目录" in result.output


def test_a_word_document_is_not_a_workbook(run, tmp_path, sample_dataset):
    from service.documents.render import render_document

    doc = tmp_path / "方案.xlsx"
    doc.write_bytes(render_document(sample_dataset, "work_plan").data)
    result = run("validate", doc)
    assert result.exit_code == 4 and "不是 Excel 工作簿" in result.output


# ---- 5 and 70: output and bugs ------------------------------------------------------------

def test_unwritable_output_exits_5(run, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run("render", SAMPLE_PATH, "--out", blocker / "out", "--only", "member_roster")
    assert result.exit_code == cli.EXIT_OUTPUT == 5, result.output
    assert "无法写入" in result.output


def test_a_bug_exits_70_with_its_traceback(run, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("service.documents.render.render_document", broken)
    result = run("render", SAMPLE_PATH, "--out", tmp_path / "o", "--only", "member_roster")
    assert result.exit_code == cli.EXIT_INTERNAL == 70
    assert "RuntimeError: a bug" in result.output and "内部错误" in result.output


# ---- formats ------------------------------------------------------------------------------

def test_plan_renders_a_pdf_only_package_as_pdf_and_says_so():
    office = documents.plan(("print", "tables", "member_roster"), "office")
    assert [(j.key, j.formats) for j in office] == [("print", ("pdf",)), ("tables", ("office",)),
                                                     ("member_roster", ("office",))]
    assert "只有 PDF 格式" in office[0].note and office[1].note is None
    both = documents.plan(("print", "tables"), "both")
    assert [(j.key, j.formats, j.note) for j in both] == [("print", ("pdf",), None), ("tables", ("office", "pdf"), None)]
    assert all(catalog.PACKAGES[p].formats == ("office", "pdf") for p in catalog.PACKAGE_IDS if p != "print")


@soffice_test
def test_only_print_is_a_pdf_under_the_default_format_through_the_installed_script(tmp_path):
    """The real thing: `.venv/bin/paicha` starts its own one-instance pool on 2603/2703 and leaves none behind."""
    out = tmp_path / "out"
    env = {**os.environ, "PAICHA_INSTANCE_DIR": str(tmp_path / "instance"), **PDF_ENV}
    env.pop("PAICHA_PDF_POOL_URL", None)
    proc = subprocess.run([str(PAICHA), "render", str(SAMPLE_PATH), "--out", str(out),
                           "--only", "print,member_roster", "--format", "both"],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "只有 PDF 格式" not in proc.stdout  # under both, print is simply the PDF
    assert listing(out) == sorted([f"{ORG}-附件4-9打印版.pdf", f"{ORG}-附件4-党员名册.xlsx", f"{ORG}-附件4-党员名册.pdf"])
    printed = (out / f"{ORG}-附件4-9打印版.pdf").read_bytes()
    assert printed.startswith(b"%PDF") and len(pages_of(printed)) >= len(catalog.PRINT_IDS)
    assert_no_orphans([port(2603)])

    office = subprocess.run([str(PAICHA), "render", str(SAMPLE_PATH), "--out", str(tmp_path / "office"),
                             "--only", "print"], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert office.returncode == 0, office.stdout + office.stderr
    assert "「附件4—附件9 打印版（一个 PDF，盖章后交纸质稿）」（print）只有 PDF 格式，按 PDF 生成" in office.stdout
    assert listing(tmp_path / "office") == [f"{ORG}-附件4-9打印版.pdf"]
    assert_no_orphans([port(2603)])

# --- --format both with a real pool of this process (ports 2373+) ---------------------------

CLI_POOL_ENV = {"PAICHA_PDF_POOL_SIZE": "2", "PAICHA_PDF_POOL_BASE_PORT": str(port(2373)),
                "PAICHA_PDF_POOL_BASE_UNO_PORT": str(port(2473)), "PAICHA_PDF_POOL_URL": ""}


@pytest.mark.pdf
@pytest.mark.skipif(shutil.which("soffice") is None and not os.environ.get("CI"), reason="LibreOffice not installed")
def test_render_both_writes_office_and_pdf_deliverables(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, env=CLI_POOL_ENV, args=["render", str(SAMPLE_PATH), "--out", str(out), "--format", "both"])
    assert result.exit_code == 0, result.output
    files = {p.name for p in out.iterdir()}
    assert not any(n.endswith(".part") for n in files)
    for key in ("work_plan", "stage_summary", "final_report"):
        docx = naming.file_name(load_dataset(json.loads(SAMPLE_PATH.read_text(encoding="utf-8"))).org, key, "docx")
        pdf = docx[:-5] + ".pdf"
        assert {docx, pdf} <= files, files
        assert (out / pdf).read_bytes().startswith(b"%PDF")
        assert (out / docx).read_bytes().startswith(b"PK")
    assert "WJ017-星河实验小学党支部-党员组织关系排查相关表格.zip" in files
    assert_no_orphans([port(2373), port(2374)])  # the CLI's own pool stops with the command


@pytest.mark.pdf
@pytest.mark.skipif(shutil.which("soffice") is None and not os.environ.get("CI"), reason="LibreOffice not installed")
def test_render_both_keeps_the_office_tables_zip(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, env=CLI_POOL_ENV, args=["render", str(SAMPLE_PATH), "--out", str(out), "--format", "both", "--only", "tables"])
    assert result.exit_code == 0, result.output
    entries = [n for z in out.rglob("*.zip") for n in zipfile.ZipFile(z).namelist()]
    assert any(n.endswith(".xlsx") for n in entries) and any(n.endswith(".pdf") for n in entries)
