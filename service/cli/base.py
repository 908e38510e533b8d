"""What every `paicha` command group shares: exit codes, the error that carries one, the click
classes (Chinese help; whatever a command raises becomes its exit code), the database helpers.

Exit codes: EXIT_CODES below, printed as a table at the end of `paicha --help`. 1 always means
the data is wrong, never a crash (a bug exits 70 with its traceback); 2 is click's usage error.
"""
from __future__ import annotations

import traceback

import click

from service.errors import (
    BadUpload, ConversionBusy, ConversionFailed, ConversionUnavailable, InvalidDataset, InvalidRegister, PaichaError,
    QueueUnavailable, StoreUnavailable, TooLarge,
)

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2  # click's own code for a usage error
EXIT_PDF = 3
EXIT_INPUT = 4
EXIT_OUTPUT = 5
EXIT_DATABASE = 6
EXIT_INTERNAL = 70  # sysexits EX_SOFTWARE
EXIT_INTERRUPTED = 130

EXIT_CODES = (
    (EXIT_OK, "成功"),
    (EXIT_INVALID, "数据未通过校验（逐条列出错误；数据采集表指明工作表、行、列和单元格）"),
    (EXIT_USAGE, "用法错误：未知的选项或文书编号、缺少参数、环境变量 PAICHA_* 的值无效"),
    (EXIT_PDF, "PDF 无法生成：未安装或未启用 LibreOffice、转换繁忙或转换失败"),
    (EXIT_INPUT, "输入文件无法读取：不存在、不是 JSON 或 .xlsx、已损坏、不是 UTF-8"),
    (EXIT_OUTPUT, "输出无法写入（--out 目录不可写、磁盘已满等）"),
    (EXIT_DATABASE, "数据库或任务队列（Redis）无法连接，或数据库结构不是最新（paicha db upgrade）"),
    (EXIT_INTERNAL, "程序内部错误（附带错误信息，请报告维护者）"),
    (EXIT_INTERRUPTED, "被中断（Ctrl-C）"),
)


class Failure(click.ClickException):
    """A failure with its own exit code, shown as 「错误：…」 on stderr."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file=None) -> None:
        click.echo(f"错误：{self.format_message()}", err=True, file=file)


def failure_for(err: PaichaError) -> Failure:
    """The exit code of a domain error raised while rendering."""
    if isinstance(err, (ConversionUnavailable, ConversionBusy, ConversionFailed)):
        return Failure(err.message, EXIT_PDF)
    if isinstance(err, InvalidDataset):
        return Failure(err.message, EXIT_INVALID)
    if isinstance(err, InvalidRegister):  # the district's list or campaign: each problem on its line
        return Failure("\n".join([err.message] + [
            "  " + (e["message"] if e.get("row") else f"{e.get('path') or ''}：{e['message']}") for e in err.errors]),
            EXIT_INVALID)
    if isinstance(err, (StoreUnavailable, QueueUnavailable)):
        return Failure(err.message, EXIT_DATABASE)
    if isinstance(err, (BadUpload, TooLarge)):
        # raised by the PDF engine for an office file it will not take: the PDF could not be made
        return Failure(err.message, EXIT_PDF)
    return Failure(err.message, EXIT_USAGE)  # UnknownDocument, UnsupportedFormat


# ---- click classes: Chinese help, exit codes for whatever a command raises --------------------

class _ChineseHelp:
    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "显示本帮助并退出"
        return option


class Command(_ChineseHelp, click.Command):
    pass


class Group(_ChineseHelp, click.Group):
    command_class = Command

    def invoke(self, ctx):
        from service.config import ConfigError

        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("\n已中断", err=True)
            raise click.exceptions.Exit(EXIT_INTERRUPTED) from None
        except ConfigError as err:
            raise Failure(str(err), EXIT_USAGE) from None
        except PaichaError as err:
            raise failure_for(err) from None
        except Exception:  # noqa: BLE001 - a bug: say so with the traceback, under its own code
            click.echo(traceback.format_exc(), err=True)
            raise Failure("程序内部错误，请把以上信息报告给维护者", EXIT_INTERNAL) from None


# ---- the database ------------------------------------------------------------------------------

def database():
    """The configured database as it is: what `paicha db` upgrades or reports on."""
    from service import config
    from service.store.db import Database

    return Database.from_settings(config.load())


def url_of(db) -> str:
    """The database's URL without its password, for the messages that name it."""
    return db.engine.url.render_as_string(hide_password=True)


def current_database(settings: dict):
    """The database, its schema brought up to date when it is the embedded SQLite (as the service
    does on start); another one must have been upgraded (paicha db upgrade)."""
    from service.store import migrate
    from service.store.db import Database

    db = Database.from_settings(settings)
    try:
        if db.sqlite:
            migrate.upgrade(db)
        elif migrate.current(db) != migrate.head():
            raise Failure("数据库结构不是最新，请先运行 paicha db upgrade", EXIT_DATABASE)
    except BaseException:
        db.dispose()
        raise
    return db
