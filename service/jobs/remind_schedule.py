"""The daily run of the reminder rules at REMIND_AT (Beijing time), once a day however many processes run.

With REDIS_URL: an RQ-scheduled job. `paicha worker` (with RQ's scheduler on) puts the next run
on the queue with Queue.enqueue_at under the job id paicha-remind-<day> (so workers starting
together schedule it once), and each run schedules the next. Without Redis: a thread of the web
service (`Daily`), started once per process. Either way the run first claims its Beijing day in the
database (reminder_runs, a unique day): of several gunicorn workers, or workers on several machines,
exactly one sends; the others find the day taken and do nothing. A process that starts after the
day's time and finds the day unclaimed runs it at once (a reminder missed on its day still goes out
that day); the next day's starts the day after.
"""
from __future__ import annotations

import logging
import threading
from datetime import date, datetime, time, timedelta, timezone
from typing import Callable, Mapping, Optional

from service.clock import BEIJING, beijing_day, utcnow
from service.config import remind_at
from service.store import reminder_log
from service.store.db import Database

from . import reminders

LOG = logging.getLogger(__name__)
ACTOR = "定时提醒"
JOB = "service.jobs.remind_schedule.daily_job"
CONTEXT: Optional[tuple[Database, Mapping]] = None  # set by `paicha worker` for daily_job


def moment(day: date, at: time) -> datetime:
    """The UTC moment at which Beijing's clock shows `at` on `day`."""
    return datetime.combine(day, at, tzinfo=BEIJING).astimezone(timezone.utc)


def next_moment(at: time, now: datetime) -> datetime:
    """The first moment after `now` at which Beijing's clock shows `at`."""
    today = moment(beijing_day(now), at)
    return today if today > now else moment(beijing_day(now) + timedelta(days=1), at)


def due_now(db: Database, at: time, now: datetime) -> bool:
    """Whether today's time has passed and today's run was not yet claimed (a start that catches up)."""
    if now < moment(beijing_day(now), at):
        return False
    with db.reading() as session:
        return not reminder_log.claimed(session, beijing_day(now))


def scheduled_run(db: Database, cfg: Mapping, now: datetime) -> Optional[reminders.Result]:
    """The day's run, if this process claims the day; None when another one has."""
    day = beijing_day(now)
    if not reminder_log.claim_day(db, day, now):
        LOG.info("reminders of %s: run by another process", day)
        return None
    result = reminders.run_day(db, cfg, day, ACTOR)
    LOG.info("reminders of %s: %s", day, result.by_channel())
    return result


class Daily(threading.Thread):
    """The in-process schedule (no Redis): sleeps until REMIND_AT, runs, and again the next day."""

    def __init__(self, db: Database, cfg: Mapping, clock: Callable[[], datetime] = utcnow):
        super().__init__(name="remind-daily", daemon=True)
        self.db, self.cfg, self.clock = db, cfg, clock
        self.at = remind_at(cfg["REMIND_AT"])
        self.stopped = threading.Event()

    def wait_seconds(self) -> float:
        now = self.clock()
        if due_now(self.db, self.at, now):
            return 0.0
        return max(0.0, (next_moment(self.at, now) - now).total_seconds())

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                pause = self.wait_seconds()
            except Exception:  # noqa: BLE001 - the database is away: try again in a minute
                LOG.exception("reminder schedule: cannot read the database")
                pause = 60.0
            if self.stopped.wait(pause):
                return
            try:
                scheduled_run(self.db, self.cfg, self.clock())
            except Exception:  # noqa: BLE001 - logged; tomorrow's run is still due
                LOG.exception("scheduled reminders failed")
            self.stopped.wait(1.0)  # past the minute's start before the next wait is worked out

    def stop(self) -> None:
        self.stopped.set()


_started: dict[str, Daily] = {}
_start_lock = threading.Lock()


def start_in_process(db: Database, cfg: Mapping, clock: Callable[[], datetime] = utcnow) -> Optional[Daily]:
    """The Daily thread of this process for this database, started once (None when REMIND_AT is empty
    or REDIS_URL is set: then `paicha worker` keeps the schedule)."""
    if remind_at(cfg["REMIND_AT"]) is None or cfg["REDIS_URL"]:
        return None
    with _start_lock:
        thread = _started.get(db.url)
        if thread is None or not thread.is_alive():
            thread = _started[db.url] = Daily(db, cfg, clock)
            thread.start()
        return thread


# ---- with Redis: an RQ-scheduled job ----------------------------------------------------------

def job_id(day: date) -> str:
    return f"paicha-remind-{day.isoformat()}"


def schedule(queue, cfg: Mapping, db: Database, now: datetime) -> Optional[datetime]:
    """Queue the next run: now when today's is due and unclaimed, else at the next REMIND_AT; when."""
    at = remind_at(cfg["REMIND_AT"])
    if at is None:
        return None
    if due_now(db, at, now):
        queue.enqueue(JOB, job_id=job_id(beijing_day(now)), result_ttl=0, failure_ttl=7 * 86400,
                      description="daily reminders")
        return now
    when = next_moment(at, now)
    queue.enqueue_at(when, JOB, job_id=job_id(beijing_day(when)), result_ttl=0, failure_ttl=7 * 86400,
                     description="daily reminders")
    return when


def daily_job() -> None:
    """The RQ job: today's run (if this worker claims the day), then tomorrow's put on the queue."""
    from rq import get_current_job

    if CONTEXT is None:
        raise RuntimeError("daily_job runs in paicha worker, which sets remind_schedule.CONTEXT")
    db, cfg = CONTEXT
    try:
        scheduled_run(db, cfg, utcnow())
    finally:
        job = get_current_job()
        if job is not None:
            from rq import Queue

            schedule(Queue(job.origin, connection=job.connection, serializer=job.serializer), cfg, db,
                     utcnow() + timedelta(seconds=1))
