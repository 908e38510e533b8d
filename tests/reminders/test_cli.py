"""`paicha remind`: the plan shown with --dry-run (nothing sent, nothing logged), then sent for the
given Beijing day through a robot on loopback, and not sent twice."""
from __future__ import annotations

from click.testing import CliRunner

from service.cli import main
from service.store.db import Database

from .helpers import LimitedRobot, add_branches, log_rows


def test_dry_run_shows_the_plan_and_a_run_sends_it_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'paicha.db'}"
    robot = LimitedRobot()
    env = {"PAICHA_INSTANCE_DIR": str(tmp_path), "PAICHA_DATABASE_URL": url, "PAICHA_NOTIFY_WECOM_URL": robot.url(),
           "PAICHA_REDIS_URL": ""}
    try:
        runner = CliRunner()
        first = runner.invoke(main, ["remind", "--dry-run"], env=env)  # migrates the embedded database
        assert first.exit_code == 0, first.output
        db = Database(url)
        add_branches(db, ("WJ023", "星辰实验学校党支部", False), ("WJ017", "湖塘实验中学党支部", True))
        shown = runner.invoke(main, ["remind", "--dry-run", "--day", "2023-06-19"], env=env)
        assert shown.exit_code == 0, shown.output
        assert "2023-06-19（北京时间）将发送 2 条提醒（未发送）" in shown.output
        assert "due_soon  *" in shown.output and "WJ023" in shown.output and "（未登记电子邮箱）" in shown.output
        assert robot.calls == [] and log_rows(db) == []
        sent = runner.invoke(main, ["remind", "--day", "2023-06-19"], env=env)
        assert sent.exit_code == 0, sent.output
        assert "wecom：接收 1，失败 0，无渠道 0" in sent.output
        assert len(robot.calls) == 1 and "明天截止" in robot.calls[0].text
        assert log_rows(db) == [("due_soon", "*", "work_plan", "wecom", "accepted"),
                                ("due_soon", "WJ023", "work_plan", "none", "no_channel")]
        again = runner.invoke(main, ["remind", "--day", "2023-06-19"], env=env)
        assert "应发送 0 条提醒" in again.output and len(robot.calls) == 1
        bad = runner.invoke(main, ["remind", "--day", "6月19日"], env=env)
        assert bad.exit_code == 2 and "不是日期" in bad.output
        db.dispose()
    finally:
        robot.close()
