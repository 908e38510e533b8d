"""`paicha campaign show` and `paicha campaign set`: the campaign the district defines once — its name,
统计截止日期 and the four deadlines (the notice's while none is set). The same checks as
PUT /api/v1/campaign (schemas.register.load_campaign); every change is in the audit trail."""
from __future__ import annotations

from typing import Optional

import click

from schemas.register import load_campaign
from service.access import audit
from service.clock import utcnow
from service.domain import catalog
from service.store import campaign as campaigns

from .base import Group, current_database

CLI_ACTOR = "命令行"


def _database():
    from service import config

    return current_database(config.load())


def show_lines(campaign, defined: bool) -> list[str]:
    lines = [f"排查工作：{campaign.name}" + ("" if defined else "（区里尚未设定，以下为通知的缺省）"),
             f"统计截止日期：{campaign.stats_date.isoformat()}"]
    lines += [f"{label}报送期限：{getattr(campaign.deadlines, name).isoformat()}"
              for name, label in catalog.DELIVERABLE_LABELS.items()]
    return lines


@click.group("campaign", cls=Group, short_help="排查工作：名称、统计截止日期、四项报送期限")
def campaign_group() -> None:
    """区委教育工委设定的排查工作（全区一次设定）：名称、统计截止日期和工作方案、附件3–9、阶段性小结、
    工作总结的报送期限。未设定时以通知为准（6月20日、7月15日、7月25日、10月15日）。

    \b
    paicha campaign show
    paicha campaign set --name 2024年党员组织关系排查 --stats-date 2024-06-30 --work-plan 2024-06-20 \\
        --tables 2024-07-15 --stage-summary 2024-07-25 --final-report 2024-10-15
    """


@campaign_group.command("show", short_help="显示排查工作的设定")
def campaign_show() -> None:
    """显示排查工作的名称、统计截止日期和四项报送期限。"""
    db = _database()
    try:
        current = campaigns.current(db)
    finally:
        db.dispose()
    for line in show_lines(current or campaigns.effective_default(), current is not None):
        click.echo(line)


@campaign_group.command("set", short_help="设定排查工作（未给出的项保留原设定）")
@click.option("--name", default=None, help="名称，如「2024年党员组织关系排查」")
@click.option("--stats-date", default=None, help="统计截止日期 YYYY-MM-DD")
@click.option("--work-plan", default=None, help="工作方案报送期限 YYYY-MM-DD")
@click.option("--tables", default=None, help="附件3–9 报送期限 YYYY-MM-DD")
@click.option("--stage-summary", default=None, help="阶段性小结报送期限 YYYY-MM-DD")
@click.option("--final-report", default=None, help="工作总结报送期限 YYYY-MM-DD")
def campaign_set(name: Optional[str], stats_date: Optional[str], work_plan: Optional[str], tables: Optional[str],
                 stage_summary: Optional[str], final_report: Optional[str]) -> None:
    """设定排查工作；未给出的项保留现在的设定（尚未设定时取通知的）。"""
    db = _database()
    try:
        with db.writing() as session:
            body = (campaigns.current(session) or campaigns.effective_default()).as_dict()
            given = {"work_plan": work_plan, "tables": tables, "stage_summary": stage_summary,
                     "final_report": final_report}
            body["deadlines"].update({k: v for k, v in given.items() if v is not None})
            body.update({k: v for k, v in (("name", name), ("stats_date", stats_date)) if v is not None})
            campaign = load_campaign(body)  # InvalidRegister: each problem printed, exit code 1 (base)
            campaigns.set_campaign(session, campaign, CLI_ACTOR, utcnow())
            audit.record(session, audit.Entry(actor=CLI_ACTOR, action="admin", status=0,
                                              detail=f"设定排查工作「{campaign.name}」"), utcnow())
    finally:
        db.dispose()
    click.echo("已保存。")
    for line in show_lines(campaign, True):
        click.echo(line)
