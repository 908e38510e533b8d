"""POST /api/v1/reminders/run and GET /api/v1/reminders on both databases, with a 企业微信 robot on
loopback that answers as the real one does (HTTP 200 with an errcode; 45009 beyond 20 a minute)."""
from __future__ import annotations

import hashlib

import pytest

from service.store import database
from tests.conftest import beijing
from tests.notify.fakes import OK, answers

from .helpers import FREQ_OUT, LimitedRobot, add_branches, log_rows

SILENT, SENT = ("WJ023", "星辰实验学校党支部", False), ("WJ017", "湖塘实验中学党支部", True)


@pytest.fixture
def robot():
    made = []

    def make(answer=lambda call: OK):
        made.append(LimitedRobot(answer))
        return made[-1]

    yield make
    for r in made:
        r.close()


def make(tmp_path, db_url, clock, url, **more):
    from tests.conftest import make_app

    return make_app(tmp_path, DATABASE_URL=db_url, CLOCK=clock, NOTIFY_WECOM_URL=url, NOTIFY_TIMEOUT=5.0, **more)


def test_a_run_three_days_before_names_the_silent_branches_to_the_group(tmp_path, db_url, clock, robot):
    wecom = robot()
    app = make(tmp_path, db_url, clock, wecom.url())
    add_branches(database(app), SILENT, SENT)
    clock.now = beijing(2023, 6, 17, 8, 30)  # three days before the 工作方案's 6月20日
    resp = app.test_client().post("/api/v1/reminders/run")
    assert resp.status_code == 200, resp.get_json()
    body = resp.get_json()
    assert body["day"] == "2023-06-17" and body["planned"] == 2  # the group message, and WJ023's e-mail
    assert body["channels"] == {"wecom": {"accepted": 1, "failed": 0, "no_channel": 0},
                                "none": {"accepted": 0, "failed": 0, "no_channel": 1}}  # no mail server set
    (call,) = wecom.calls
    assert "星辰实验学校党支部" in call.text and "湖塘实验中学党支部" not in call.text and "6月20日" in call.text
    assert log_rows(database(app)) == [("due_soon", "*", "work_plan", "wecom", "accepted"),
                                       ("due_soon", "WJ023", "work_plan", "none", "no_channel")]
    again = app.test_client().post("/api/v1/reminders/run").get_json()
    assert again["planned"] == 0 and again["sends"] == [] and len(wecom.calls) == 1  # never the same twice


def test_a_refusal_is_logged_failed_and_the_next_run_sends_it_again(tmp_path, db_url, clock, robot):
    wecom = robot(answers(FREQ_OUT, OK))
    app = make(tmp_path, db_url, clock, wecom.url())
    add_branches(database(app), SILENT)
    clock.now = beijing(2023, 6, 21, 8, 30)  # the 工作方案 overdue: the day's digest
    client = app.test_client()
    first = client.post("/api/v1/reminders/run").get_json()
    assert [(s["kind"], s["outcome"], s["detail"]) for s in first["sends"]] == [
        ("overdue", "failed", "机器人拒收：errcode 45009 api freq out of limit")]
    second = client.post("/api/v1/reminders/run").get_json()
    assert [(s["kind"], s["outcome"]) for s in second["sends"]] == [("overdue", "accepted")]
    assert client.post("/api/v1/reminders/run").get_json()["sends"] == []
    assert len(wecom.calls) == 2 and wecom.calls[0].body == wecom.calls[1].body
    page = client.get("/api/v1/reminders").get_json()
    assert [(i["outcome"], i["channel"], i["branch"]) for i in page["items"]] == [
        ("accepted", "wecom", "*"), ("failed", "wecom", "*")]  # newest first
    assert page["items"][0]["actor"].startswith("token:tests-district-")


def test_the_log_pages_and_refuses_an_empty_or_malformed_query(tmp_path, db_url, clock, robot):
    app = make(tmp_path, db_url, clock, robot().url())
    add_branches(database(app), SILENT, SENT)
    clock.now = beijing(2023, 6, 17, 8, 30)
    client = app.test_client()
    client.post("/api/v1/reminders/run")
    page = client.get("/api/v1/reminders?page_size=1&page=2").get_json()
    assert page["total"] == 2 and page["page"] == 2 and len(page["items"]) == 1
    assert page["items"][0]["channel"] == "wecom"
    assert client.get("/api/v1/reminders?branch=WJ023").get_json()["total"] == 1
    for bad in ("page=", "page_size=0", "page_size=abc", "branch="):
        resp = client.get(f"/api/v1/reminders?{bad}")
        assert resp.status_code == 400 and resp.get_json()["code"] == "bad_query", bad


def test_a_robot_gets_at_most_20_a_minute_counted_in_redis(tmp_path, clock, robot):
    """25 hand-sent reminders to branches without e-mail go to the group: the limiter (in Redis) lets 20
    through, the rest are logged failed at once (no wait allowed), and the robot never refuses one."""
    from tests.redis_server import REDIS, answering_client

    redis = answering_client()
    wecom = robot()
    counted = hashlib.sha256(wecom.url().encode()).hexdigest()[:24]  # how the limiter names this robot
    for key in redis.scan_iter(f"*{counted}*"):  # a port used again within the minute starts from nothing
        redis.delete(key)
    app = make(tmp_path, f"sqlite:///{tmp_path / 'r.db'}", clock, wecom.url(), REDIS_URL=REDIS, NOTIFY_ROBOT_WAIT=0.0)
    add_branches(database(app), *[(f"WJ{i:03d}", f"武进区第{i}实验学校党支部", False) for i in range(25)])
    clock.now = beijing(2023, 6, 17, 8, 30)
    client = app.test_client()
    for i in range(25):
        assert client.post(f"/district/branches/WJ{i:03d}/remind").status_code == 303
    outcomes = [row[4] for row in log_rows(database(app))]
    assert outcomes == ["accepted"] * 20 + ["failed"] * 5
    assert len(wecom.calls) == 20
    page = client.get("/api/v1/reminders?page_size=1").get_json()
    assert page["items"][0]["detail"].startswith("rate limited")


def test_run_is_for_the_district_only(tmp_path, db_url, clock, robot):
    from tests.principals import token

    app = make(tmp_path, db_url, clock, robot().url())
    clerk = token(app, "WJ017")
    client = app.test_client(anonymous=True)
    for method, path in (("post", "/api/v1/reminders/run"), ("get", "/api/v1/reminders")):
        resp = getattr(client, method)(path, headers={"Authorization": f"Bearer {clerk}"})
        assert resp.status_code == 403, path
