"""Starting a batch: the batch and its items stored, the jobs queued — for a request its schema has
already loaded (schemas.requests.load_batch), which this module trusts.

A batch is created in one transaction: an item per branch, each with what it will be made from.
A branch whose latest valid version already has every asked file kept for today's templates is
skipped on the spot (nothing to convert), one without a valid version fails on the spot; only
the rest become jobs. Re-running a batch with nothing changed therefore queues nothing.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any, Optional

from sqlalchemy import and_, delete, func, select

from schemas.requests import BatchRequest
from service.documents.fingerprint import templates_hash
from service.errors import InvalidBatch
from service.store.batches import Batch, BatchItem
from service.store.db import Database
from service.store.models import Artifact, Branch, Submission

from .plan import targets
from .runner import Runner
from .tasks import NO_VALID_VERSION


def create(db: Database, runner: Runner, request: BatchRequest, now: datetime) -> str:
    """Store the batch and its items, queue what must be made; the batch's id. Refused (InvalidBatch) only
    for what the database decides: a branch code nothing was stored for, or no branch at all."""
    runner.check()
    wanted = targets(request.packages, request.format)
    hashes = templates_hash()
    with db.writing() as session:
        branches = _branches(session, request.branches)
        latest = _latest_valid(session, [b.id for b in branches])
        kept = _kept(session, {sub.content_hash for sub in latest.values()}, hashes)
        batch = Batch(id=uuid.uuid4().hex, created_at=now, actor=(request.actor or "").strip() or None,
                      branches=request.branches, packages=request.packages, format=request.format,
                      templates_hash=hashes, state="running", total=len(branches), done=0, failed=0, skipped=0)
        session.add(batch)
        items = [_item(batch, position, branch, latest.get(branch.id), kept, wanted, runner, now)
                 for position, branch in enumerate(branches)]
        session.add_all(items)
        if batch.failed + batch.skipped == batch.total:
            batch.state, batch.finished_at = "finished", now
        session.flush()
        jobs = [(batch.id, item.id) for item in items if item.state == "queued"]
    try:
        runner.dispatch(jobs)
    except Exception:
        with db.writing() as session:  # nothing half-started: the caller is told to try again
            session.execute(delete(BatchItem).where(BatchItem.batch_id == batch.id))
            session.execute(delete(Batch).where(Batch.id == batch.id))
        raise
    return batch.id


def _branches(session, codes: Optional[list[str]]) -> list[Branch]:
    query = select(Branch).order_by(Branch.code)
    if codes is None:
        found = session.scalars(query).all()
        if not found:
            raise InvalidBatch("还没有任何支部报送过数据，没有可生成的文书")
        return list(found)
    found = {b.code: b for b in session.scalars(query.where(Branch.code.in_(codes)))}
    missing = [{"path": f"branches[{i}]", "message": f"没有编号为「{code}」的支部：该支部尚未报送过数据"}
               for i, code in enumerate(codes) if code not in found]
    if missing:
        raise InvalidBatch(f"有 {len(missing)} 个支部编号不存在", missing)
    return [found[code] for code in sorted(found)]


def _latest_valid(session, branch_ids: list[int]) -> dict[int, Any]:
    """{branch_id: (id, content_hash)} of each branch's newest valid version."""
    newest = (select(Submission.branch_id, func.max(Submission.version).label("version"))
              .where(Submission.valid.is_(True), Submission.branch_id.is_not(None))
              .group_by(Submission.branch_id).subquery())
    rows = session.execute(select(Submission.branch_id, Submission.id, Submission.content_hash).join(
        newest, and_(Submission.branch_id == newest.c.branch_id, Submission.version == newest.c.version)))
    wanted = set(branch_ids)
    return {row.branch_id: row for row in rows if row.branch_id in wanted}


def _kept(session, content_hashes: set[str], hashes: str) -> dict[tuple[str, str, str], int]:
    """{(content hash, package, format): artifact id} of the packages already kept for these templates."""
    out: dict[tuple[str, str, str], int] = {}
    chunk = sorted(content_hashes)
    for start in range(0, len(chunk), 500):
        for row in session.execute(select(Artifact.id, Artifact.source_hash, Artifact.target, Artifact.format).where(
                Artifact.templates_hash == hashes, Artifact.kind == "package",
                Artifact.source_hash.in_(chunk[start:start + 500]))):
            out[(row.source_hash, row.target, row.format)] = row.id
    return out


def _item(batch: Batch, position: int, branch: Branch, sub, kept: dict, wanted: list, runner: Runner,
          now: datetime) -> BatchItem:
    """A branch's item: failed (no valid version), skipped (every file kept already) or queued."""
    item = BatchItem(batch=batch, branch_id=branch.id, position=position, attempts=0)
    if sub is None:
        item.state, item.error, item.finished_at = "failed", NO_VALID_VERSION, now
        batch.failed += 1
        return item
    item.submission_id, item.content_hash = sub.id, sub.content_hash
    ids = [kept.get((sub.content_hash, package_id, fmt)) for package_id, fmt in wanted]
    if all(ids):
        item.state, item.finished_at = "skipped", now
        item.artifact_ids = [[artifact_id, *target] for artifact_id, target in zip(ids, wanted)]
        batch.skipped += 1
        return item
    item.state, item.lease_owner = "queued", runner.owner
    item.lease_expires = now + timedelta(seconds=runner.lease)
    return item
