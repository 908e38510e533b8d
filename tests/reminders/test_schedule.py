"""The daily run at REMIND_AT: when it falls, that of several processes exactly one sends (the day's
claim in the database, on both databases), the thread that keeps it without Redis, and with Redis
the RQ-scheduled job run by a real RQ worker that puts the next day's on the schedule."""
from __future__ import annotations

import secrets
import threading
from datetime import datetime, time, timedelta, timezone

import pytest

from service import config
from service.clock import beijing_day, utcnow
from service.jobs import remind_schedule
from service.store import migrate, reminder_log
from service.store.db import Database
from tests.conftest import beijing

from .helpers import LimitedRobot, add_branches, log_rows

AT = time(8, 30)


def test_the_next_moment_is_beijing_time_of_day():
    assert remind_schedule.next_moment(AT, beijing(2023, 6, 17, 8, 10)) == datetime(2023, 6, 17, 0, 30,
                                                                                    tzinfo=timezone.utc)
    assert remind_schedule.next_moment(AT, beijing(2023, 6, 17, 8, 30)) == beijing(2023, 6, 18, 8, 30)
    assert remind_schedule.next_moment(AT, beijing(2023, 6, 17, 23, 59)) == beijing(2023, 6, 18, 8, 30)
    assert remind_schedule.next_moment(time(0, 5), datetime(2023, 6, 17, 16, 0, tzinfo=timezone.utc)) == beijing(
        2023, 6, 18, 0, 5)  # 00:00 Beijing is 16:00 UTC the day before


def test_remind_at_is_a_time_of_day_or_empty():
    assert config.remind_at("") is None and config.remind_at("8:05") == time(8, 5)
    for bad in ("24:00", "8.30", "08:60", "morning"):
        with pytest.raises(config.ConfigError, match="PAICHA_REMIND_AT"):
            config.load({"REMIND_AT": bad}, environ={})


def test_a_day_is_claimed_once(db_url):
    db = Database(db_url, 10.0)
    migrate.upgrade(db)
    try:
        now = beijing(2023, 6, 17, 8, 30)
        assert reminder_log.claim_day(db, beijing_day(now), now) is True
        assert reminder_log.claim_day(db, beijing_day(now), now) is False
        assert reminder_log.claim_day(db, beijing_day(now) + timedelta(days=1), now) is True
    finally:
        db.dispose()


@pytest.fixture
def robot():
    r = LimitedRobot()
    yield r
    r.close()


def test_of_two_processes_threads_one_sends_the_day(tmp_path, robot):
    """Two Daily threads (as two gunicorn workers would start) wake after 08:30: one claims the day and
    sends; the other finds it claimed. Then both sleep until tomorrow."""
    db = Database(f"sqlite:///{tmp_path / 'paicha.db'}")
    migrate.upgrade(db)
    add_branches(db, ("WJ023", "星辰实验学校党支部", False))
    cfg = config.load({"REMIND_AT": "08:30", "NOTIFY_WECOM_URL": robot.url(), "REDIS_URL": ""}, environ={})
    now = beijing(2023, 6, 21, 9, 0)  # started after the day's time, the day not yet run: it catches up
    threads = [remind_schedule.Daily(db, cfg, lambda: now) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        done = threading.Event()
        for _ in range(200):
            if log_rows(db) and all(t.wait_seconds() > 0 for t in threads):
                done.set()
                break
            done.wait(0.05)
        assert done.is_set(), "the day's run did not happen"
        assert [t.wait_seconds() for t in threads] == [(beijing(2023, 6, 22, 8, 30) - now).total_seconds()] * 2
    finally:
        for t in threads:
            t.stop()
            t.join(10)
    assert log_rows(db) == [("overdue", "*", "*", "wecom", "accepted")]
    assert len(robot.calls) == 1
    db.dispose()


def test_without_remind_at_or_with_redis_no_thread_starts(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'x.db'}")
    assert remind_schedule.start_in_process(db, config.load({}, environ={})) is None
    assert remind_schedule.start_in_process(db, config.load({"REMIND_AT": "08:30", "REDIS_URL": "redis://x:6379/0"},
                                                            environ={})) is None
    db.dispose()


def test_with_redis_the_job_is_scheduled_and_a_worker_runs_it_and_schedules_the_next(tmp_path, robot):
    from rq import Queue, SimpleWorker
    from rq.registry import ScheduledJobRegistry
    from rq.serializers import JSONSerializer

    from tests.redis_server import REDIS, answering_client

    connection = answering_client()
    queue = Queue(f"paicha-test-remind-{secrets.token_hex(4)}", connection=connection, serializer=JSONSerializer)
    db = Database(f"sqlite:///{tmp_path / 'paicha.db'}")
    migrate.upgrade(db)
    add_branches(db, ("WJ023", "星辰实验学校党支部", False))
    cfg = config.load({"REMIND_AT": "08:30", "NOTIFY_WECOM_URL": robot.url(), "REDIS_URL": REDIS}, environ={})
    try:
        before = beijing(2023, 6, 21, 7, 0)  # before the day's time: at 08:30
        assert remind_schedule.schedule(queue, cfg, db, before) == beijing(2023, 6, 21, 8, 30)
        scheduled = ScheduledJobRegistry(queue=queue)
        assert scheduled.get_job_ids() == ["paicha-remind-2023-06-21"]
        assert scheduled.get_scheduled_time("paicha-remind-2023-06-21") == beijing(2023, 6, 21, 8, 30)
        assert len(queue) == 0
        now = utcnow()  # the job itself runs on the real clock: today, after 00:00
        today = beijing_day(now)
        at = "00:00"
        cfg = {**cfg, "REMIND_AT": at}
        assert remind_schedule.schedule(queue, cfg, db, now) == now  # due and unclaimed: queued at once
        assert queue.job_ids == [f"paicha-remind-{today}"]
        remind_schedule.CONTEXT = (db, cfg)
        worker = SimpleWorker([queue], connection=connection, serializer=JSONSerializer)
        assert worker.work(burst=True, with_scheduler=False) is True
        assert log_rows(db) == [("overdue", "*", "*", "wecom", "accepted")] and len(robot.calls) == 1
        with db.reading() as session:
            assert reminder_log.claimed(session, today)
        assert f"paicha-remind-{today + timedelta(days=1)}" in ScheduledJobRegistry(queue=queue).get_job_ids()
    finally:
        remind_schedule.CONTEXT = None
        for job_id in ScheduledJobRegistry(queue=queue).get_job_ids():
            ScheduledJobRegistry(queue=queue).remove(job_id, delete_job=True)
        queue.delete(delete_jobs=True)
        db.dispose()
