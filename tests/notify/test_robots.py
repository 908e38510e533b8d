"""The group robots against fakes on loopback that answer as 企业微信 and 钉钉 do: HTTP 200 with an
errcode, 0 only when they take the message; a robot that never answers; 钉钉's 加签 checked by the
fake itself with the formula of 钉钉's documentation."""
from __future__ import annotations

import base64
import hashlib
import hmac
import time
from datetime import date
from urllib.parse import quote_plus

import pytest

from service.domain.model import Deadlines
from service.domain.reminders import Branch, plan
from service.notify.dispatch import run
from service.notify.message import Message
from service.notify.robots import DingtalkRobot, WecomRobot

from .fakes import OK, RobotServer, Silent, answers

SECRET = "SEC" + "5a3ecf88f2b3eb50db30ecfc00f53033ac909c99bf7f88fd612bda89d7f3a9dc"
BRANCHES = [Branch("WJ017", "湖塘实验中学党支部"), Branch("WJ023", "星辰实验学校党支部", sent=frozenset({"work_plan"}))]
THREE_DAYS_BEFORE_WORK_PLAN = date(2023, 6, 17)


@pytest.fixture
def robots():
    made = []

    def make(answer=lambda call: OK):
        made.append(RobotServer(answer))
        return made[-1]

    yield make
    for r in made:
        r.close()


def group_rows(rows, channel):
    return [(r.key.kind, r.key.deliverable, r.result, r.detail) for r in rows if r.channel == channel]


def test_a_refusal_is_logged_failed_and_the_next_run_sends_it_again(robots):
    robot = robots(answers({"errcode": 45009, "errmsg": "api freq out of limit"}, OK))
    wecom = WecomRobot(robot.url(), timeout=5)
    log = []

    def remind():
        return run(plan(Deadlines(), THREE_DAYS_BEFORE_WORK_PLAN, BRANCHES, (3, 1), log), [wecom], log.append)

    first = remind()
    assert group_rows(first, "wecom") == [("due_soon", "work_plan", "failed",
                                           "机器人拒收：errcode 45009 api freq out of limit")]
    second = remind()
    assert group_rows(second, "wecom") == [("due_soon", "work_plan", "accepted", "errcode 0")]
    assert remind() == []  # taken: never planned again
    assert len(robot.calls) == 2 and robot.calls[0].body == robot.calls[1].body
    assert robot.calls[0].body["msgtype"] == "text"
    text = robot.calls[1].text
    assert "「党员组织关系排查工作方案」报送截止日期为6月20日（还有3天）" in text
    assert "湖塘实验中学党支部" in text and "星辰实验学校党支部" not in text  # it has sent its 工作方案
    # the branch's own reminder had no mail channel: logged once, not planned again
    assert [(r.channel, r.key.branch, r.result) for r in first if r.channel != "wecom"] == [
        ("none", "WJ017", "no_channel")]


@pytest.mark.parametrize("answer", [{"errcode": 93000, "errmsg": "invalid webhook url"},
                                    {"errcode": "45009", "errmsg": "api freq out of limit"},
                                    {"errmsg": "ok"}, {"status": "fine"}])
def test_an_http_200_without_errcode_0_is_failed(robots, answer):
    robot = robots(lambda call: answer)
    delivery = WecomRobot(robot.url(), timeout=5).send(Message("提醒", "请报送。"))
    assert not delivery.accepted and len(robot.calls) == 1
    assert "test-key" not in delivery.detail  # the webhook's key is a credential


def test_a_robot_that_never_answers_fails_after_the_timeout_and_the_run_goes_on(robots):
    silent = Silent()
    try:
        dingtalk = robots()
        notifiers = [WecomRobot(f"http://127.0.0.1:{silent.port}/cgi-bin/webhook/send?key=k", timeout=0.5),
                     DingtalkRobot(dingtalk.url("/robot/send?access_token=t"), "", timeout=5)]
        today = date(2023, 7, 14)  # the day before the tables are due, and 工作方案 overdue: two group messages
        rows = run(plan(Deadlines(), today, BRANCHES, (3, 1)), notifiers)
    finally:
        silent.close()
    assert group_rows(rows, "wecom") == [
        ("due_soon", "tables", "failed", "超时（0.5 秒无答复）"),
        ("overdue", "*", "failed", "本次运行中未能连接，未再尝试（超时（0.5 秒无答复））")]
    assert [r[2] for r in group_rows(rows, "dingtalk")] == ["accepted", "accepted"]
    assert len(dingtalk.calls) == 2


def test_a_refused_connection_is_failed_not_raised():
    silent = Silent()
    port = silent.port
    silent.close()  # nobody listens there now
    delivery = WecomRobot(f"http://127.0.0.1:{port}/send?key=k", timeout=2).send(Message("提醒", "请报送。"))
    assert not delivery.accepted and not delivery.reached and delivery.detail.startswith("无法连接")


def documented_sign(secret: str, timestamp: str) -> str:
    """钉钉's documentation: Base64(HmacSHA256(secret, timestamp + "\\n" + secret)), UTF-8 throughout."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp}\n{secret}".encode("utf-8"), digestmod=hashlib.sha256)
    return base64.b64encode(digest.digest()).decode()


def dingtalk_answer(call) -> dict:
    """What 钉钉 checks: the timestamp within an hour of its clock, and the signature of it."""
    stamp, signature = call.query["timestamp"][0], call.query["sign"][0]
    if abs(int(stamp) - time.time() * 1000) > 3600 * 1000:
        return {"errcode": 310000, "errmsg": "sign not match, more than 1 hour"}
    return OK if signature == documented_sign(SECRET, stamp) else {"errcode": 310000, "errmsg": "sign not match"}


def test_dingtalk_signs_each_call_as_its_documentation_says(robots):
    robot = robots(dingtalk_answer)
    url = robot.url("/robot/send?access_token=abc123")
    assert DingtalkRobot(url, SECRET, timeout=5).send(Message("提醒", "请报送。")).accepted
    call = robot.calls[0]
    assert call.query["access_token"] == ["abc123"]
    # the signature travels URL-encoded (Base64's + / = escaped), as the documentation's urlEncode gives it
    assert call.raw_query["sign"] == quote_plus(documented_sign(SECRET, call.raw_query["timestamp"]))

    wrong = DingtalkRobot(url, "SEC" + "0" * 64, timeout=5).send(Message("提醒", "请报送。"))
    assert (wrong.accepted, wrong.detail) == (False, "机器人拒收：errcode 310000 sign not match")
    late = DingtalkRobot(url, SECRET, timeout=5, clock=lambda: time.time() - 2 * 3600).send(Message("提醒", "请报送。"))
    assert not late.accepted and "310000" in late.detail


def test_a_fixed_timestamp_gives_the_documented_signature(robots):
    robot = robots()
    moment = 1686960000.123  # 2023-06-17 08:00:00.123 北京时间
    DingtalkRobot(robot.url("/robot/send?access_token=t"), SECRET, timeout=5, clock=lambda: moment).send(
        Message("提醒", "请报送。"))
    expected = base64.b64encode(hmac.new(SECRET.encode(), f"1686960000123\n{SECRET}".encode(),
                                         hashlib.sha256).digest()).decode()
    assert robot.calls[0].raw_query["timestamp"] == "1686960000123"
    assert robot.calls[0].raw_query["sign"] == quote_plus(expected)
    assert "%2B" in quote_plus(expected) or "%2F" in quote_plus(expected) or "%3D" in quote_plus(expected)


def test_a_message_holding_an_id_number_or_a_phone_never_leaves(robots):
    robot = robots()
    wecom = WecomRobot(robot.url(), timeout=5)
    for body in ("请320412198003150012核对。", "联系 138 1234 5678。", "电话（0519）8658-1234"):
        delivery = wecom.send(Message("提醒", body))
        assert not delivery.accepted and delivery.detail.startswith("消息中含有")
        assert not any(ch.isdigit() for ch in delivery.detail)
    assert robot.calls == []
