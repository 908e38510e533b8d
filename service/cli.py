"""`paicha validate` and `paicha render`: the same checks and files as the API, for a JSON on disk."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from service.documents import packages, render
from service.domain import catalog
from service.errors import PaichaError

DELIVERABLES = ("work_plan", "tables", "stage_summary", "final_report")


def _read(path: str):
    try:
        return json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise click.ClickException(f"无法读取 {path}：{err}") from None


@click.command("validate")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出（供程序使用）")
@with_appcontext
def validate_cmd(file: str, as_json: bool) -> None:
    """校验排查数据包 FILE；不通过时退出码为 1。"""
    from service.api.documents import report

    result = report(_read(file))
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        _print_report(result)
    sys.exit(0 if result["valid"] else 1)


def _print_report(result: dict) -> None:
    if not result["valid"]:
        click.echo(f"校验未通过：共 {len(result['errors'])} 处错误")
        for err in result["errors"]:
            click.echo(f"  ✗ {err['path'] or '（整个数据包）'}：{err['message']}")
        return
    fig = result["figures"]["campaign_summary"]
    click.echo(f"校验通过：纳入排查 {result['in_scope']} 人（党员总数 {fig['A1']}，外出流动 {fig['C1']}，"
               f"空挂 {fig['D1']}，失联 {fig['E1']}，出国（境） {fig['G1']}）")
    for member in result["excluded"]:
        click.echo(f"  · {member['name']} 入党时间 {member['join_date']} 晚于截止日，不列入表格")
    if result["warnings"]:
        click.echo(f"三查三核提示 {len(result['warnings'])} 条：")
        for w in result["warnings"]:
            click.echo(f"  ! [{w['rule']}] {w['message']}")


@click.command("render")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="输出目录")
@click.option("--only", multiple=True, help="只生成这些文书或材料包（可多次给出，或用逗号分隔）")
@click.option("--format", "fmt", type=click.Choice(["office", "pdf", "both"]), default="office", show_default=True)
@with_appcontext
def render_cmd(file: str, out_dir: str, only: tuple[str, ...], fmt: str) -> None:
    """按规定文件名生成四项报送材料（或 --only 指定的文书）到 --out 目录。"""
    import schemas
    from service.pdf_runtime import converter_for

    try:
        ds = schemas.load_dataset(_read(file))
    except PaichaError as err:
        click.echo(f"校验未通过，未生成任何文件：共 {len(err.errors)} 处错误", err=True)
        for e in err.errors:
            click.echo(f"  ✗ {e['path'] or '（整个数据包）'}：{e['message']}", err=True)
        sys.exit(1)
    keys = [k.strip() for item in only for k in item.split(",") if k.strip()] or list(DELIVERABLES)
    formats = {"office": [None], "pdf": ["pdf"], "both": [None, "pdf"]}[fmt]
    converter = converter_for(current_app) if "pdf" in formats else None
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    try:
        for key in keys:
            for f in formats:
                if key in catalog.PACKAGE_IDS:
                    output = packages.render_package(ds, key, f, converter)
                else:
                    output = render.render_document(ds, key, f, converter)
                # Under --format both a zip of PDFs has the office zip's name: it goes to PDF/.
                folder = out / "PDF" if (f == "pdf" and len(formats) > 1 and output.filename.endswith(".zip")) else out
                folder.mkdir(exist_ok=True)
                target = folder / output.filename
                tmp = target.with_name(target.name + ".part")
                tmp.write_bytes(output.data)
                tmp.replace(target)  # never leave a half-written file under the real name
                click.echo(f"已生成 {target}")
    except PaichaError as err:
        raise click.ClickException(err.message) from None


def register_commands(app: Flask) -> None:
    app.cli.add_command(validate_cmd)
    app.cli.add_command(render_cmd)


def _create_app(*_args, **_kwargs):
    from service import create_app

    return create_app()


main = FlaskGroup(name="paicha", create_app=_create_app, add_default_commands=False,
                  help="排查文书服务命令行：validate 校验数据包，render 生成文书。")
