"""`paicha db`: the database's schema, brought up to date or reported on (service.store.migrate)."""
from __future__ import annotations

import click

from .base import EXIT_DATABASE, Failure, Group, database, url_of


@click.group("db", cls=Group, short_help="数据库：升级结构、查看版本")
def db_group() -> None:
    """数据库（DATABASE_URL；缺省为 INSTANCE_DIR 下的 SQLite 文件，服务启动时自动升级）。

    \b
    paicha db upgrade     把数据库结构升级到最新（PostgreSQL 等须在启动服务前运行）
    paicha db current     显示数据库当前的结构版本和最新版本
    """


@db_group.command("upgrade", short_help="把数据库结构升级到最新")
def db_upgrade() -> None:
    """把 DATABASE_URL 所指的数据库结构升级到最新版本（已是最新时什么也不做）。"""
    from service.store import migrate

    db = database()
    try:
        before, after = migrate.upgrade(db)
    finally:
        db.dispose()
    if before == after:
        click.echo(f"数据库 {url_of(db)} 已是最新结构（{after}），无需升级")
    else:
        click.echo(f"数据库 {url_of(db)} 已升级：{before or '空库'} → {after}")


@db_group.command("current", short_help="显示数据库的结构版本")
def db_current() -> None:
    """显示数据库当前的结构版本和本程序的最新版本；不是最新时退出码为 6。"""
    from service.store import migrate

    db = database()
    try:
        now, newest = migrate.current(db), migrate.head()
    finally:
        db.dispose()
    click.echo(f"数据库 {url_of(db)}：当前 {now or '空库（从未升级）'}，最新 {newest}")
    if now != newest:
        raise Failure("数据库结构不是最新，请运行 paicha db upgrade", EXIT_DATABASE)
