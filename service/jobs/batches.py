"""Starting a batch: the request read, the batch and its items stored, the jobs queued.

A batch is created in one transaction: an item per branch, each with what it will be made from.
A branch whose latest valid version already has every asked file kept for today's templates is
skipped on the spot (nothing to convert), one without a valid version fails on the spot; only
the rest become jobs. Re-running a batch with nothing changed therefore queues nothing.
"""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Optional

from sqlalchemy import and_, delete, func, select

from service.documents.fingerprint import templates_hash
from service.domain import catalog
from service.errors import InvalidBatch
from service.store.batches import BATCH_FORMATS, Batch, BatchItem
from service.store.db import Database
from service.store.models import Artifact, Branch, Submission

from .plan import DEFAULT_PACKAGES, targets
from .runner import Runner
from .tasks import NO_VALID_VERSION

CODE = re.compile(r"^[A-Za-z0-9]{1,16}$")
KEYS = ("branches", "packages", "format", "actor")
MAX_BRANCHES = 10000


@dataclass(frozen=True)
class Request:
    branches: Optional[list[str]]  # None: every branch
    packages: list[str]
    format: str
    actor: Optional[str] = None  # who asked, as they name themselves


def parse(body: Any) -> Request:
    """The request body, or InvalidBatch listing every problem in Chinese with its JSON path."""
    errors: list[dict] = []
    if not isinstance(body, dict):
        raise InvalidBatch("请求体应为 JSON 对象", [{"path": "", "message": "请求体应为 JSON 对象，如 {\"format\": \"office\"}"}])
    for key in body:
        if key not in KEYS:
            errors.append({"path": str(key), "message": f"不认识的字段「{key}」（可用：{'、'.join(KEYS)}）"})
    branches = _codes(body.get("branches"), errors)
    packages = _packages(body.get("packages"), errors)
    fmt = body.get("format", "office")
    if fmt not in BATCH_FORMATS:
        errors.append({"path": "format", "message": f"format 应为 {'、'.join(BATCH_FORMATS)} 之一"})
    actor = body.get("actor")
    if actor is not None and (not isinstance(actor, str) or len(actor) > 100):
        errors.append({"path": "actor", "message": "actor（发起人）应为不超过 100 个字的文字"})
    if errors:
        raise InvalidBatch("批量生成的请求有误，请按错误列表修改", errors)
    return Request(branches, packages, fmt, actor)


def _codes(value: Any, errors: list[dict]) -> Optional[list[str]]:
    if value is None:
        return None
    if not isinstance(value, list) or not value or len(value) > MAX_BRANCHES:
        errors.append({"path": "branches", "message": f"branches 应为 1–{MAX_BRANCHES} 个支部编号的数组；省略则为全部支部"})
        return None
    for i, code in enumerate(value):
        if not isinstance(code, str) or not CODE.match(code):
            errors.append({"path": f"branches[{i}]", "message": "支部编号应为 1–16 位字母或数字"})
    return list(dict.fromkeys(c for c in value if isinstance(c, str)))


def _packages(value: Any, errors: list[dict]) -> list[str]:
    if value is None:
        return list(DEFAULT_PACKAGES)
    if not isinstance(value, list) or not value:
        errors.append({"path": "packages", "message": "packages 应为材料包编号的非空数组；省略则为四项报送材料"})
        return []
    for i, package_id in enumerate(value):
        if package_id not in catalog.PACKAGE_IDS:
            errors.append({"path": f"packages[{i}]",
                           "message": f"没有材料包「{package_id}」，可用的有：{'、'.join(catalog.PACKAGE_IDS)}"})
    return list(dict.fromkeys(p for p in value if p in catalog.PACKAGE_IDS))


def create(db: Database, runner: Runner, request: Request, now: datetime) -> str:
    """Store the batch and its items, queue what must be made; the batch's id."""
    runner.check()
    wanted = targets(request.packages, request.format)
    hashes = templates_hash()
    with db.writing() as session:
        branches = _branches(session, request.branches)
        latest = _latest_valid(session, [b.id for b in branches])
        kept = _kept(session, {sub.content_hash for sub in latest.values()}, hashes)
        batch = Batch(id=uuid.uuid4().hex, created_at=now, actor=(request.actor or "").strip()[:100] or None,
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
