"""The life of a batch item: claimed under a lease, renewed while worked on, written final exactly once.

Every change takes the batch's row lock first, then the item's (PostgreSQL: FOR UPDATE; SQLite's
writer holds the whole database), so two workers never both claim an item, a result is written
once, and the batch's counts and its `finished` state move in the same transaction as the item.

A worker killed mid-item stops renewing its lease; the reaper (run by every worker's keeper
thread, before each dequeue and whenever progress is read) finds the expired lease and puts the
item back in the queue, or marks it failed once it has had BATCH_ATTEMPTS tries.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from service.store.batches import Batch, BatchItem
from service.store.db import Database

log = logging.getLogger(__name__)

INTERRUPTED = "处理该支部时工作进程 {n} 次中断（进程被终止或失去联系），已停止重试，请检查工作进程后重新生成"
GAVE_UP = "已尝试 {n} 次仍未成功：{reason}"


@dataclass(frozen=True)
class Claim:
    """What a worker needs of the item it now holds."""

    batch_id: str
    item_id: int
    branch_id: int
    attempt: int
    packages: list[str]
    format: str


def _locked(session: Session, batch_id: str, item_id: int) -> tuple[Optional[Batch], Optional[BatchItem]]:
    """The batch and its item, locked in that order."""
    batch = session.scalar(select(Batch).where(Batch.id == batch_id).with_for_update())
    item = session.scalar(select(BatchItem).where(BatchItem.id == item_id, BatchItem.batch_id == batch_id)
                          .with_for_update()) if batch is not None else None
    return batch, item


def expired(item: BatchItem, now: datetime) -> bool:
    return item.lease_owner is not None and item.lease_expires is not None and item.lease_expires < now


def finalize(batch: Batch, item: BatchItem, state: str, now: datetime, **fields) -> None:
    """Write an item's final state and count it; the batch is finished with its last item."""
    item.state, item.finished_at, item.lease_owner, item.lease_expires = state, now, None, None
    for name, value in fields.items():
        setattr(item, name, value)
    setattr(batch, state, getattr(batch, state) + 1)
    if batch.done + batch.failed + batch.skipped >= batch.total:
        batch.state, batch.finished_at = "finished", now


def claim(db: Database, batch_id: str, item_id: int, owner: str, lease: float, attempts: int,
          now: datetime) -> Optional[Claim]:
    """Take a queued item (or one whose holder's lease ran out); None when it is not this worker's to do."""
    with db.writing() as session:
        batch, item = _locked(session, batch_id, item_id)
        if item is None or not (item.state == "queued" or (item.state == "running" and expired(item, now))):
            return None
        if item.attempts >= attempts:
            finalize(batch, item, "failed", now, error=item.error or INTERRUPTED.format(n=item.attempts))
            return None
        item.state, item.attempts = "running", item.attempts + 1
        item.lease_owner, item.lease_expires = owner, now + timedelta(seconds=lease)
        item.started_at = item.started_at or now
        return Claim(batch.id, item.id, item.branch_id, item.attempts, list(batch.packages), batch.format)


def finish(db: Database, batch_id: str, item_id: int, owner: str, state: str, now: datetime, **fields) -> bool:
    """Write the result of an item this worker still holds; False (nothing written) when it does not."""
    with db.writing() as session:
        batch, item = _locked(session, batch_id, item_id)
        if item is None or item.state != "running" or item.lease_owner != owner:
            log.warning("batch %s item %s: result dropped, the item is no longer held by %s", batch_id, item_id, owner)
            return False
        finalize(batch, item, state, now, **fields)
        return True


def retry(db: Database, batch_id: str, item_id: int, owner: str, reason: str, attempts: int, lease: float,
          now: datetime) -> bool:
    """After a failed try: back to the queue under this worker's lease (True: submit it again, then
    hand it over) or failed for good."""
    with db.writing() as session:
        batch, item = _locked(session, batch_id, item_id)
        if item is None or item.state != "running" or item.lease_owner != owner:
            return False
        if item.attempts >= attempts:
            finalize(batch, item, "failed", now, error=GAVE_UP.format(n=item.attempts, reason=reason))
            return False
        requeue(item, reason, owner, lease, now)
        return True


def requeue(item: BatchItem, error: Optional[str], owner: str, lease: float, now: datetime) -> None:
    """Queued again, held by `owner` until its queue has it (a failed hand-over expires and is reaped)."""
    item.state, item.error = "queued", error
    item.lease_owner, item.lease_expires = owner, now + timedelta(seconds=lease)


def hand_over(db: Database, owner: str, item_ids: list[int], now: datetime) -> None:
    """Items now safe in Redis are the queue's: no lease until a worker claims them."""
    with db.writing() as session:
        session.execute(update(BatchItem).where(
            BatchItem.id.in_(item_ids), BatchItem.lease_owner == owner, BatchItem.state == "queued")
            .values(lease_owner=None, lease_expires=None, enqueued_at=now))


def renew(db: Database, owner: str, item_ids: list[int], lease: float, now: datetime) -> int:
    """Push out the leases of the items this worker is still working on (or has waiting); how many."""
    if not item_ids:
        return 0
    with db.writing() as session:
        result = session.execute(update(BatchItem).where(
            BatchItem.id.in_(item_ids), BatchItem.lease_owner == owner, BatchItem.state.in_(("queued", "running")))
            .values(lease_expires=now + timedelta(seconds=lease)))
        return result.rowcount or 0


def reap(db: Database, owner: str, lease: float, attempts: int, now: datetime) -> list[tuple[str, int]]:
    """Items whose holder stopped renewing: failed when out of tries, else queued again under
    `owner`'s lease; the (batch, item) pairs the caller must now submit."""
    with db.reading() as session:
        stale = session.execute(select(BatchItem.batch_id, BatchItem.id).where(
            BatchItem.state.in_(("queued", "running")), BatchItem.lease_owner.is_not(None),
            BatchItem.lease_expires < now)).all()
    again: list[tuple[str, int]] = []
    for batch_id, item_id in stale:
        with db.writing() as session:
            batch, item = _locked(session, batch_id, item_id)
            if item is None or item.state not in ("queued", "running") or not expired(item, now):
                continue  # renewed or finished meanwhile, or another reaper was first
            if item.state == "running" and item.attempts >= attempts:
                finalize(batch, item, "failed", now, error=INTERRUPTED.format(n=item.attempts))
                log.warning("batch %s item %s: holder %s lost, no tries left", batch_id, item_id, item.lease_owner)
                continue
            log.warning("batch %s item %s: holder %s lost its lease (%s); queued again", batch_id, item_id,
                        item.lease_owner, item.state)
            requeue(item, item.error, owner, lease, now)
            again.append((batch_id, item_id))
    return again
