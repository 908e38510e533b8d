"""Where batch jobs go: RQ on Redis when REDIS_URL is set, else a small thread pool in this process.

Both run the same job (tasks.process) on (batch id, item id) pairs. Each runner has an owner id
under which it holds leases; a keeper thread renews them and reaps the items of holders that
stopped. RQ's runner hands a queued item to Redis (no lease) once Redis has it; the thread pool
keeps holding its queued items, so a process that dies with work in its queue loses nothing
either: the lease runs out and the next reaper queues the items again.
"""
from __future__ import annotations

import logging
import secrets
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Optional

from service.errors import QueueUnavailable
from service.store.db import Database

from . import tasks
from .runner import Runner

log = logging.getLogger(__name__)
KEY = "paicha.batch_runner"
JOB = "service.jobs.tasks.run_item"
JOB_TIMEOUT = 3600  # seconds one branch may take in RQ (a large branch's PDFs on a busy machine)
TASK_TIMEOUT = 6 * 3600  # seconds a whole-district job (the campaign archive: every branch's PDF/A) may take
DOWN = "批量生成的任务队列（Redis）暂时无法连接，请稍后重试；其他功能不受影响"


class ThreadRunner(Runner):
    """The embedded default: BATCH_THREADS branches at a time in this process, no Redis."""

    def __init__(self, db: Database, lease: float, attempts: int, threads: int, context: Callable[["Runner"], object]):
        super().__init__(db, lease, attempts)
        self.threads = max(1, int(threads))
        self._context = context
        self._executor: Optional[ThreadPoolExecutor] = None

    def submit(self, jobs: list[tuple[str, int]]) -> None:
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

    def submit_task(self, job: str, local: Callable[..., object], *args) -> None:
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(self.threads, thread_name_prefix="batch")
        self._executor.submit(local, self._context(self), *args)

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


    def submit_task(self, job: str, local: Callable[..., object], *args) -> None:
        import redis

        try:
            self.queue.enqueue(job, args=args, job_timeout=TASK_TIMEOUT, result_ttl=0, failure_ttl=7 * 86400,
                               job_id=f"paicha-task-{secrets.token_hex(8)}", description=f"{job.rsplit('.', 1)[-1]}")
        except redis.exceptions.RedisError as err:
            log.error("task %s not queued: %s", job, type(err).__name__)
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
    from service.pdf.runtime import converter_for
    from service.store import artifacts_of

    return tasks.Context(runner.db, artifacts_of(app), lambda: converter_for(app), runner)
