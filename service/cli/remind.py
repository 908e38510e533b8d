"""`paicha remind`: the day's reminder rules from a terminal, or from cron where there is no Redis.

Runs what POST /api/v1/reminders/run runs (service.jobs.reminders) on the configured database and
channels, and prints one line per send and the counts per channel. --dry-run prints the plan and
sends nothing; --day plans for another Beijing day (a test of the calendar, or a day that was missed).
"""
from __future__ import annotations

from datetime import date
from typing import Optional

import click

from service.clock import beijing_day, utcnow
from service.domain.reminders import Reminder

from .base import Command, current_database

ACTOR = "paicha remind"
AUDIENCES = {"group": "群", "mail": "邮件"}


def _day(_ctx, _param, value: Optional[str]) -> Optional[date]:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"「{value}」不是日期，应为 2023-06-17 这样的年-月-日") from None


def _planned(reminder: Reminder) -> str:
    key = reminder.key
    to = "、".join(reminder.to) if reminder.to else ("（未登记电子邮箱）" if reminder.audience == "mail" else "")
    return f"  {key.kind:<9} {key.branch:<8} {key.deliverable:<14} {AUDIENCES[reminder.audience]} {to}  {reminder.subject}"


@click.command("remind", cls=Command, short_help="按今天的规则发送报送提醒（企业微信、钉钉、电子邮件）")
@click.option("--dry-run", is_flag=True, help="只列出将要发送的提醒，不发送")
@click.option("--day", callback=_day, metavar="YYYY-MM-DD", help="按这一天（北京时间）的规则，缺省为今天")
def remind_cmd(dry_run: bool, day: Optional[date]) -> None:
    """按今天（或 --day 那天，北京时间）的规则发送提醒：截止前 N 天提醒尚未报送的党组织，逾期未报时向群里发汇总。

    已被接收的提醒不再发送，失败的本次重发。没有 Redis 时可由 cron 每天运行，例如：

    \b
    30 8 * * * cd /srv/paicha && .venv/bin/paicha remind >> instance/remind.log 2>&1
    """
    from service import config
    from service.jobs import reminders

    cfg = config.load()
    day = day or beijing_day(utcnow())
    db = current_database(cfg)
    try:
        if dry_run:
            planned = reminders.plan_day(db, cfg, day)
            click.echo(f"{day.isoformat()}（北京时间）将发送 {len(planned)} 条提醒（未发送）：")
            for reminder in planned:
                click.echo(_planned(reminder))
            return
        result = reminders.run_day(db, cfg, day, ACTOR)
    finally:
        db.dispose()
    click.echo(f"{day.isoformat()}（北京时间）：应发送 {len(result.planned)} 条提醒")
    for row in result.rows:
        click.echo(f"  {row.channel:<8} {row.result:<10} {row.kind:<9} {row.branch:<8} {row.deliverable:<14} "
                   f"{row.recipient}  {row.detail}")
    for channel, counts in result.by_channel().items():
        click.echo(f"{channel}：接收 {counts['accepted']}，失败 {counts['failed']}，无渠道 {counts['no_channel']}")
    if any(r.result == "failed" for r in result.rows):
        click.echo("注意：部分提醒发送失败（见上），下次运行时重发", err=True)
