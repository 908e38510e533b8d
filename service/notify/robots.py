"""The group robots: a 企业微信 群机器人 and a 钉钉 自定义机器人, each a Notifier of its group.

Both get a plain text message (msgtype text): it reads the same in every client, and a branch
name cannot turn into markup. 钉钉 with 加签 security wants the webhook called with &timestamp=…&sign=…:
sign = urlEncode(Base64(HmacSHA256(key=secret, message=timestamp + "\\n" + secret))), the timestamp in
milliseconds and within an hour of 钉钉's clock (its custom robot documentation, 安全设置 → 加签).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Callable, Optional
from urllib.parse import quote_plus

from . import webhook
from .message import GROUP, Delivery, Message, refusal
from .robot_limit import RobotLimiter


class Robot:
    """A group robot behind a webhook: the guard, the rate limit, one POST."""

    channel = ""
    audience = GROUP
    name = ""  # how the log names it (never its address: that holds the key)

    def __init__(self, url: str, timeout: float, limiter: Optional[RobotLimiter] = None):
        self.url, self.timeout = url, timeout
        self.limiter = limiter or RobotLimiter()

    def recipient(self, message: Message) -> str:
        return self.name

    def send(self, message: Message) -> Delivery:
        refused = refusal(message)
        if refused is not None:
            return refused
        if not self.limiter.acquire(self.url):
            return Delivery(False, f"rate limited：该机器人每分钟最多 {self.limiter.limit.amount} 条，下次运行时再发")
        return webhook.post(self.address(), {"msgtype": "text", "text": {"content": text(message)}}, self.timeout)

    def address(self) -> str:
        return self.url


class WecomRobot(Robot):
    channel = "wecom"
    name = "企业微信群机器人"


class DingtalkRobot(Robot):
    channel = "dingtalk"
    name = "钉钉群机器人"

    def __init__(self, url: str, secret: str, timeout: float, limiter: Optional[RobotLimiter] = None,
                 clock: Callable[[], float] = time.time):
        super().__init__(url, timeout, limiter)
        self.secret, self.clock = secret, clock

    def address(self) -> str:
        """The webhook with &timestamp=…&sign=… when the robot signs (a fresh timestamp each call)."""
        if not self.secret:
            return self.url
        stamp = str(round(self.clock() * 1000))
        return f"{self.url}{'&' if '?' in self.url else '?'}timestamp={stamp}&sign={sign(self.secret, stamp)}"


def sign(secret: str, timestamp: str) -> str:
    """钉钉's signature of a millisecond timestamp, URL-encoded as the webhook's query takes it."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp}\n{secret}".encode("utf-8"), hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest))


def text(message: Message) -> str:
    """The subject as the first line, then the body."""
    return f"{message.subject}\n{message.body}" if message.subject else message.body
