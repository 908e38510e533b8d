"""`paicha`: the clerk's command line — check a 数据采集表 (.xlsx) or 数据包 (.json), render the deliverables.

A plain click group, not Flask's: no Flask options, Paicha's own version, Chinese help. The Flask
app is created only when a PDF is to be made, for the converter it owns (service.pdf.runtime).
One module per command group, each importing only base (and the service below it); this module
assembles them under `main`, the console script.
"""
from __future__ import annotations

from importlib import metadata

import click

from . import batch, branches, campaign, db, documents, imports, remind, users
from .base import (
    EXIT_CODES, EXIT_DATABASE, EXIT_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_INVALID, EXIT_OK, EXIT_OUTPUT, EXIT_PDF,
    EXIT_USAGE, Group,
)

# the console script, and the exit codes: the command line's contract with the scripts that run it
__all__ = ["main", "EXIT_CODES", "EXIT_OK", "EXIT_INVALID", "EXIT_USAGE", "EXIT_PDF", "EXIT_INPUT", "EXIT_OUTPUT",
           "EXIT_DATABASE", "EXIT_INTERNAL", "EXIT_INTERRUPTED"]


def _version() -> str:
    try:
        return metadata.version("paicha")
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "未安装（无版本信息）"


def _show_version(ctx: click.Context, _param, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(f"paicha {_version()}")
        ctx.exit(EXIT_OK)


def _exit_table() -> str:
    return "\n".join(["\b", "退出码："] + [f"  {code:<4}{text}" for code, text in EXIT_CODES])


@click.group("paicha", cls=Group, context_settings={"help_option_names": ["-h", "--help"]},
             epilog=_exit_table())
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_show_version,
              help="显示 Paicha 的版本号并退出")
def main() -> None:
    """排查文书服务命令行：校验数据采集表（.xlsx）或数据包（.json），按规定文件名生成报送材料。

    \b
    paicha validate 数据采集表.xlsx
    paicha render 数据采集表.xlsx --out 输出目录
    paicha render 数据包.json --out 输出目录 --only print
    paicha import 收到的文件夹
    """


for command in (documents.validate_cmd, documents.render_cmd, db.db_group, imports.import_cmd, batch.batch_cmd,
                batch.worker_cmd, users.users_group, users.tokens_group, campaign.campaign_group,
                branches.branches_group, remind.remind_cmd):
    main.add_command(command)
