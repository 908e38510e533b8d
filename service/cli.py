"""`paicha`: the clerk's command line — check a 数据采集表 (.xlsx) or 数据包 (.json), render the deliverables.

A plain click group, not Flask's: no Flask options, Paicha's own version, Chinese help. The Flask
app is created only when a PDF is to be made, for the converter it owns (service.pdf_runtime).

Exit codes: EXIT_CODES below, printed as a table at the end of `paicha --help`. 1 always means
the data is wrong, never a crash (a bug exits 70 with its traceback); 2 is click's usage error.
"""
from __future__ import annotations

import contextlib
import json
import traceback
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Optional

import click

from service.domain import catalog
from service.errors import (
    BadUpload, ConversionBusy, ConversionFailed, ConversionUnavailable, InvalidDataset, PaichaError, QueueUnavailable,
    StoreUnavailable, TooLarge,
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

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, or an encrypted workbook
ZIP_MAGIC = b"PK\x03\x04"


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


# ---- reading the input ------------------------------------------------------------------------

@dataclass
class Input:
    """A dataset file as read: the contract JSON, the Dataset when valid, every problem."""

    path: str
    kind: str  # xlsx | json
    data: object
    dataset: object = None
    errors: list[dict] = field(default_factory=list)  # {"message", "path"} (+ sheet, row, column, cell)
    warnings: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.dataset is not None and not self.errors


def read_input(path: str) -> Input:
    """Read a 数据采集表 or a 数据包 and check it; Failure(EXIT_INPUT) when it cannot be read at all."""
    content = _bytes(path)
    if content.startswith(ZIP_MAGIC):
        return _read_workbook(path, content)
    if content.startswith(OLE_MAGIC):
        raise Failure(f"无法读取 {path}：这是旧版 Excel 97-2003（.xls）或加密的文件，请在 Excel/WPS 中"
                      "“另存为”Excel 工作簿（.xlsx）", EXIT_INPUT)
    if Path(path).suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        raise Failure(f"无法读取 {path}：文件已损坏，或不是 Excel 工作簿（.xlsx）", EXIT_INPUT)
    return _read_json(path, content)


def _bytes(path: str) -> bytes:
    file = Path(path)
    try:
        content = file.read_bytes()
    except FileNotFoundError:
        raise Failure(f"找不到文件 {path}", EXIT_INPUT) from None
    except IsADirectoryError:
        raise Failure(f"{path} 是目录，请给出数据采集表（.xlsx）或数据包（.json）文件", EXIT_INPUT) from None
    except OSError as err:
        raise Failure(f"无法读取 {path}：{err.strerror or err}", EXIT_INPUT) from None
    if not content.strip():
        raise Failure(f"{path} 是空文件", EXIT_INPUT)
    return content


def _read_workbook(path: str, content: bytes) -> Input:
    from service.intake import upload
    from service.intake.check import check_workbook

    try:
        upload.check_xlsx(content)  # a spreadsheet, not a docx or a zip bomb
        checked = check_workbook(content)
    except BadUpload as err:
        raise Failure(f"无法读取 {path}：{err.message}", EXIT_INPUT) from None
    return Input(path, "xlsx", checked.data, checked.dataset, [e.as_dict() for e in checked.errors],
                 [w.as_dict() for w in checked.warnings])


def _read_json(path: str, content: bytes) -> Input:
    import schemas
    from service.domain import rules

    try:
        data = json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise Failure(f"无法读取 {path}：既不是 Excel 工作簿（.xlsx），也不是 UTF-8 编码的 JSON 文件", EXIT_INPUT) from None
    except (json.JSONDecodeError, RecursionError) as err:
        where = f"（第{err.lineno}行第{err.colno}列）" if isinstance(err, json.JSONDecodeError) else ""
        what = "" if Path(path).suffix.lower() == ".json" else "既不是 Excel 工作簿（.xlsx），也不是有效的 JSON："
        raise Failure(f"无法读取 {path}：{what}JSON 格式错误{where}", EXIT_INPUT) from None
    dataset, errors = schemas.validate(data)
    warnings = [f.as_dict() for f in rules.findings(dataset)] if dataset is not None else []
    return Input(path, "json", data, dataset, errors, warnings)


def _error_text(item: dict) -> str:
    """A workbook problem names its cell already; a JSON one is prefixed with its path."""
    if "cell" in item:
        return item["message"]
    return f"{item.get('path') or '（整个数据包）'}：{item['message']}"


def _warning_text(item: dict) -> str:
    rule = f"[{item['rule']}] " if item.get("rule") else ""
    return f"{rule}{_error_text(item)}"


def _echo_errors(source: Input, heading: str) -> None:
    click.echo(f"{heading}：共 {len(source.errors)} 处错误", err=True)
    for err in source.errors:
        click.echo(f"  ✗ {_error_text(err)}", err=True)


def _load(path: str) -> Input:
    source = read_input(path)
    if not source.ok:
        _echo_errors(source, "校验未通过，未生成任何文件")
        raise click.exceptions.Exit(EXIT_INVALID)
    return source


# ---- validate ---------------------------------------------------------------------------------

@main.command("validate", short_help="校验数据采集表（.xlsx）或数据包（.json）")
@click.argument("file", type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出（与 POST /api/v1/validate 的应答相同）")
@click.pass_context
def validate_cmd(ctx: click.Context, file: str, as_json: bool) -> None:
    """校验 FILE：数据采集表（.xlsx）或数据包（.json）。

    列出全部错误（数据采集表的错误指明单元格，如「党员名册 第7行「公民身份号码」(E7)：…」）
    和三查三核提示；通过时给出党员人数等各项数字。不通过时退出码为 1。
    """
    source = read_input(file)
    result = _report(source)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        _print_report(source, result)
    ctx.exit(EXIT_OK if result["valid"] else EXIT_INVALID)


def _report(source: Input) -> dict:
    """What /validate answers for this data, with the workbook's cell-addressed errors and warnings."""
    from service.api.documents import report

    if not source.ok:
        return {"valid": False, "errors": source.errors, "warnings": source.warnings, "figures": None,
                "in_scope": 0, "excluded": [], "verification_code": None}
    result = report(source.data)
    if source.kind == "xlsx":
        result["warnings"] = source.warnings
    return result


def _print_report(source: Input, result: dict) -> None:
    if not result["valid"]:
        click.echo(f"校验未通过：共 {len(result['errors'])} 处错误")
        for err in result["errors"]:
            click.echo(f"  ✗ {_error_text(err)}")
    else:
        fig = result["figures"]["campaign_summary"]
        click.echo(f"校验通过：纳入排查 {result['in_scope']} 人（党员总数 {fig['A1']}，外出流动 {fig['C1']}，"
                   f"空挂 {fig['D1']}，失联 {fig['E1']}，出国（境） {fig['G1']}）")
        for member in result["excluded"]:
            click.echo(f"  · {member['name']} 入党时间 {member['join_date']} 晚于截止日，不列入表格")
        click.echo(f"校验码 {result['verification_code']}（印在每份文书每一页的页脚，用来核对纸质稿与这份数据是否一致）")
    if result["warnings"]:
        click.echo(f"提示 {len(result['warnings'])} 条（三查三核及填写提示）：")
        for w in result["warnings"]:
            click.echo(f"  ! {_warning_text(w)}")


# ---- render -----------------------------------------------------------------------------------

def _id_lines() -> str:
    packs = [f"  {p.id:<22}{p.name}" + ("（仅 PDF）" if p.pdf_only else "") for p in catalog.PACKAGE_LIST]
    docs = [f"  {d.id:<22}{d.title}" for d in catalog.DOCUMENT_LIST]
    return "\n\n".join("\n".join(["\b", heading] + rows) for heading, rows in
                       (("材料包（--only 的编号）：", packs),
                        ("文书（work_plan、stage_summary、final_report 既是文书也是材料包，生成同一个文件）：", docs)))


class CatalogIds(click.ParamType):
    """Comma-separated document or package ids of the catalog; an unknown one lists the valid ids."""

    name = "id"

    def __init__(self) -> None:
        self.choices = tuple(dict.fromkeys(catalog.PACKAGE_IDS + catalog.DOCUMENT_IDS))

    def get_metavar(self, param, ctx=None) -> str:
        return "ID[,ID…]"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        keys = tuple(k.strip() for k in str(value).split(",") if k.strip())
        unknown = [k for k in keys if k not in self.choices]
        if unknown or not keys:
            what = f"没有「{'」「'.join(unknown)}」这项材料包或文书" if unknown else "未给出编号"
            self.fail(f"{what}。可用的材料包：{', '.join(catalog.PACKAGE_IDS)}；"
                      f"文书：{', '.join(catalog.DOCUMENT_IDS)}", param, ctx)
        return keys

    def shell_complete(self, ctx, param, incomplete):
        from click.shell_completion import CompletionItem

        return [CompletionItem(c) for c in self.choices if c.startswith(incomplete)]


@dataclass(frozen=True)
class Job:
    key: str
    formats: tuple[str, ...]  # office and/or pdf, as this key is rendered
    note: Optional[str] = None  # said before it is rendered (a PDF-only package under office)


def plan(keys: tuple[str, ...], fmt: str) -> list[Job]:
    """What to render for each key: the formats asked for that it comes in, else the ones it has."""
    jobs = []
    for key in keys:
        pkg = catalog.PACKAGES.get(key)
        offered = pkg.formats if pkg is not None else catalog.PACKAGE_FORMATS
        formats = tuple(f for f in catalog.RUN_FORMATS[fmt] if f in offered)
        note = None
        if not formats:
            formats = offered
            note = f"「{pkg.name}」（{key}）只有 PDF 格式，按 PDF 生成"
        jobs.append(Job(key, formats, note))
    return jobs


@main.command("render", epilog=_id_lines(), short_help="生成报送材料（Word/Excel/PDF）到 --out 目录")
@click.argument("file", type=click.Path())
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="输出目录（不存在时自动创建）")
@click.option("--only", multiple=True, type=CatalogIds(),
              help="只生成这些材料包或文书（编号见下表；可多次给出，或用逗号分隔）。"
                   f"默认为四项报送材料：{', '.join(catalog.DELIVERABLE_IDS)}")
@click.option("--format", "fmt", type=click.Choice(catalog.BATCH_FORMATS), default=catalog.OFFICE, show_default=True,
              help="office：Word/Excel；pdf：PDF；both：两种都生成（PDF 压缩包放在 PDF/ 子目录）。"
                   "只有 PDF 的材料包（print）总是生成 PDF")
@click.pass_context
def render_cmd(ctx: click.Context, file: str, out_dir: str, only: tuple[tuple[str, ...], ...], fmt: str) -> None:
    """校验 FILE（数据采集表 .xlsx 或数据包 .json），通过后按规定文件名把报送材料生成到 --out 目录。

    数据有错误时不生成任何文件，退出码为 1；PDF 无法生成时也不写出任何文件，退出码为 3。
    """
    from service.documents import packages, render

    source = _load(file)
    keys = tuple(dict.fromkeys(k for group in only for k in group)) or catalog.DELIVERABLE_IDS
    jobs = plan(keys, fmt)
    converter = _converter(ctx) if any("pdf" in job.formats for job in jobs) else None
    out = Path(out_dir)
    files: list[tuple[Path, bytes]] = []  # everything is made before anything is written
    for job in jobs:
        if job.note:
            click.echo(job.note)
        for f in job.formats:
            pdf = f == "pdf"
            if job.key in catalog.PACKAGE_IDS:
                output = packages.render_package(source.dataset, job.key, f, converter if pdf else None)
            else:
                output = render.render_document(source.dataset, job.key, "pdf" if pdf else None,
                                                converter if pdf else None)
            # Rendered both ways, a zip of PDFs has the office zip's name: it goes to PDF/.
            folder = out / "PDF" if (pdf and len(job.formats) > 1 and output.filename.endswith(".zip")) else out
            files.append((folder / output.filename, output.data))
    for target, data in files:
        click.echo(f"已生成 {write_atomic(target, data)}")


def _converter(ctx: click.Context):
    """The PDF converter from the settings (service.pdf_runtime decides which), stopped at exit."""
    from service import config
    from service.pdf_runtime import open_converter

    converter = open_converter(config.load())
    if converter is None:
        raise ConversionUnavailable("PDF 转换未启用（PAICHA_PDF_ENABLED=0），无法生成 PDF；"
                                    "Word/Excel 文件仍可生成（--format office）")
    stop = getattr(converter, "stop", None)
    if callable(stop):
        ctx.call_on_close(stop)  # a pool this process started: no LibreOffice outlives the command
    return converter


def write_atomic(target: Path, data: bytes) -> Path:
    """Whole or not at all: a .part file renamed over the real name; Failure(EXIT_OUTPUT) when it cannot."""
    tmp = target.with_name(target.name + ".part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        tmp.replace(target)
    except OSError as err:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise Failure(f"无法写入 {target}：{err.strerror or err}", EXIT_OUTPUT) from None
    return target


# ---- the database -------------------------------------------------------------------------------

@main.group("db", cls=Group, short_help="数据库：升级结构、查看版本")
def db_group() -> None:
    """数据库（DATABASE_URL；缺省为 INSTANCE_DIR 下的 SQLite 文件，服务启动时自动升级）。

    \b
    paicha db upgrade     把数据库结构升级到最新（PostgreSQL 等须在启动服务前运行）
    paicha db current     显示数据库当前的结构版本和最新版本
    """


def _database():
    from service import config
    from service.store.db import Database

    return Database.from_settings(config.load())


def _where(db) -> str:
    return db.engine.url.render_as_string(hide_password=True)


@db_group.command("upgrade", short_help="把数据库结构升级到最新")
def db_upgrade() -> None:
    """把 DATABASE_URL 所指的数据库结构升级到最新版本（已是最新时什么也不做）。"""
    from service.store import migrate

    db = _database()
    try:
        before, after = migrate.upgrade(db)
    finally:
        db.dispose()
    if before == after:
        click.echo(f"数据库 {_where(db)} 已是最新结构（{after}），无需升级")
    else:
        click.echo(f"数据库 {_where(db)} 已升级：{before or '空库'} → {after}")


@db_group.command("current", short_help="显示数据库的结构版本")
def db_current() -> None:
    """显示数据库当前的结构版本和本程序的最新版本；不是最新时退出码为 6。"""
    from service.store import migrate

    db = _database()
    try:
        now, newest = migrate.current(db), migrate.head()
    finally:
        db.dispose()
    click.echo(f"数据库 {_where(db)}：当前 {now or '空库（从未升级）'}，最新 {newest}")
    if now != newest:
        raise Failure("数据库结构不是最新，请运行 paicha db upgrade", EXIT_DATABASE)


# ---- import -------------------------------------------------------------------------------------

@main.command("import", short_help="把文件夹中的数据采集表和数据包存为各支部的报送版本")
@click.argument("folder", type=click.Path())
@click.option("--actor", default=None, help="记录的报送人，如「区委教育工委 王老师」（可不填）")
def import_cmd(folder: str, actor: Optional[str]) -> None:
    """把文件夹 FOLDER 中的每个数据采集表（.xlsx）和数据包（.json）存入数据库，作为所填支部的下一版（来源 import），
    与网页上传相同：有错的、读不出的文件也保存，一个文件有问题不影响其他文件。

    逐个报告：支部编号、版本号、通过校验，或错误数和前几处单元格；最后一行为合计。内容与该支部最新一版
    相同的文件不重复保存，所以同一文件夹可以反复导入。
    全部通过时退出码为 0；有未通过校验的文件时为 1；有无法读取的文件时为 4。
    """
    from datetime import datetime, timezone

    from service import config
    from service.store import folder as imports

    where = Path(folder)
    if not where.is_dir():
        raise Failure(f"找不到文件夹 {folder}" if not where.exists() else f"{folder} 不是文件夹", EXIT_INPUT)
    files, others = imports.candidates(where)
    if not files:
        raise Failure(f"文件夹 {folder} 中没有数据采集表（.xlsx）或数据包（.json）", EXIT_INPUT)
    settings = config.load()
    db = _current_database(settings)
    counts = dict.fromkeys(("valid", "invalid", "unreadable", "unopened"), 0)
    stored = repeated = 0
    try:
        for i, path in enumerate(files, start=1):
            outcome = imports.import_file(db, path, settings["MAX_CONTENT_LENGTH"], datetime.now(timezone.utc), actor)
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
               + (f"，{repeated} 份与已存版本相同未重复保存" if repeated else "") + f"（数据库 {_where(db)}）")
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


def _current_database(settings: dict):
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


from service import batch_cli  # noqa: E402  (paicha batch, paicha worker: after `main` exists)

batch_cli.register(main)

import service.access.commands  # noqa: E402,F401  (paicha users, paicha tokens: they add themselves to main)
