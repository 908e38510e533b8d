"""`paicha validate` and `paicha render`: a 数据采集表 (.xlsx) or 数据包 (.json) read, checked, rendered.

The Flask app is never created: a PDF comes from the converter service.pdf.runtime opens from the
settings, stopped when the command ends.
"""
from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import click

from service.domain import catalog
from service.errors import BadUpload, ConversionUnavailable

from .base import EXIT_INPUT, EXIT_INVALID, EXIT_OK, EXIT_OUTPUT, Command, Failure

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, or an encrypted workbook
ZIP_MAGIC = b"PK\x03\x04"


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

@click.command("validate", cls=Command, short_help="校验数据采集表（.xlsx）或数据包（.json）")
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
    from service.intake.report import report

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
    packs = [f"  {p.id:<22}{p.name}" + ("（仅 PDF）" if p.formats == ("pdf",) else "") for p in catalog.PACKAGE_LIST]
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


FORMATS = {"office": ("office",), "pdf": ("pdf",), "both": ("office", "pdf")}


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
        offered = pkg.formats if pkg is not None else ("office", "pdf")
        formats = tuple(f for f in FORMATS[fmt] if f in offered)
        note = None
        if not formats:
            formats = offered
            note = f"「{pkg.name}」（{key}）只有 PDF 格式，按 PDF 生成"
        jobs.append(Job(key, formats, note))
    return jobs


@click.command("render", cls=Command, epilog=_id_lines(), short_help="生成报送材料（Word/Excel/PDF）到 --out 目录")
@click.argument("file", type=click.Path())
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="输出目录（不存在时自动创建）")
@click.option("--only", multiple=True, type=CatalogIds(),
              help="只生成这些材料包或文书（编号见下表；可多次给出，或用逗号分隔）。"
                   f"默认为四项报送材料：{', '.join(catalog.DELIVERABLE_IDS)}")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="office", show_default=True,
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
    """The PDF converter from the settings (service.pdf.runtime decides which), stopped at exit."""
    from service import config
    from service.pdf.runtime import open_converter

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
