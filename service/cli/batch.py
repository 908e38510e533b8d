"""`paicha batch` and `paicha worker`: batch regeneration from a terminal.

`paicha batch` stores a batch in the configured database. With REDIS_URL set its jobs go to RQ
for `paicha worker` processes (here or on other machines); without it this command runs them
itself in a small thread pool and so always waits. --wait shows a progress bar until every branch
is finished; --out writes the district's zip.
"""
from __future__ import annotations

import functools
import logging
import shutil
import time
from pathlib import Path
from typing import Optional

import click

from schemas.requests import load_batch
from service.clock import utcnow
from service.domain import catalog
from service.errors import InvalidBatch

from .base import EXIT_OUTPUT, EXIT_USAGE, Command, Failure

POLL = 0.5  # seconds between two progress reads


def _packages(_ctx, _param, values: tuple[str, ...]) -> Optional[list[str]]:
    """--packages tables,work_plan (or repeated): the ids as given (the batch request's schema checks them);
    None when not given, for the four deliverables."""
    keys = [k.strip() for v in values for k in v.split(",") if k.strip()]
    return keys or None


@click.command("batch", cls=Command, short_help="批量重新生成各支部的文书（进度条，完成后打包）")
@click.argument("codes", nargs=-1)
@click.option("--all", "every", is_flag=True, help="全部已报送的支部")
@click.option("--packages", multiple=True, callback=_packages, metavar="ID[,ID…]",
              help=f"材料包编号（逗号分隔或多次给出），缺省为四项报送材料：{', '.join(catalog.DELIVERABLE_IDS)}")
@click.option("--format", "fmt", type=click.Choice(catalog.BATCH_FORMATS), default=catalog.OFFICE, show_default=True,
              help="office：Word/Excel；pdf：PDF；both：两种都生成")
@click.option("--wait", is_flag=True, help="显示进度条，等到每个支部都完成（未设置 REDIS_URL 时总是等待）")
@click.option("--out", type=click.Path(dir_okay=False), help="完成后把压缩包写到这个文件（隐含 --wait）")
@click.option("--actor", help="发起人（记录在任务里）")
def batch_cmd(codes: tuple[str, ...], every: bool, packages: Optional[list[str]], fmt: str, wait: bool,
              out: Optional[str], actor: Optional[str]) -> None:
    """为 CODE…（支部编号）或 --all 全部支部，按各自最新的有效数据版本重新生成材料。

    数据和模板都未变化的支部直接沿用已生成的文件（跳过，不再转换）；没有有效版本的支部列为失败。
    有 REDIS_URL 时任务交给 paicha worker（可在多台机器上运行）；否则本命令自己生成。
    """
    if bool(codes) == every:
        raise Failure("请给出支部编号，或用 --all 生成全部支部（二者取其一）", EXIT_USAGE)
    request = _request(codes, packages, fmt, actor)  # checked before anything is opened
    with _session() as (cfg, db, runner, converter):
        from service.jobs import batches, progress

        try:
            batch_id = batches.create(db, runner, request, utcnow())
        except InvalidBatch as err:
            raise _refused(err) from None
        state = progress.progress(db, runner, batch_id)
        click.echo(f"批量生成任务 {batch_id}：共 {state['total']} 个支部，跳过 {state['skipped']} 个"
                   f"（数据和模板均未变化），{state['failed']} 个无法生成")
        if not (wait or out or not cfg["REDIS_URL"]):
            click.echo(f"任务已交给 paicha worker。进度：GET /api/v1/batches/{batch_id}")
            return
        state = _follow(db, runner, batch_id, state)
        _report(state)
        if out:
            click.echo(f"已写出 {_write_zip(db, cfg, batch_id, converter, Path(out))}")
        else:
            click.echo(f"下载：GET /api/v1/batches/{batch_id}/download")


def _request(codes: tuple[str, ...], packages: Optional[list[str]], fmt: str, actor: Optional[str]):
    """The batch request, loaded by its schema as the API and the district's form load theirs."""
    try:
        return load_batch({"branches": list(codes) if codes else None, "packages": packages, "format": fmt,
                           "actor": actor or "paicha batch"})
    except InvalidBatch as err:
        raise _refused(err) from None


def _refused(err) -> Exception:
    """A refused batch request as the command's usage error: the message, then every problem."""
    return Failure("\n".join([err.message] + [f"  ✗ {e['message']}" for e in err.errors]), EXIT_USAGE)


def _follow(db, runner, batch_id: str, state: dict) -> dict:
    """A progress bar until the batch is finished."""
    from service.jobs import progress

    shown = state["done"] + state["failed"] + state["skipped"]
    with click.progressbar(length=state["total"], label="生成中", show_pos=True, show_percent=True) as bar:
        bar.update(shown)
        while state["state"] != "finished":
            time.sleep(POLL)
            state = progress.progress(db, runner, batch_id)
            finished = state["done"] + state["failed"] + state["skipped"]
            bar.update(finished - shown)
            shown = finished
    return state


def _report(state: dict) -> None:
    click.echo(state["message"])
    for branch in state["branches"]:
        if branch["state"] == "failed":
            click.echo(f"  ✗ {branch['code']}-{branch['name'] or ''}：{branch['error']}", err=True)


def _write_zip(db, cfg: dict, batch_id: str, converter, target: Path) -> Path:
    from service.jobs import archive
    from service.store.artifacts import Artifacts

    made = archive.archive(db, Artifacts(cfg["ARTIFACT_DIR"] or None), batch_id, converter)
    part = target.with_name(target.name + ".part")
    try:
        with made.file, open(part, "wb") as sink:
            shutil.copyfileobj(made.file, sink, 1024 * 1024)
        part.replace(target)
    except OSError as err:
        part.unlink(missing_ok=True)
        raise Failure(f"无法写入 {target}：{err.strerror or err}", EXIT_OUTPUT) from None
    return target


class _session:
    """The settings, the database (the embedded one migrated), the runner and a lazy PDF converter;
    all stopped at the end (the thread pool finishes what it runs first)."""

    def __enter__(self):
        from service import config
        from service.jobs.queue import make_runner
        from service.jobs.tasks import Context
        from service.pdf.runtime import open_converter
        from service.store import migrate
        from service.store.artifacts import Artifacts
        from service.store.db import Database

        self.cfg = cfg = config.load()
        logging.basicConfig(level=cfg["LOG_LEVEL"].upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        self.db = Database.from_settings(cfg)
        if self.db.sqlite:
            migrate.upgrade(self.db)
        self.converter = functools.cache(lambda: open_converter(cfg))
        artifacts = Artifacts(cfg["ARTIFACT_DIR"] or None)
        self.runner = make_runner(cfg, self.db, lambda r: Context(self.db, artifacts, self.converter, r))
        return cfg, self.db, self.runner, self.converter

    def __exit__(self, *exc):
        self.runner.stop()
        stop = getattr(self.converter(), "stop", None) if self.converter.cache_info().currsize else None
        if callable(stop):
            stop()
        self.db.dispose()


@click.command("worker", cls=Command, short_help="运行批量生成的工作进程（RQ，需 REDIS_URL）")
@click.option("--burst", is_flag=True, help="队列空了就退出（缺省一直运行，SIGTERM/Ctrl-C 在当前支部完成后退出）")
def worker_cmd(burst: bool) -> None:
    """在 REDIS_URL 的批量队列（BATCH_QUEUE）上运行一个工作进程，一次生成一个支部。

    可在任意多台机器上各运行任意多个；每台机器的 PDF 由 PDF_POOL_URL 所指的转换服务生成，
    未设置时由本进程自己的 LibreOffice 转换池生成（首次需要 PDF 时启动）。
    工作进程被终止时，它正在生成的支部在租约（BATCH_LEASE 秒）到期后由其他工作进程重做。
    """
    from service import config
    from service.jobs import worker

    cfg = config.load()
    if not cfg["REDIS_URL"]:
        raise Failure("未设置 REDIS_URL：工作进程从 Redis 队列取任务（未设置时批量生成在网页服务或 paicha batch "
                      "进程内进行，不需要工作进程）", EXIT_USAGE)
    logging.basicConfig(level=cfg["LOG_LEVEL"].upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    worker.run(cfg, burst)
