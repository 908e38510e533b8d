"""The Notifier seam: one message in, whether the far end accepted it out; it never raises.

A channel answers every refusal, timeout or broken connection with Delivery(accepted=False, detail),
the detail a few words of Chinese or the far end's code, never the message, an address or a
credential. `refusal` is the privacy guard every channel asks first: a message that would disclose
an ID number or a phone is not sent at all.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Protocol

from service.domain import disclosure
from service.domain.reminders import GROUP, MAIL  # the audiences: a group robot, or the mailboxes a message names

__all__ = ["GROUP", "MAIL", "Message", "Delivery", "Notifier", "refusal", "clean"]


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    to: tuple[str, ...] = ()  # e-mail addresses (a robot posts to its group and ignores them)


@dataclass(frozen=True)
class Delivery:
    accepted: bool
    detail: str  # short and free of personal data: 「超时（10 秒无答复）」, "errcode 45009 …"
    reached: bool = True  # False: the far end could not be reached (a run stops trying it)


class Notifier(Protocol):
    channel: str  # how the log names it: wecom, dingtalk, email
    audience: str  # GROUP or MAIL

    def recipient(self, message: Message) -> str:
        """Who the log says it went to: the robot's name, or the addresses."""

    def send(self, message: Message) -> Delivery:
        """Send it; never raises."""


def refusal(message: Message) -> Optional[Delivery]:
    """A failed Delivery when the message would disclose an ID number or a phone, else None."""
    found = disclosure.find(f"{message.subject}\n{message.body}")
    if found is None:
        return None
    return Delivery(False, f"消息中含有{found}，已拒绝发送")


def clean(detail: str, limit: int = 120) -> str:
    """A far end's words made fit for the log: no ID number or phone, one short line."""
    return disclosure.redact(" ".join(detail.split()))[:limit]
