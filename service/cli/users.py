"""`paicha users …` and `paicha tokens …`: accounts and API tokens, made and managed on the server.

One-time passwords and token secrets are printed once, each on a line of its own, and never kept:
the database holds only their hashes. Every change is written to the audit trail as done by 命令行.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional

import click

from service.access import accounts, audit, tokens
from service.access.principal import ROLE_LABELS
from service.clock import beijing, utcnow

from .base import EXIT_USAGE, Failure, Group, current_database, url_of

CLI_ACTOR = "命令行"


def _database():
    """The configured database, current (the embedded SQLite migrated first)."""
    from service import config

    return current_database(config.load())


def _record(session, detail: str, branch: Optional[str] = None) -> None:
    audit.record(session, audit.Entry(actor=CLI_ACTOR, action="admin", status=0, branch_code=branch, detail=detail),
                 utcnow())


def _local(moment: Optional[datetime]) -> str:
    return beijing(moment).strftime("%Y-%m-%d %H:%M") if moment else "—"


# ---- users ----------------------------------------------------------------------------------------


@click.group("users", cls=Group, short_help="账号：新建、列出、停用、重置密码")
def users_group() -> None:
    """账号（网页登录用）：区委教育工委的区级账号可看全部支部，支部党务干事的账号只能看本支部。

    \b
    paicha users create --role clerk --branch WJ017 --name wj017-wang [--display 王老师]
    paicha users create --role district --name zhang
    paicha users create --clerks-for-all-branches     每个在党组织名单中或已报送过数据的支部各建一个账号
    paicha users list | disable NAME | enable NAME | reset-password NAME | ensure-admin

    新建和重置时打印一次性密码（只显示这一次），登录后须设置新密码。
    """


@users_group.command("create", short_help="新建账号，打印一次性密码")
@click.option("--role", type=click.Choice(["district", "clerk"]), help="district：区委教育工委；clerk：支部党务干事")
@click.option("--branch", "branch", default=None, help="支部编号（clerk 必填）")
@click.option("--name", "login", default=None, help="账号名：小写字母、数字或 . _ -")
@click.option("--display", default=None, help="显示的姓名，如「王老师」（可不填）")
@click.option("--clerks-for-all-branches", is_flag=True, help="为名单中（在册）和已报送过数据的每个支部各建一个党务干事账号（账号名为支部编号小写）")
def users_create(role, branch, login, display, clerks_for_all_branches) -> None:
    """新建一个账号（或 --clerks-for-all-branches 为每个支部各建一个），打印一次性密码。"""
    db = _database()
    try:
        with db.writing() as session:
            if clerks_for_all_branches:
                if role or branch or login:
                    raise Failure("--clerks-for-all-branches 不与 --role、--branch、--name 同用", EXIT_USAGE)
                made, skipped = accounts.clerks_for_all_branches(session, utcnow())
                for item in made:
                    _record(session, f"新建账号 {item.login}（支部党务干事）", item.branch_code)
            else:
                if not role or not login:
                    raise Failure("请给出 --role 和 --name（或用 --clerks-for-all-branches）", EXIT_USAGE)
                made, skipped = [accounts.create(session, login, role, branch, utcnow(), display)], []
                _record(session, f"新建账号 {made[0].login}（{ROLE_LABELS[role]}）", made[0].branch_code)
    except accounts.AccountError as err:
        raise Failure(str(err), EXIT_USAGE) from None
    finally:
        db.dispose()
    if clerks_for_all_branches:
        click.echo(f"新建 {len(made)} 个支部党务干事账号（{url_of(db)}）；{len(skipped)} 个支部已有账号，未新建。")
        if made:
            click.echo("支部编号\t账号\t一次性密码（只显示这一次，登录后须修改）")
    for item in made:
        if clerks_for_all_branches:
            click.echo(f"{item.branch_code}\t{item.login}\t{item.one_time_password}")
        else:
            where = f"，支部 {item.branch_code}" if item.branch_code else ""
            click.echo(f"已新建账号 {item.login}（{ROLE_LABELS[item.role]}{where}）。一次性密码（只显示这一次，登录后须修改）：")
            click.echo(item.one_time_password)


@users_group.command("list", short_help="列出全部账号")
def users_list() -> None:
    """列出全部账号：角色、支部、状态、最近登录时间（北京时间）。"""
    db = _database()
    now = utcnow()
    try:
        with db.reading() as session:
            rows = accounts.listing(session)
            click.echo("账号\t角色\t支部\t状态\t最近登录")
            for a in rows:
                state = "已停用" if a.disabled else "已锁定" if a.locked_until and a.locked_until > now else \
                    "待改密码" if a.must_change_password else "正常"
                click.echo("\t".join((a.login, ROLE_LABELS[a.role], a.branch_code or "全部", state,
                                      _local(a.last_login_at))))
    finally:
        db.dispose()


def _change(login: str, what: str, change) -> None:
    db = _database()
    try:
        with db.writing() as session:
            account = accounts.by_login(session, login)
            if account is None:
                raise Failure(f"没有账号「{login}」（paicha users list 列出全部）", EXIT_USAGE)
            out = change(session, account)
            _record(session, f"{what} {account.login}", account.branch_code)
    finally:
        db.dispose()
    return out


@users_group.command("disable", short_help="停用账号（立即退出登录）")
@click.argument("login")
def users_disable(login: str) -> None:
    """停用账号 LOGIN：不能再登录，已登录的会话立即失效。"""
    _change(login, "停用账号", lambda s, a: accounts.set_disabled(a, True))
    click.echo(f"已停用账号 {accounts.normal_login(login)}")


@users_group.command("enable", short_help="重新启用账号")
@click.argument("login")
def users_enable(login: str) -> None:
    """重新启用被停用的账号 LOGIN。"""
    _change(login, "启用账号", lambda s, a: accounts.set_disabled(a, False))
    click.echo(f"已启用账号 {accounts.normal_login(login)}")


@users_group.command("reset-password", short_help="重置密码，打印新的一次性密码")
@click.argument("login")
def users_reset(login: str) -> None:
    """给账号 LOGIN 一个新的一次性密码（同时解除锁定，已登录的会话失效），登录后须修改。"""
    made = _change(login, "重置密码", lambda s, a: accounts.reset_password(s, a, utcnow()))
    click.echo(f"账号 {made.login} 的新一次性密码（只显示这一次，登录后须修改）：")
    click.echo(made.one_time_password)


@users_group.command("ensure-admin", short_help="没有区级账号时建一个 admin，打印一次性密码")
def users_ensure_admin() -> None:
    """没有可用的区级账号时，新建区级账号 admin 并打印一次性密码；已有时什么也不做（make run 每次启动前运行）。"""
    db = _database()
    try:
        with db.writing() as session:
            made = accounts.ensure_district(session, utcnow())
            if made is not None:
                _record(session, f"新建首个区级账号 {made.login}")
    finally:
        db.dispose()
    if made is not None:
        click.echo(f"已新建区级账号 {made.login}。一次性密码（只显示这一次，首次登录后须修改）：")
        click.echo(made.one_time_password)


# ---- tokens ----------------------------------------------------------------------------------------


@click.group("tokens", cls=Group, short_help="接口令牌：新建、列出、吊销")
def tokens_group() -> None:
    """接口令牌（其他系统调用接口用，请求头 Authorization: Bearer <令牌>）。

    \b
    paicha tokens create --branch WJ017 [--branch WJ018 …] [--expires-days 90] [--name 学校系统]
    paicha tokens create --district [--name 区平台]
    paicha tokens list | revoke NAME

    令牌只在新建时显示一次（单独一行），数据库只存其 SHA-256。
    """


@tokens_group.command("create", short_help="新建令牌，打印一次")
@click.option("--branch", "branches", multiple=True, help="可访问的支部编号（可写多次，或用逗号分开）")
@click.option("--district", is_flag=True, help="全区令牌：可访问全部支部和全区汇总")
@click.option("--expires-days", type=click.IntRange(min=1), default=None, help="多少天后过期（缺省：不过期）")
@click.option("--name", default=None, help="令牌名称，记入访问记录（缺省：支部编号或 district 加时间）")
def tokens_create(branches, district, expires_days, name) -> None:
    """新建一个令牌：限定若干支部（--branch）或全区（--district），打印令牌（只显示这一次）。"""
    codes = [c for item in branches for c in item.split(",") if c.strip()]
    if district == bool(codes):
        raise Failure("请给出 --branch（一个或多个支部）或 --district，二者选一", EXIT_USAGE)
    db = _database()
    try:
        with db.writing() as session:
            issued = tokens.create(session, None if district else codes, utcnow(), name, expires_days)
            scope = "全区" if issued.branches is None else "支部 " + "、".join(issued.branches)
            _record(session, f"新建令牌 {issued.name}（{scope}）", issued.branches[0] if issued.branches and
                    len(issued.branches) == 1 else None)
    except tokens.TokenError as err:
        raise Failure(str(err), EXIT_USAGE) from None
    finally:
        db.dispose()
    expiry = f"，{_local(issued.expires_at)} 过期" if issued.expires_at else "，不过期"
    click.echo(f"已新建令牌「{issued.name}」（{scope}{expiry}）。令牌如下，只显示这一次，请妥善保存：", err=True)
    click.echo(issued.secret)


@tokens_group.command("list", short_help="列出全部令牌")
def tokens_list() -> None:
    """列出全部令牌：名称、开头几位、范围、新建和过期时间（北京时间）、状态。"""
    db = _database()
    now = utcnow()
    try:
        with db.reading() as session:
            click.echo("名称\t开头\t范围\t新建\t过期\t状态")
            for t in tokens.listing(session):
                scope = "全区" if t.scope == "district" else "、".join(t.branches or [])
                click.echo(f"{t.name}\t{t.prefix}…\t{scope}\t{_local(t.created_at)}\t{_local(t.expires_at)}\t"
                           f"{tokens.STATE_LABELS[tokens.state(t, now)]}")
    finally:
        db.dispose()


@tokens_group.command("revoke", short_help="吊销令牌（立即失效）")
@click.argument("name")
def tokens_revoke(name: str) -> None:
    """吊销名为 NAME 的令牌：下一次请求起即被拒绝（401）。"""
    db = _database()
    try:
        with db.writing() as session:
            token = tokens.revoke(session, name, utcnow())
            _record(session, f"吊销令牌 {token.name}")
    except tokens.TokenError as err:
        raise Failure(str(err), EXIT_USAGE) from None
    finally:
        db.dispose()
    click.echo(f"已吊销令牌「{name}」")

