"""退回修改 tells the branch (e-mail, through a real SMTP server on loopback) and the group (a robot on
loopback), after the review is committed; a mail server that is down fails the e-mail, never the review.

The register of e-mail addresses is not on main yet: these tests give the stand-in
(service.store.reminder_inputs.branch) an address, as the register will."""
from __future__ import annotations

import email
import email.policy
from dataclasses import replace

import pytest

from service.jobs import reminders as running
from service.store import database, reminder_inputs
from tests.conftest import beijing, make_app
from tests.notify.fakes import RobotServer
from tests.notify.test_mail import Inbox, free_port

from .helpers import log_rows

SENDER = "区委教育工委 <paicha@wujin.example.cn>"
ADDRESS = "dangzhibu@htsy.example.cn"


@pytest.fixture
def with_address(monkeypatch):
    stand_in = reminder_inputs.branch

    def branch(session, code):
        found = stand_in(session, code)
        return found and replace(found, emails=(ADDRESS,))

    monkeypatch.setattr(reminder_inputs, "branch", branch)


@pytest.fixture
def mail_server():
    """A real SMTP server on loopback (aiosmtpd) keeping what it receives; its port."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


@pytest.fixture
def robot():
    r = RobotServer()
    yield r
    r.close()


def store_and_return(app, sample_data, clock):
    client = app.test_client()
    clock.now = beijing(2023, 6, 15, 9, 0)
    assert client.put("/api/v1/branches/WJ017/dataset", json=sample_data).status_code == 201
    clock.now = beijing(2023, 7, 3, 10, 0)
    resp = client.post("/api/v1/branches/WJ017/versions/1/review", json={"decision": "returned", "reason": "表3缺联系人"})
    assert resp.status_code == 201, resp.get_json()
    running.drain()
    return resp


def test_a_return_is_mailed_to_the_branch_and_posted_to_the_group(tmp_path, db_url, clock, sample_data,
                                                                  mail_server, robot, with_address):
    inbox, port = mail_server
    app = make_app(tmp_path, DATABASE_URL=db_url, CLOCK=clock, SMTP_URL=f"smtp://127.0.0.1:{port}",
                   MAIL_FROM=SENDER, NOTIFY_WECOM_URL=robot.url())
    store_and_return(app, sample_data, clock)
    (envelope,) = inbox.envelopes
    assert envelope.rcpt_tos == [ADDRESS]
    mail = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    assert mail["Subject"].startswith("【退回修改】")
    body = mail.get_content()
    assert "表3缺联系人" not in body  # the reason may name a member: the clerk reads it on the result page
    (call,) = robot.calls
    assert "星河实验小学党支部报送的「报送材料」已退回修改" in call.text
    assert sorted(log_rows(database(app))) == [("returned", "WJ017", "*", "email", "accepted"),
                                               ("returned", "WJ017", "*", "wecom", "accepted")]
    verified = app.test_client().post("/api/v1/branches/WJ017/versions/1/review", json={"decision": "verified"})
    assert verified.status_code == 201
    running.drain()
    assert len(inbox.envelopes) == 1 and len(robot.calls) == 1  # 已核查 tells nobody


def test_a_mail_server_that_is_down_fails_the_mail_not_the_review(tmp_path, clock, sample_data, robot, with_address):
    app = make_app(tmp_path, CLOCK=clock, SMTP_URL=f"smtp://127.0.0.1:{free_port()}", MAIL_FROM=SENDER,
                   NOTIFY_WECOM_URL=robot.url(), NOTIFY_TIMEOUT=2.0)
    resp = store_and_return(app, sample_data, clock)
    assert resp.get_json()["decision"] == "returned"
    assert sorted(log_rows(database(app))) == [("returned", "WJ017", "*", "email", "failed"),
                                               ("returned", "WJ017", "*", "wecom", "accepted")]
    detail = app.test_client().get("/api/v1/branches/WJ017").get_json()
    assert detail["review"]["state"] == "returned"


def test_the_district_page_review_tells_the_branch_too(tmp_path, clock, sample_data, robot):
    """The stand-in knows no addresses: the e-mail is logged no_channel, the group gets its message."""
    app = make_app(tmp_path, CLOCK=clock, NOTIFY_WECOM_URL=robot.url())
    client = app.test_client()
    clock.now = beijing(2023, 6, 15, 9, 0)
    assert client.put("/api/v1/branches/WJ017/dataset", json=sample_data).status_code == 201
    clock.now = beijing(2023, 7, 3, 10, 0)
    resp = client.post("/district/branches/WJ017/versions/1/review", data={"decision": "returned", "reason": "请补充"})
    assert resp.status_code == 303
    running.drain()
    assert sorted(log_rows(database(app))) == [("returned", "WJ017", "*", "none", "no_channel"),
                                               ("returned", "WJ017", "*", "wecom", "accepted")]
