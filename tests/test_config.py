"""One config: every setting has its default in service/config.py; the environment overrides any."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from service import config

ROOT = Path(__file__).resolve().parents[1]


# settings whose text is checked beyond its kind: a value each takes, and the settings it needs beside it
CHECKED = {
    "NOTIFY_WECOM_URL": ("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", {}),
    "NOTIFY_DINGTALK_URL": ("https://oapi.dingtalk.com/robot/send?access_token=t", {}),
    "NOTIFY_DINGTALK_SECRET": ("SEC" + "0a" * 32,
                               {"PAICHA_NOTIFY_DINGTALK_URL": "https://oapi.dingtalk.com/robot/send?access_token=t"}),
    "SMTP_URL": ("smtps://paicha:pw@mail.example.cn", {"PAICHA_MAIL_FROM": "paicha@example.cn"}),
    "MAIL_FROM": ("区委教育工委 <paicha@example.cn>", {}),
    "REMIND_DAYS_BEFORE": ("7,3,1", {}),
    "REMIND_AT": ("08:30", {}),
}


@pytest.mark.parametrize("setting", config.SETTINGS, ids=lambda s: s.name)
def test_every_setting_can_be_set_from_the_environment(setting, tmp_path):
    raw, expected = {
        int: ("7", 7), float: ("2.5", 2.5), bool: ("false", False), str: (str(tmp_path), str(tmp_path)),
    }[setting.kind]
    if setting.choices:  # a setting of a few words takes the last of them
        raw = expected = setting.choices[-1]
    beside = {}
    if setting.name in CHECKED:
        (raw, beside), expected = CHECKED[setting.name], CHECKED[setting.name][0]
    values = config.load(environ={f"PAICHA_{setting.name}": raw, **beside})
    assert values[setting.name] == expected


@pytest.mark.parametrize("setting", [s for s in config.SETTINGS if s.kind in (int, float, bool)],
                         ids=lambda s: s.name)
def test_a_malformed_value_names_the_variable(setting):
    with pytest.raises(config.ConfigError, match=f"PAICHA_{setting.name}='many'"):
        config.load(environ={f"PAICHA_{setting.name}": "many"})


def test_a_word_outside_a_settings_choices_names_the_variable():
    with pytest.raises(config.ConfigError, match="PAICHA_LOG_FORMAT='xml'.*json 或 text"):
        config.load(environ={"PAICHA_LOG_FORMAT": "xml"})


def test_a_malformed_value_stops_the_service_before_it_serves(tmp_path):
    env = dict(os.environ, PAICHA_PDF_DEADLINE="soon", PAICHA_INSTANCE_DIR=str(tmp_path))
    proc = subprocess.run([sys.executable, "-c", "import service.wsgi"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    assert "PAICHA_PDF_DEADLINE='soon'" in proc.stderr


def test_explicit_overrides_win_and_derived_defaults_follow(tmp_path):
    values = config.load({"INSTANCE_DIR": str(tmp_path)}, environ={"PAICHA_INSTANCE_DIR": "/elsewhere"})
    assert values["INSTANCE_DIR"] == str(tmp_path)
    assert values["DATABASE_URL"] == f"sqlite:///{tmp_path / 'paicha.db'}"


def test_the_database_url_takes_its_plain_name_too_and_the_prefixed_one_wins():
    plain = "postgresql+psycopg://paicha@db.example/paicha"
    assert config.load(environ={"DATABASE_URL": plain})["DATABASE_URL"] == plain
    both = {"DATABASE_URL": plain, "PAICHA_DATABASE_URL": "sqlite:////srv/paicha.db"}
    assert config.load(environ=both)["DATABASE_URL"] == "sqlite:////srv/paicha.db"


def test_a_database_timeout_of_zero_is_refused():
    with pytest.raises(config.ConfigError, match="PAICHA_DATABASE_TIMEOUT"):
        config.load(environ={"PAICHA_DATABASE_TIMEOUT": "0"})


def test_cpu_defaults_follow_the_affinity_mask_not_the_host():
    script = ("import os; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))}); "
              "from service import config; v = config.load(environ={}); "
              "print(v['PDF_POOL_SIZE'], v['WEB_WORKERS'])")
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["1", "2"], out.stderr  # never fewer than two web workers


def test_zero_workers_is_refused():
    with pytest.raises(config.ConfigError, match="PAICHA_WEB_WORKERS"):
        config.load(environ={"PAICHA_WEB_WORKERS": "0"})


def test_nothing_else_reads_the_environment():
    """service/config.py reads os.environ; the rest of the service asks it."""
    readers = []
    for path in sorted((ROOT / "service").rglob("*.py")) + sorted((ROOT / "schemas").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        text = path.read_text(encoding="utf-8")
        if re.search(r"os\.environ\.get|os\.getenv|environ\[[^\]]+\](?!\s*=)", text) and rel not in (
                "service/config.py",
                "service/pdf/hidden_server.py",  # the LibreOffice child: the supervisor passes it its settings
        ):
            readers.append(rel)
    assert readers == []


def test_the_configuration_table_lists_every_setting_once_with_its_default():
    """docs/operations.md's table: one row per setting, its default the code's, its plain name when it takes one."""
    page = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    found = re.findall(r"^\| `PAICHA_([A-Z_]+)`([^|]*)\| ([^|]+?) \|", page, flags=re.M)
    names = [name for name, _, _ in found]
    assert sorted(names) == sorted(set(names)), "a setting with two rows"
    assert {name: default for name, _, default in found} == {s.name: s.shown_default() for s in config.SETTINGS}
    for name, also, _ in found:
        plain = config.BY_NAME[name].plain_env
        assert (f"or `{name}`" in also) == plain, f"PAICHA_{name}: its row names the plain variable iff it is read"
