"""`paicha worker`: an RQ worker on the batch queue, with this machine's PDF pool.

Run as many as you like, on as many machines as reach the database, Redis and (when artifacts are
kept in a directory) ARTIFACT_DIR. Each works one branch at a time in its own process (RQ's
SimpleWorker: no fork per job, so the database connections and the PDF converter are made once):
the machine's pool server when PDF_POOL_URL is set, else a pool of its own, started at the first
PDF. A keeper thread renews the leases of the item it holds and reaps the items of workers that
died (RQ's own clean-up of dead workers' jobs is not relied on); the worker loop reaps too,
before every dequeue. With REMIND_AT set it also keeps the daily reminders (remind_schedule): it
puts the next run on the queue and runs RQ's scheduler, which moves it to the queue when it is due.
"""
from __future__ import annotations

import functools
import logging
import secrets

from rq import SimpleWorker
from rq.serializers import JSONSerializer

from service.clock import utcnow
from service.config import remind_at
from service.pdf.runtime import open_converter
from service.store import migrate
from service.store.artifacts import Artifacts
from service.store.db import Database

from . import remind_schedule, tasks
from .queue import RqRunner

log = logging.getLogger(__name__)


class BatchWorker(SimpleWorker):
    """RQ's in-process worker whose loop reaps lost items before it takes the next job."""

    runner: RqRunner

    def dequeue_job_and_maintain_ttl(self, timeout, max_idle_time=None):
        try:
            self.runner.tick()
        except Exception as err:  # noqa: BLE001 - the keeper thread tries again soon
            log.warning("reaper before dequeue: %s", type(err).__name__)
        return super().dequeue_job_and_maintain_ttl(timeout, max_idle_time)


def run(cfg: dict, burst: bool = False) -> bool:
    """Work the batch queue until stopped (SIGTERM/Ctrl-C: after the current branch) or, with
    burst, until it is empty; whether any job ran. QueueUnavailable when Redis does not answer."""
    db = Database.from_settings(cfg)
    if db.sqlite:
        migrate.upgrade(db)  # the embedded database, as the web process does on start
    runner = RqRunner(db, cfg["BATCH_LEASE"], cfg["BATCH_ATTEMPTS"], cfg["REDIS_URL"], cfg["BATCH_QUEUE"],
                      cfg["REDIS_TIMEOUT"])
    runner.check()
    converter = functools.cache(lambda: open_converter(cfg))
    tasks.CONTEXT = tasks.Context(db, Artifacts(cfg["ARTIFACT_DIR"] or None), converter, runner)
    worker = BatchWorker([runner.queue], connection=runner.connection, serializer=JSONSerializer,
                         name=f"{cfg['BATCH_QUEUE']}-{secrets.token_hex(8)}", log_job_description=False)
    worker.runner = runner
    runner.keep(always=True)
    log.info("batch worker %s on queue %s", runner.owner, cfg["BATCH_QUEUE"])
    reminding = remind_at(cfg["REMIND_AT"]) is not None
    if reminding:
        remind_schedule.CONTEXT = (db, cfg)
        log.info("daily reminders: next run queued for %s", remind_schedule.schedule(runner.queue, cfg, db, utcnow()))
    try:
        return worker.work(burst=burst, logging_level=cfg["LOG_LEVEL"].upper(), with_scheduler=reminding)
    finally:
        remind_schedule.CONTEXT = None
        runner.stop()
        stop = getattr(converter(), "stop", None) if converter.cache_info().currsize else None
        if callable(stop):
            stop()
        tasks.CONTEXT = None
        db.dispose()
