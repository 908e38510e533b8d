"""Where batch jobs go: RQ on Redis when REDIS_URL is set, else a small thread pool in this process.

Both run the same job (tasks.process) on (batch id, item id) pairs. Each runner has an owner id
under which it holds leases; a keeper thread renews them and reaps the items of holders that
stopped. RQ's runner hands a queued item to Redis (no lease) once Redis has it; the thread pool
keeps holding its queued items, so a process that dies with work in its queue loses nothing
either: the lease runs out and the next reaper queues the items again.
"""
from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from typing import Callable, Optional

from service.errors import QueueUnavailable
from service.store.db import Database

from . import leases

log = logging.getLogger(__name__)
KEY = "paicha.batch_runner"
JOB = "service.jobs.tasks.run_item"
JOB_TIMEOUT = 3600  # seconds one branch may take in RQ (a large branch's PDFs on a busy machine)
DOWN = "批量生成的任务队列（Redis）暂时无法连接，请稍后重试；其他功能不受影响"


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def owner_id() -> str:
    """A lease holder's id: the machine, the process and a random part (a reused pid is someone else)."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(4)}"


class Runner:
    """What batches need of a queue: submit jobs, say whether it can, keep its leases alive."""

    keeps_queued = True  # holds a lease on the items waiting in it

    def __init__(self, db: Database, lease: float, attempts: int):
        self.db, self.lease, self.attempts = db, float(lease), int(attempts)
        self.owner = owner_id()
        self._live: set[int] = set()  # the items this process is working on or has waiting: their leases are renewed
        self._live_lock = threading.Lock()
        self._keeper: Optional[Keeper] = None
        self._lock = threading.Lock()

    def hold(self, item_id: int) -> None:
        with self._live_lock:
            self._live.add(item_id)

    def release(self, item_id: int) -> None:
        with self._live_lock:
            self._live.discard(item_id)

    def held(self) -> list[int]:
        with self._live_lock:
            return sorted(self._live)

    def check(self) -> None:
        """Raise QueueUnavailable when jobs cannot be submitted now."""

    def submit(self, jobs: list[tuple[str, int]]) -> None:
        raise NotImplementedError

    def dispatch(self, jobs: list[tuple[str, int]]) -> None:
        """Submit, then (RQ) let go of the items the queue now has."""
        if not jobs:
            return
        self.submit(jobs)
        if not self.keeps_queued:
            leases.hand_over(self.db, self.owner, [item for _, item in jobs], utcnow())

    def tick(self) -> None:
        """Renew this runner's leases, queue again what lost holders left behind."""
        now = utcnow()
        leases.renew(self.db, self.owner, self.held(), self.lease, now)
        self.dispatch(leases.reap(self.db, self.owner, self.lease, self.attempts, now))

    def keep(self, always: bool = False) -> None:
        """Start the keeper thread if none runs: for good (a worker), or while this runner holds items."""
        with self._lock:
            if self._keeper is None:
                self._keeper = Keeper(self.tick, max(0.2, min(self.lease / 4, 30.0)),
                                      None if always else self._still_needed)
                self._keeper.start()

    def _still_needed(self) -> bool:
        """Asked by the keeper after each tick; with nothing held it stops, cleared under the lock
        that keep() takes, so a submit never finds a keeper that is about to go."""
        with self._lock:
            if self.held():
                return True
            self._keeper = None
            return False

    def stop(self) -> None:
        if self._keeper is not None:
            self._keeper.stop()


class Keeper(threading.Thread):
    """Calls tick every `interval` seconds until stopped (or no longer needed); a failing tick is
    logged, not fatal."""

    def __init__(self, tick: Callable[[], None], interval: float, needed: Optional[Callable[[], bool]] = None):
        super().__init__(name="batch-keeper", daemon=True)
        self._tick, self.interval, self._needed, self._stop_event = tick, interval, needed, threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(self.interval):
            try:
                self._tick()
            except Exception as err:  # noqa: BLE001 - the database or Redis is away; try again next time
                log.warning("batch keeper: %s: %s", type(err).__name__, getattr(err, "message", err))
            if self._needed is not None and not self._needed():
                return

    def stop(self) -> None:
        self._stop_event.set()


class ThreadRunner(Runner):
    """The embedded default: BATCH_THREADS branches at a time in this process, no Redis."""

    def __init__(self, db: Database, lease: float, attempts: int, threads: int, context: Callable[["Runner"], object]):
        super().__init__(db, lease, attempts)
        self.threads = max(1, int(threads))
        self._context = context
        self._executor: Optional[ThreadPoolExecutor] = None

    def submit(self, jobs: list[tuple[str, int]]) -> None:
        from . import tasks

        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(self.threads, thread_name_prefix="batch")
        ctx = self._context(self)
        for batch_id, item_id in jobs:
            self.hold(item_id)
            try:
                self._executor.submit(tasks.process_logged, ctx, batch_id, item_id)
            except RuntimeError:  # shut down: the lease runs out and another process takes the item
                self.release(item_id)
                raise
        self.keep()

    def stop(self) -> None:
        super().stop()
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)


class RqRunner(Runner):
    """Jobs on the RQ queue BATCH_QUEUE of REDIS_URL, run by `paicha worker` processes anywhere."""

    keeps_queued = False

    def __init__(self, db: Database, lease: float, attempts: int, url: str, queue: str, timeout: float):
        super().__init__(db, lease, attempts)
        import redis
        from rq import Queue
        from rq.serializers import JSONSerializer

        self.connection = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
        self.queue = Queue(queue, connection=self.connection, serializer=JSONSerializer)

    def check(self) -> None:
        import redis

        try:
            self.connection.ping()
        except redis.exceptions.RedisError as err:
            log.error("batch queue unavailable: %s", type(err).__name__)
            raise QueueUnavailable(DOWN) from None

    def submit(self, jobs: list[tuple[str, int]]) -> None:
        import redis
        from rq import Queue

        data = [Queue.prepare_data(JOB, args=(batch_id, item_id), timeout=JOB_TIMEOUT, result_ttl=0,
                                   failure_ttl=7 * 86400, job_id=f"paicha-{batch_id}-{item_id}-{secrets.token_hex(4)}",
                                   description=f"batch {batch_id} item {item_id}") for batch_id, item_id in jobs]
        try:
            with self.connection.pipeline() as pipe:
                self.queue.enqueue_many(data, pipeline=pipe)
                pipe.execute()
        except redis.exceptions.RedisError as err:
            log.error("batch jobs not queued: %s", type(err).__name__)
            raise QueueUnavailable(DOWN) from None


def runner_for(app) -> Runner:
    """The app's runner, made once: RQ when REDIS_URL is set, else the thread pool."""
    app = getattr(app, "_get_current_object", lambda: app)()  # the app itself: jobs run outside its context
    runner = app.extensions.get(KEY)
    if runner is None:
        runner = make_runner(app.config, _database(app), lambda r: _app_context(app, r))
        app.extensions[KEY] = runner
    return runner


def make_runner(cfg, db: Database, context: Callable[[Runner], object]) -> Runner:
    if cfg["REDIS_URL"]:
        return RqRunner(db, cfg["BATCH_LEASE"], cfg["BATCH_ATTEMPTS"], cfg["REDIS_URL"], cfg["BATCH_QUEUE"],
                        cfg["REDIS_TIMEOUT"])
    return ThreadRunner(db, cfg["BATCH_LEASE"], cfg["BATCH_ATTEMPTS"], cfg["BATCH_THREADS"], context)


def _database(app) -> Database:
    from service.store import database

    return database(app)


def _app_context(app, runner: Runner):
    """The job context of the web process: its database, artifacts and PDF converter."""
    from service.pdf_runtime import converter_for
    from service.store import artifacts_of

    from .tasks import Context

    return Context(runner.db, artifacts_of(app), lambda: converter_for(app), runner)
