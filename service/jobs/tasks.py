"""The job: one branch of one batch. Claim it, render its packages from the latest valid version
through the kept artifacts (service.documents.stored: nothing is made twice), write the result.

A job carries two ids and nothing else; running it twice, or after another worker took the item
over, changes nothing (leases.claim and leases.finish decide who writes). A failed try goes back
to the queue until BATCH_ATTEMPTS; what cannot succeed by trying again (no valid version, PDF
switched off) fails at once. Errors are Chinese and name no member.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable, Optional

from sqlalchemy import select

from service.clock import utcnow
from service.documents import stored
from service.documents.fingerprint import templates_hash
from service.errors import ConversionUnavailable, NotValidVersion, PaichaError, UnknownDocument, UnsupportedFormat
from service.store.artifacts import Artifacts
from service.store.db import Database
from service.store.models import Artifact, Submission

from . import leases
from .plan import targets
from .runner import Runner

log = logging.getLogger(__name__)

FINAL = (NotValidVersion, ConversionUnavailable, UnknownDocument, UnsupportedFormat)  # trying again cannot help
NO_VALID_VERSION = "该支部还没有通过校验的数据版本，无法生成文书（请先报送正确的数据）"
NOT_KEPT = "生成的文件未能保存（数据库或文件目录暂时不可写），将重试"


@dataclass
class Context:
    """What a job needs of the process it runs in."""

    db: Database
    artifacts: Artifacts
    converter: Callable[[], object]  # the PDF converter, asked for only when a PDF is to be made
    runner: Runner

    @property
    def owner(self) -> str:
        return self.runner.owner


CONTEXT: Optional[Context] = None  # set by `paicha worker` before it works


def run_item(batch_id: str, item_id: int) -> str:
    """The RQ job function."""
    if CONTEXT is None:
        raise RuntimeError("batch jobs run in `paicha worker`, which sets up their context")
    return process(CONTEXT, batch_id, item_id)


def process_logged(ctx: Context, batch_id: str, item_id: int) -> str:
    """process() for a thread pool, whose futures nobody reads: failures go to the log."""
    try:
        return process(ctx, batch_id, item_id)
    except Exception as err:  # noqa: BLE001 - the lease runs out and the reaper tries again
        log.error("batch %s item %s: %s", batch_id, item_id, type(err).__name__)
        return "error"


def process(ctx: Context, batch_id: str, item_id: int) -> str:
    """Do one item if it is this worker's to do; what became of it."""
    runner = ctx.runner
    runner.hold(item_id)
    outcome = "error"
    try:
        outcome = _process(ctx, batch_id, item_id)
        return outcome
    finally:
        if outcome != "retry" or not runner.keeps_queued:  # a retry waiting in this runner stays ours to renew
            runner.release(item_id)


def _process(ctx: Context, batch_id: str, item_id: int) -> str:
    runner = ctx.runner
    held = leases.claim(ctx.db, batch_id, item_id, ctx.owner, runner.lease, runner.attempts, utcnow())
    if held is None:
        return "not-held"
    try:
        result = render_item(ctx, held)
    except FINAL as err:
        leases.finish(ctx.db, batch_id, item_id, ctx.owner, "failed", utcnow(), error=err.message)
        return "failed"
    except Exception as err:  # noqa: BLE001 - any other failure: try again, up to BATCH_ATTEMPTS
        reason = err.message if isinstance(err, PaichaError) else f"生成文书时程序出错（{type(err).__name__}），已记录"
        log.warning("batch %s item %s try %d failed: %s", batch_id, item_id, held.attempt, type(err).__name__)
        if leases.retry(ctx.db, batch_id, item_id, ctx.owner, reason, runner.attempts, runner.lease, utcnow()):
            runner.dispatch([(batch_id, item_id)])
            return "retry"
        return "failed"
    leases.finish(ctx.db, batch_id, item_id, ctx.owner, "done", utcnow(), error=None, **result)
    return "done"


def render_item(ctx: Context, held: leases.Claim) -> dict:
    """Every target of the branch's latest valid version, kept as artifacts; the item's result fields."""
    with ctx.db.reading() as session:
        sub = session.execute(select(Submission.id, Submission.content_hash).where(
            Submission.branch_id == held.branch_id, Submission.valid.is_(True))
            .order_by(Submission.version.desc()).limit(1)).first()
    if sub is None:
        raise NotValidVersion(NO_VALID_VERSION)
    wanted = targets(held.packages, held.format)

    def canonical() -> dict:
        with ctx.db.reading() as session:
            return session.scalar(select(Submission.dataset).where(Submission.id == sub.id))

    dataset = stored.loader(canonical)  # read and loaded once for all the item's files

    for package_id, fmt in wanted:
        converter = ctx.converter() if fmt == "pdf" else None
        stored.package_output(ctx.db, ctx.artifacts, sub.content_hash, dataset, package_id, fmt, converter, utcnow(),
                              must_keep=True)
    ids = artifact_ids(ctx.db, sub.content_hash, wanted)
    if len(ids) != len(wanted):
        raise PaichaError(NOT_KEPT)
    return {"submission_id": sub.id, "content_hash": sub.content_hash, "artifact_ids": ids}


def artifact_ids(db: Database, content_hash: str, wanted: list[tuple[str, str]]) -> list[list]:
    """[[artifact id, package, format], …] of the kept packages, in the order wanted."""
    with db.reading() as session:
        rows = session.execute(select(Artifact.id, Artifact.target, Artifact.format).where(
            Artifact.source_hash == content_hash, Artifact.templates_hash == templates_hash(),
            Artifact.kind == "package")).all()
    found = {(r.target, r.format): r.id for r in rows}
    return [[found[key], *key] for key in wanted if key in found]
