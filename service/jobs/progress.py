"""A batch as the district follows it: counts, each branch's state, the download once finished.

Reading progress reaps first, so a batch whose worker died moves on as soon as someone looks.
"""
from __future__ import annotations

import re
from typing import Any, Optional

from sqlalchemy import select

from service.errors import UnknownBatch
from service.store.batches import Batch, BatchItem
from service.store.db import Database
from service.store.models import Branch, Submission

from .runner import Runner

ID = re.compile(r"^[0-9a-f]{32}$")



def get(session, batch_id: Any) -> Batch:
    batch = session.get(Batch, batch_id) if isinstance(batch_id, str) and ID.match(batch_id) else None
    if batch is None:
        raise UnknownBatch(f"没有编号为「{str(batch_id)[:40]}」的批量生成任务")
    return batch


def progress(db: Database, runner: Runner, batch_id: str) -> dict:
    """The batch's counts and each branch's state; stale leases are reaped first."""
    runner.check()
    with db.reading() as session:
        get(session, batch_id)
    runner.tick()
    with db.reading() as session:
        batch = get(session, batch_id)
        rows = session.execute(select(BatchItem, Branch.code, Branch.name).join(Branch, BatchItem.branch_id == Branch.id)
                               .where(BatchItem.batch_id == batch_id).order_by(BatchItem.position)).all()
        versions = dict(session.execute(select(Submission.id, Submission.version).where(
            Submission.id.in_([item.submission_id for item, _, _ in rows if item.submission_id])
        )).all()) if rows else {}
        return describe(batch, [branch_line(item, code, name, versions) for item, code, name in rows])


def branch_line(item: BatchItem, code: str, name: Optional[str], versions: dict[int, int]) -> dict:
    return {"code": code, "name": name, "state": item.state, "attempts": item.attempts,
            "version": versions.get(item.submission_id), "error": item.error,
            "finished_at": item.finished_at.isoformat() if item.finished_at else None}


def describe(batch: Batch, branches: list[dict]) -> dict:
    counts = {state: sum(1 for b in branches if b["state"] == state) for state in ("queued", "running")}
    finished = batch.done + batch.failed + batch.skipped
    return {
        "id": batch.id, "state": batch.state, "created_at": batch.created_at.isoformat(),
        "finished_at": batch.finished_at.isoformat() if batch.finished_at else None, "actor": batch.actor,
        "requested": batch.branches, "packages": batch.packages, "format": batch.format,
        "total": batch.total, "done": batch.done, "failed": batch.failed, "skipped": batch.skipped, **counts,
        "percent": round(100 * finished / batch.total) if batch.total else 100,
        "message": summary(batch), "download": f"/api/v1/batches/{batch.id}/download"
        if batch.state == "finished" and batch.done + batch.skipped else None,
        "branches": branches,
    }


def summary(batch: Batch) -> str:
    """One Chinese sentence a clerk reads: where the batch stands and how many it skipped."""
    head = "已完成" if batch.state == "finished" else "正在生成"
    return (f"{head}：共 {batch.total} 个支部，已生成 {batch.done} 个，失败 {batch.failed} 个，"
            f"跳过 {batch.skipped} 个（数据和模板均未变化，沿用已生成的文件）")
