"""E-mail over SMTP: one message to a branch's addresses, its Chinese subject and body in UTF-8.

SMTP_URL says how to reach the server: smtp:// (plain), smtp+starttls:// (STARTTLS, refused when
the server does not offer it), smtps:// (TLS from the start); user:password@ when it wants a
sign-in. Certificates are checked against the system's authorities. Each message is its own
connection, every step within the timeout; a refused address, a refused sign-in or a server that
does not answer is a failed Delivery, never an exception.
"""
from __future__ import annotations

import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from typing import Optional
from urllib.parse import unquote, urlsplit

from service.config import SMTP_PORTS

from .message import MAIL, Delivery, Message, clean, refusal


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    security: str  # smtp | smtp+starttls | smtps
    user: Optional[str] = None
    password: Optional[str] = None

    @classmethod
    def from_url(cls, url: str) -> "Server":
        """SMTP_URL as config.load checked it."""
        parts = urlsplit(url)
        user = unquote(parts.username) if parts.username else None
        password = unquote(parts.password) if parts.password is not None else None
        return cls(parts.hostname or "", parts.port or SMTP_PORTS[parts.scheme], parts.scheme, user, password)


class Mailer:
    channel = "email"
    audience = MAIL

    def __init__(self, server: Server, sender: str, timeout: float):
        self.server, self.sender, self.timeout = server, sender, timeout
        self._domain = parseaddr(sender)[1].rpartition("@")[2]  # Message-IDs without asking DNS for our name

    def recipient(self, message: Message) -> str:
        return ", ".join(message.to)

    def send(self, message: Message) -> Delivery:
        refused = refusal(message)
        if refused is not None:
            return refused
        if not message.to:
            return Delivery(False, "没有收件地址")
        try:
            rejected = self._deliver(self._compose(message))
        except smtplib.SMTPRecipientsRefused:
            return Delivery(False, "邮件服务器拒收全部收件地址")
        except smtplib.SMTPAuthenticationError as err:
            return Delivery(False, f"邮件服务器拒绝登录：{err.smtp_code}")
        except smtplib.SMTPNotSupportedError:
            return Delivery(False, "邮件服务器不支持所需的 STARTTLS 或 SMTPUTF8", reached=False)
        except smtplib.SMTPResponseException as err:
            return Delivery(False, f"邮件服务器拒收：{err.smtp_code} {clean(_text(err.smtp_error), 80)}".strip())
        except (TimeoutError, socket.timeout):
            return Delivery(False, f"超时（{self.timeout:g} 秒无答复）", reached=False)
        except ssl.SSLError as err:
            return Delivery(False, f"TLS 失败：{clean(err.reason or type(err).__name__, 60)}", reached=False)
        except (smtplib.SMTPException, OSError) as err:
            if isinstance(err.__context__, (TimeoutError, socket.timeout)):  # smtplib says "disconnected"
                return Delivery(False, f"超时（{self.timeout:g} 秒无答复）", reached=False)
            return Delivery(False, f"无法连接邮件服务器：{type(err).__name__}", reached=False)
        except ValueError:  # an address the header cannot hold
            return Delivery(False, "收件地址格式不对")
        if rejected:
            return Delivery(True, f"{len(rejected)} 个收件地址被拒收")
        return Delivery(True, "250")

    def _compose(self, message: Message) -> EmailMessage:
        mail = EmailMessage()
        mail["From"] = self.sender
        mail["To"] = ", ".join(message.to)
        mail["Subject"] = message.subject
        mail["Date"] = formatdate(localtime=False)
        mail["Message-ID"] = make_msgid(domain=self._domain)
        mail.set_content(message.body, charset="utf-8")
        return mail

    def _deliver(self, mail: EmailMessage) -> dict:
        """Send it; the addresses the server refused (the rest took it)."""
        server, context = self.server, ssl.create_default_context()
        if server.security == "smtps":
            connection: smtplib.SMTP = smtplib.SMTP_SSL(server.host, server.port, timeout=self.timeout,
                                                        context=context)
        else:
            connection = smtplib.SMTP(server.host, server.port, timeout=self.timeout)
        with connection:
            if server.security == "smtp+starttls":
                connection.starttls(context=context)
            if server.user:
                connection.login(server.user, server.password or "")
            return connection.send_message(mail)


def _text(raw: object) -> str:
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
