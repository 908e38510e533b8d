"""`paicha import`: a folder of received workbooks and JSON files stored as each branch's next version."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import click

from service.clock import utcnow

from .base import EXIT_INPUT, EXIT_INVALID, Command, Failure, current_database, url_of


@click.command("import", cls=Command, short_help="把文件夹中的数据采集表和数据包存为各支部的报送版本")
@click.argument("folder", type=click.Path())
@click.option("--actor", default=None, help="记录的报送人，如「区委教育工委 王老师」（可不填）")
def import_cmd(folder: str, actor: Optional[str]) -> None:
    """把文件夹 FOLDER 中的每个数据采集表（.xlsx）和数据包（.json）存入数据库，作为所填支部的下一版（来源 import），
    与网页上传相同：有错的、读不出的文件也保存，一个文件有问题不影响其他文件。

    逐个报告：支部编号、版本号、通过校验，或错误数和前几处单元格；最后一行为合计。内容与该支部最新一版
    相同的文件不重复保存，所以同一文件夹可以反复导入。
    全部通过时退出码为 0；有未通过校验的文件时为 1；有无法读取的文件时为 4。
    """
    from service import config
    from service.store import folder as imports

    where = Path(folder)
    if not where.is_dir():
        raise Failure(f"找不到文件夹 {folder}" if not where.exists() else f"{folder} 不是文件夹", EXIT_INPUT)
    files, others = imports.candidates(where)
    if not files:
        raise Failure(f"文件夹 {folder} 中没有数据采集表（.xlsx）或数据包（.json）", EXIT_INPUT)
    settings = config.load()
    db = current_database(settings)
    counts = dict.fromkeys(("valid", "invalid", "unreadable", "unopened"), 0)
    stored = repeated = 0
    try:
        for i, path in enumerate(files, start=1):
            outcome = imports.import_file(db, path, settings["MAX_CONTENT_LENGTH"], utcnow(), actor)
            counts[outcome.state] += 1
            stored += outcome.stored is not None
            repeated += outcome.same_as is not None
            click.echo(f"[{i}/{len(files)}] {path.name}：{_outcome_text(outcome)}")
    finally:
        db.dispose()
    if others:
        click.echo(f"未导入 {len(others)} 个其他文件（只导入 .xlsx 和 .json）：{'、'.join(p.name for p in others[:5])}"
                   + ("…" if len(others) > 5 else ""))
    click.echo(f"合计 {len(files)} 个文件：通过校验 {counts['valid']}，未通过 {counts['invalid']}，"
               f"无法读取 {counts['unreadable'] + counts['unopened']}；新存入 {stored} 份"
               + (f"，{repeated} 份与已存版本相同未重复保存" if repeated else "") + f"（数据库 {url_of(db)}）")
    if counts["unreadable"] or counts["unopened"]:
        raise click.exceptions.Exit(EXIT_INPUT)
    if counts["invalid"]:
        raise click.exceptions.Exit(EXIT_INVALID)


def _outcome_text(outcome) -> str:
    """One file's line: 「WJ017 第2版，通过校验（提示 3 条）」 or its errors and where they are."""
    stored = outcome.stored
    if outcome.state == "unopened":
        return outcome.message
    if stored is None:  # the same as a kept version
        where, kept = outcome.same_as, "未重复保存"
    else:
        where = f"支部 {stored.branch_code} 第{stored.version}版" if stored.branch_code else "读不出支部编号"
        kept = "已保存"
    if outcome.state == "valid":
        return f"{where}，通过校验" + (f"（提示 {outcome.warnings} 条）" if outcome.warnings else "") + \
            ("" if stored else f"，{kept}")
    if outcome.state == "invalid":
        more = "…" if len(outcome.errors) > len(outcome.places) else ""
        return f"{where}，未通过校验：{len(outcome.errors)} 处错误（{'、'.join(outcome.places)}{more}），{kept}"
    return f"无法读取：{outcome.message}（原文件已保存）" if stored else \
        f"无法读取：{outcome.message}（{outcome.same_as}，未重复保存）"
