"""The channels the settings configure, built once per run: none configured, none built (reminders
are then only logged, as 'no channel')."""
from __future__ import annotations

from typing import Mapping

from .mail import Mailer, Server
from .message import Notifier
from .robot_limit import RobotLimiter
from .robots import DingtalkRobot, WecomRobot


def channels(config: Mapping) -> list[Notifier]:
    """The configured notifiers, from settings config.load checked: robots first, then e-mail."""
    timeout = float(config["NOTIFY_TIMEOUT"])
    out: list[Notifier] = []
    if config["NOTIFY_WECOM_URL"] or config["NOTIFY_DINGTALK_URL"]:
        limiter = RobotLimiter(config["REDIS_URL"], max_wait=float(config["NOTIFY_ROBOT_WAIT"]),
                               redis_timeout=float(config["REDIS_TIMEOUT"]))
        if config["NOTIFY_WECOM_URL"]:
            out.append(WecomRobot(config["NOTIFY_WECOM_URL"], timeout, limiter))
        if config["NOTIFY_DINGTALK_URL"]:
            out.append(DingtalkRobot(config["NOTIFY_DINGTALK_URL"], config["NOTIFY_DINGTALK_SECRET"], timeout, limiter))
    if config["SMTP_URL"]:
        out.append(Mailer(Server.from_url(config["SMTP_URL"]), config["MAIL_FROM"], timeout))
    return out
