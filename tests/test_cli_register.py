"""`paicha campaign show|set`, `paicha branches import|list` and `paicha users create --clerks-for-all-branches`
over the register, on the service's own embedded database, as `make run` has it: what they print, their
exit codes, and that the running app sees what they stored."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from service.cli import main
from tests.web.register_files import BAD, GOOD, register_workbook

PAICHA = Path(sys.executable).with_name("paicha")
@pytest.fixture
def instance(tmp_path, monkeypatch):
    for name in ("DATABASE_URL", "PAICHA_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PAICHA_INSTANCE_DIR", str(tmp_path / "instance"))
    return tmp_path / "instance"


@pytest.fixture
def app(instance):
    from service import create_app

    return create_app({"TESTING": True, "INSTANCE_DIR": str(instance), "PDF_ENABLED": False})


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_campaign_show_and_set(app):
    shown = run("campaign", "show")
    assert shown.exit_code == 0 and "区里尚未设定" in shown.output and "工作总结报送期限：2023-10-15" in shown.output
    done = run("campaign", "set", "--name", "2024年党员组织关系排查", "--stats-date", "2024-06-30",
               "--work-plan", "2024-06-20", "--tables", "2024-07-15", "--stage-summary", "2024-07-25",
               "--final-report", "2024-10-15")
    assert done.exit_code == 0, done.output
    assert app.test_client().get("/api/v1/campaign").get_json()["deadlines"]["final_report"] == "2024-10-15"
    again = run("campaign", "set", "--final-report", "2024-10-20")  # the rest kept
    assert again.exit_code == 0 and "排查工作：2024年党员组织关系排查" in again.output
    assert "工作方案报送期限：2024-06-20" in again.output and "工作总结报送期限：2024-10-20" in again.output
    bad = run("campaign", "set", "--work-plan", "2024-11-01")
    assert bad.exit_code == 1 and "deadlines.final_report" in bad.output
    assert "工作总结报送期限：2024-10-20" in run("campaign", "show").output


def test_branches_import_xlsx_then_list_and_clerks(app, tmp_path):
    path = tmp_path / "名单.xlsx"
    path.write_bytes(register_workbook(GOOD))
    done = run("branches", "import", str(path))
    assert done.exit_code == 0, done.output
    assert "新增 2 个，更新 0 个；名单中共 2 个党组织" in done.output
    listed = run("branches", "list").output
    assert "WJ001\t湖塘桥实验小学党支部\t在册\t0\t王芳\ta@example.edu.cn；b@example.edu.cn" in listed
    assert "13912345678" not in listed and "86310611" not in listed  # no phone printed
    register = app.test_client().get("/api/v1/register").get_json()["branches"]
    assert register[1]["phone"] == "13912345678"
    codes = [b["code"] for b in app.test_client().get("/api/v1/branches").get_json()["branches"]]
    assert codes == ["WJ001", "WJ002"]  # in the list before either sent anything
    made = run("users", "create", "--clerks-for-all-branches").output
    assert "新建 2 个支部党务干事账号" in made and "WJ002\twj002\t" in made


def test_a_withdrawn_branch_gets_no_clerk(app, tmp_path):
    rows = [GOOD[0], [2, "WJ002", "星河小学党支部", None, None, None, None, None, None, "撤销"]]
    path = tmp_path / "名单.xlsx"
    path.write_bytes(register_workbook(rows))
    assert run("branches", "import", str(path)).exit_code == 0
    made = run("users", "create", "--clerks-for-all-branches").output
    assert "新建 1 个" in made and "WJ002" not in made


def test_a_bad_row_imports_nothing_and_names_row_and_column(app, tmp_path):
    path = tmp_path / "名单.xlsx"
    path.write_bytes(register_workbook(BAD))
    result = run("branches", "import", str(path))
    assert result.exit_code == 1
    out = result.output
    assert "2 行有错误" in out and "什么也没有导入" in out
    # the title is row 1 and the header row 2: the third branch is on row 5
    for text in ("第5行「编号」：编号「WJ001」与第1个党组织重复", "第6行「编号」：编号应为1–16位字母或数字",
                 "第6行「简称」", "第6行「党组织类型」", "第6行「联系电话」", "第6行「电子邮箱」"):
        assert text in out, text
    assert "名单为空" in run("branches", "list").output


def test_gbk_csv_through_the_console_script(app, instance, tmp_path):
    text = "编号,简称,联系人,联系电话\nWJ010,礼河实验学校党支部,李明,0519-86310612\n"
    path = tmp_path / "名单.csv"
    path.write_bytes(text.encode("gbk"))
    env = {**os.environ, "PAICHA_INSTANCE_DIR": str(instance)}
    env.pop("DATABASE_URL", None)
    env.pop("PAICHA_DATABASE_URL", None)
    proc = subprocess.run([str(PAICHA), "branches", "import", str(path)], capture_output=True, text=True, env=env,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "新增 1 个" in proc.stdout
    assert app.test_client().get("/api/v1/register").get_json()["branches"][0]["name"] == "礼河实验学校党支部"
    missing = subprocess.run([str(PAICHA), "branches", "import", str(tmp_path / "无.xlsx")], capture_output=True,
                             text=True, env=env, timeout=120)
    assert missing.returncode == 4 and "找不到文件" in missing.stderr
