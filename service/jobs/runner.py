"""A runner of batch jobs, whatever the queue: the leases it holds on items, and the keeper thread
that renews them and queues again what holders that stopped left behind.

service.jobs.queue has the two runners (RQ, thread pool); service.jobs.tasks, the job, knows a
runner only as this base class, so the job does not import the queue that runs it.
"""
from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from typing import Callable, Optional

from service.clock import utcnow
from service.store.db import Database

from . import leases

log = logging.getLogger(__name__)


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

    def submit_task(self, job: str, local: Callable[..., object], *args) -> None:
        """One job that is not a batch item (the campaign archive): `job` is the import path RQ runs
        (it takes `args` and finds its context in tasks.CONTEXT), `local` what the thread pool runs
        (it takes the context, then `args`). No lease: such a job records its own state."""
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
