"""The reminder channels' settings: what cannot work stops the start with the setting named (and
never echoes a credential); what is configured is what `channels` builds."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from service import config
from service.notify.channels import channels
from service.notify.mail import Mailer, Server
from service.notify.robots import DingtalkRobot, WecomRobot

WECOM = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
DINGTALK = "https://oapi.dingtalk.com/robot/send?access_token=98975521a1b23c02cdd1a9a08c69511d"
SECRET = "SEC" + "5a3ecf88f2b3eb50db30ecfc00f53033ac909c99bf7f88fd612bda89d7f3a9dc"


def refused(**env) -> str:
    with pytest.raises(config.ConfigError) as err:
        config.load(environ={f"PAICHA_{k}": v for k, v in env.items()})
    return str(err.value)


@pytest.mark.parametrize("url", ["ftp://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
                                 "qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", "https://", "javascript:alert(1)"])
@pytest.mark.parametrize("setting", ["NOTIFY_WECOM_URL", "NOTIFY_DINGTALK_URL"])
def test_a_robot_url_that_is_not_http_names_the_setting(setting, url):
    message = refused(**{setting: url})
    assert message.startswith(f"设置 PAICHA_{setting} 无效") and "http" in message
    assert "key=k" not in message  # the webhook's key is a credential: never echoed


@pytest.mark.parametrize("secret", ["abc", "SEC12345", "sec" + "a" * 64, "SEC" + "a" * 30 + " " + "b" * 30,
                                    "SEC" + "测" * 20])
def test_a_malformed_dingtalk_secret_names_the_setting(secret):
    message = refused(NOTIFY_DINGTALK_URL=DINGTALK, NOTIFY_DINGTALK_SECRET=secret)
    assert message.startswith("设置 PAICHA_NOTIFY_DINGTALK_SECRET 无效") and "SEC 开头" in message
    assert secret not in message


def test_a_secret_without_its_robot_is_refused():
    assert "PAICHA_NOTIFY_DINGTALK_URL" in refused(NOTIFY_DINGTALK_SECRET=SECRET)


@pytest.mark.parametrize("url, why", [
    ("http://mail.example.cn", "smtp://、smtp+starttls:// 或 smtps://"),
    ("smtp://mail.example.cn:99999", "端口"),
    ("smtp://mail.example.cn?starttls=true", "smtp+starttls://"),
    ("smtp://mail.example.cn/inbox", "不带路径"),
    ("smtps://user:secret-password@", "主机"),
])
def test_the_smtp_url_is_checked(url, why):
    message = refused(SMTP_URL=url, MAIL_FROM="paicha@example.cn")
    assert message.startswith("设置 PAICHA_SMTP_URL 无效") and why in message
    assert "secret-password" not in message


def test_mail_wants_a_sender_address():
    assert refused(SMTP_URL="smtp://mail.example.cn").startswith("设置 PAICHA_MAIL_FROM 无效")
    assert "'区委教育工委'" in refused(MAIL_FROM="区委教育工委")
    assert "不是电子邮件地址" in refused(MAIL_FROM="区委教育工委 <paicha>")


@pytest.mark.parametrize("raw", ["3,x", "", "-1", "3;1", "365"])
def test_the_days_before_are_checked(raw):
    assert refused(REMIND_DAYS_BEFORE=raw).startswith("设置 PAICHA_REMIND_DAYS_BEFORE 无效")


def test_the_days_before_read_farthest_first():
    assert config.remind_days("1, 3，7,3") == (7, 3, 1)
    assert config.remind_days(config.load(environ={})["REMIND_DAYS_BEFORE"]) == (3, 1)


def test_a_bad_robot_url_stops_the_service_before_it_serves(tmp_path):
    env = dict(os.environ, PAICHA_NOTIFY_WECOM_URL="ftp://example.cn/send?key=k", PAICHA_INSTANCE_DIR=str(tmp_path))
    proc = subprocess.run([sys.executable, "-c", "import service.wsgi"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0 and "PAICHA_NOTIFY_WECOM_URL" in proc.stderr


def test_channels_are_what_the_settings_configure():
    assert channels(config.load(environ={})) == []
    built = channels(config.load(environ={
        "PAICHA_NOTIFY_WECOM_URL": WECOM, "PAICHA_NOTIFY_DINGTALK_URL": DINGTALK,
        "PAICHA_NOTIFY_DINGTALK_SECRET": SECRET, "PAICHA_NOTIFY_TIMEOUT": "4",
        "PAICHA_SMTP_URL": "smtp+starttls://paicha%40example.cn:pw@mail.example.cn",
        "PAICHA_MAIL_FROM": "paicha@example.cn"}))
    assert [type(c) for c in built] == [WecomRobot, DingtalkRobot, Mailer]
    wecom, dingtalk, mailer = built
    assert wecom.limiter is dingtalk.limiter  # one count per robot address, shared by the run
    assert dingtalk.secret == SECRET and wecom.timeout == mailer.timeout == 4.0
    assert mailer.server == Server("mail.example.cn", 587, "smtp+starttls", "paicha@example.cn", "pw")
    assert Server.from_url("smtps://mail.example.cn").port == 465
    assert Server.from_url("smtp://mail.example.cn").port == 25
