"""`paicha branches import FILE` and `paicha branches list`: the district's register of branches.

The file is the district's own list (.xlsx, .xls, .et, .ods or .csv in UTF-8 or GBK), read as the
district page's upload reads it (service.intake.register_file): a header row with at least 编号 and
简称, one branch a row. A list with any bad row is not imported at all; each problem is printed with
its row and column. Branches already registered are updated; none is ever deleted.
"""
from __future__ import annotations

from pathlib import Path

import click

from service.access import audit
from service.clock import utcnow
from service.intake.register_file import read_register
from service.store import register as registry

from .base import EXIT_INPUT, Command, Failure, Group, current_database, url_of

MAX_BYTES = 20 * 1024 * 1024
CLI_ACTOR = "命令行"


def _database():
    from service import config

    return current_database(config.load())


@click.group("branches", cls=Group, short_help="党组织名单：从 Excel/CSV 导入、列出")
def branches_group() -> None:
    """区委教育工委的党组织名单：编号、简称、全称、单位名称、党组织类型、联系人、联系电话、电子邮箱、状态。

    \b
    paicha branches import 党组织名单.xlsx
    paicha branches list
    """


@branches_group.command("import", cls=Command, short_help="从 Excel 或 CSV 导入党组织名单（新增或更新）")
@click.argument("file", type=click.Path())
def branches_import(file: str) -> None:
    """从区里的名单文件 FILE（.xlsx、.xls、.csv 等）导入党组织：表头须有「编号」和「简称」，其余列可有全称、
    单位名称、党组织类型、联系人、联系电话、电子邮箱（多个用分号隔开）、状态（在册、撤销、合并）、并入编号。

    名单中已有的编号更新，没有的新增；名单从不删除党组织。任何一行有错时什么也不导入，逐行列出错误，退出码为 1。
    """
    path = Path(file)
    if not path.is_file():
        raise Failure(f"找不到文件 {file}" if not path.exists() else f"{file} 不是文件", EXIT_INPUT)
    content = path.read_bytes()
    if len(content) > MAX_BYTES:
        raise Failure(f"文件 {file} 超过 {MAX_BYTES // 1024 // 1024} MB，不像党组织名单", EXIT_INPUT)
    entries = read_register(content, path.name)  # InvalidRegister: each problem printed, exit code 1 (base)
    db = _database()
    try:
        with db.writing() as session:
            changed = registry.upsert(session, entries, utcnow())
            total = len(registry.states(session))
            audit.record(session, audit.Entry(
                actor=CLI_ACTOR, action="admin", status=0,
                detail=f"导入党组织名单 {path.name[:60]}：新增 {len(changed['added'])} 个，更新 {len(changed['updated'])} 个"),
                utcnow())
    finally:
        db.dispose()
    click.echo(f"已导入 {path.name}（{url_of(db)}）：新增 {len(changed['added'])} 个，更新 {len(changed['updated'])} 个；"
               f"名单中共 {total} 个党组织。")


@branches_group.command("list", cls=Command, short_help="列出党组织名单")
def branches_list() -> None:
    """列出名单中的每个党组织：编号、简称、状态、已保存的数据版本数、联系人和电子邮箱（不列电话）。"""
    db = _database()
    try:
        with db.reading() as session:
            rows = registry.listing(session)
    finally:
        db.dispose()
    if not rows:
        click.echo("党组织名单为空：用 paicha branches import 名单.xlsx 导入。")
        return
    click.echo("编号\t简称\t状态\t版本数\t联系人\t电子邮箱")
    for row in rows:
        state = row["state_label"] + (f"（并入 {row['merged_into']}）" if row["merged_into"] else "")
        click.echo(f"{row['code']}\t{row['name']}\t{state}\t{row['versions']}\t{row['contact'] or '—'}\t"
                   f"{'；'.join(row['emails']) or '—'}")
    click.echo(f"共 {len(rows)} 个党组织。")
