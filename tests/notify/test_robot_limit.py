"""At most 20 messages a minute to a robot: the 21st is not sent at once; two workers (two limiters
on one real Redis) count together; a message over the limit waits for room, within its bound;
a Redis that does not answer leaves the counting to memory."""
from __future__ import annotations

import secrets
import time

import pytest
import redis
from limits import RateLimitItemPerSecond

from service.notify.message import Message
from service.notify.robot_limit import RobotLimiter
from service.notify.robots import WecomRobot
from tests.redis_server import REDIS, answering_client

from .fakes import RobotServer, Silent

NOTE = Message("【党员组织关系排查】报送提醒", "请抓紧报送。")


@pytest.fixture
def robot():
    server = RobotServer()
    yield server
    server.close()


@pytest.fixture
def redis_prefix():
    client = answering_client()
    prefix = f"paicha-test-robots-{secrets.token_hex(4)}"
    yield prefix
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)
    client.close()


def test_the_21st_message_in_a_minute_is_not_sent_at_once(robot):
    wecom = WecomRobot(robot.url(), timeout=5, limiter=RobotLimiter(max_wait=0))
    deliveries = [wecom.send(NOTE) for _ in range(21)]
    assert [d.accepted for d in deliveries] == [True] * 20 + [False]
    assert deliveries[-1].detail.startswith("rate limited")
    assert len(robot.calls) == 20
    other = RobotServer()  # the limit is per robot: another one has its own 20
    try:
        assert WecomRobot(other.url(), timeout=5, limiter=wecom.limiter).send(NOTE).accepted
    finally:
        other.close()


def test_two_workers_count_together_in_redis(robot, redis_prefix):
    workers = [WecomRobot(robot.url(), timeout=5, limiter=RobotLimiter(REDIS, max_wait=0, key_prefix=redis_prefix))
               for _ in range(2)]
    first = [workers[0].send(NOTE).accepted for _ in range(12)]
    second = [workers[1].send(NOTE).accepted for _ in range(9)]
    assert first == [True] * 12 and second == [True] * 8 + [False]
    assert len(robot.calls) == 20
    keys = redis.Redis.from_url(REDIS).keys(f"{redis_prefix}*")
    assert keys and not any(b"test-key" in k for k in keys)  # counted by a hash, never by the key in the URL


def test_a_message_over_the_limit_waits_for_room_within_its_bound(robot):
    pauses = []

    def sleep(seconds):
        pauses.append(seconds)
        time.sleep(seconds)

    two_a_second = RateLimitItemPerSecond(2, 1)
    waiting = RobotLimiter(max_wait=5, limit=two_a_second, sleep=sleep)
    assert [waiting.acquire(robot.url()) for _ in range(3)] == [True, True, True]
    assert len(pauses) >= 1 and 0 < sum(pauses) <= 1.5  # the third waited for the window to move
    impatient = RobotLimiter(max_wait=0.1, limit=two_a_second, sleep=sleep)
    assert [impatient.acquire(robot.url()) for _ in range(3)] == [True, True, False]


def test_a_redis_that_does_not_answer_leaves_the_count_to_memory(robot):
    gone = Silent()
    port = gone.port
    gone.close()
    limiter = RobotLimiter(f"redis://127.0.0.1:{port}/0", max_wait=0, redis_timeout=0.5)
    wecom = WecomRobot(robot.url(), timeout=5, limiter=limiter)
    assert [wecom.send(NOTE).accepted for _ in range(21)] == [True] * 20 + [False]
