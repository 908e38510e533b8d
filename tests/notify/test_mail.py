"""E-mail reminders through a real SMTP server on loopback (aiosmtpd): the 退回 e-mail arrives with
its Chinese subject and body intact, a sign-in from the URL, refusals and a silent server."""
from __future__ import annotations

import email
import email.policy
import socket
from datetime import date

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from service import config
from service.domain.model import Deadlines
from service.domain.reminders import Branch, plan, returned
from service.notify.channels import channels
from service.notify.dispatch import run
from service.notify.mail import Mailer, Server
from service.notify.message import Delivery, Message

from .fakes import Silent

SENDER = "区委教育工委 <paicha@wujin.example.cn>"
BRANCH = Branch("WJ017", "湖塘实验中学党支部", ("dangzhibu@htsy.example.cn", "office@htsy.example.cn"))


class Inbox:
    """aiosmtpd's handler: keeps every envelope; refuses the addresses in `refuse` at RCPT."""

    def __init__(self, refuse=()):
        self.envelopes, self.refuse = [], set(refuse)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 no such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    started = []

    def start(inbox: Inbox, **kwargs) -> int:
        controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), **kwargs)
        controller.start()
        started.append(controller)
        return controller.port

    yield start
    for c in started:
        c.stop()


def test_the_returned_e_mail_arrives_with_its_chinese_subject_and_body(smtp):
    inbox = Inbox()
    port = smtp(inbox)
    settings = config.load({"SMTP_URL": f"smtp://127.0.0.1:{port}", "MAIL_FROM": SENDER}, environ={})
    (mailer,) = channels(settings)
    plan_ = returned(BRANCH, "tables", Deadlines(), date(2023, 7, 3))
    rows = run(plan_, [mailer])
    assert [(r.channel, r.recipient, r.result) for r in rows] == [
        ("email", "dangzhibu@htsy.example.cn, office@htsy.example.cn", "accepted"),
        ("none", "群", "no_channel")]  # no robot configured: the group message is only logged
    (envelope,) = inbox.envelopes
    assert envelope.mail_from == "paicha@wujin.example.cn"
    assert envelope.rcpt_tos == list(BRANCH.emails)
    assert all(b < 128 for b in envelope.original_content)  # headers and body encoded for any server
    mail = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    assert mail["Subject"] == "【退回修改】「党员组织关系排查相关表格」已退回，请修改后重新报送"
    assert mail["From"].addresses[0].display_name == "区委教育工委"
    assert mail.get_content_charset() == "utf-8"
    body = mail.get_content()
    assert body == plan_[0].body
    assert body.startswith("湖塘实验中学党支部：") and "修改后于7月15日前重新报送" in body
    assert body.rstrip().endswith("区委教育工委\n2023年7月3日")
    assert mail["Message-ID"].endswith("@wujin.example.cn>")


class Accounts:
    def __init__(self, login: str, password: str):
        self.expected = (login.encode(), password.encode())

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == self.expected
        return AuthResult(success=ok, handled=False)  # not handled: aiosmtpd answers 535 itself


def test_the_sign_in_comes_from_the_url_url_decoded(smtp):
    inbox = Inbox()
    port = smtp(inbox, authenticator=Accounts("paicha@wujin.example.cn", "p@ss:w/rd 1"), auth_require_tls=False)
    good = Server.from_url(f"smtp://paicha%40wujin.example.cn:p%40ss%3Aw%2Frd%201@127.0.0.1:{port}")
    assert Mailer(good, SENDER, 5).send(Message("提醒", "请报送。", ("a@b.example.cn",))).accepted
    bad = Server.from_url(f"smtp://paicha%40wujin.example.cn:guess@127.0.0.1:{port}")
    refused = Mailer(bad, SENDER, 5).send(Message("提醒", "请报送。", ("a@b.example.cn",)))
    assert (refused.accepted, refused.detail) == (False, "邮件服务器拒绝登录：535")
    assert len(inbox.envelopes) == 1


def test_refused_addresses_are_told_and_never_logged_in_full(smtp):
    port = smtp(Inbox(refuse={"13812345678@139.com"}))
    mailer = Mailer(Server("127.0.0.1", port, "smtp"), SENDER, 5)
    some = Branch("WJ017", "湖塘实验中学党支部", ("13812345678@139.com", "office@htsy.example.cn"))
    rows = run(returned(some, "tables", Deadlines(), date(2023, 7, 3)), [mailer])
    assert [(r.recipient, r.result, r.detail) for r in rows if r.channel == "email"] == [
        ("＊＊＊@＊＊＊.com, office@htsy.example.cn", "accepted", "1 个收件地址被拒收")]  # a mailbox named by a phone
    only = Message("提醒", "请报送。", ("13812345678@139.com",))
    assert mailer.send(only) == Delivery(False, "邮件服务器拒收全部收件地址")


def test_a_mail_server_that_never_answers_costs_one_timeout_and_the_run_goes_on():
    silent = Silent()
    try:
        mailer = Mailer(Server("127.0.0.1", silent.port, "smtp"), SENDER, timeout=0.5)
        branches = [BRANCH, Branch("WJ023", "星辰实验学校党支部", ("xc@example.cn",))]
        rows = run(plan(Deadlines(), date(2023, 6, 17), branches, (3, 1)), [mailer])
    finally:
        silent.close()
    assert [(r.key.branch, r.result, r.detail) for r in rows if r.channel == "email"] == [
        ("WJ017", "failed", "超时（0.5 秒无答复）"),
        ("WJ023", "failed", "本次运行中未能连接，未再尝试（超时（0.5 秒无答复））")]
