"""Stand-ins on loopback for the far ends of reminders: a group robot's webhook (http.server in a
thread, answering as the robot would), a server that accepts a connection and never answers, and
a Notifier that only records (for the runs whose far end is not the point)."""
from __future__ import annotations

import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Optional
from urllib.parse import parse_qs, urlsplit

from service.notify.message import GROUP, Delivery, Message

OK = {"errcode": 0, "errmsg": "ok"}


@dataclass
class Call:
    path: str  # with its query, as the robot received it
    body: dict

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.path).query)

    @property
    def raw_query(self) -> dict[str, str]:
        """Each parameter as sent, still URL-encoded."""
        return dict(p.split("=", 1) for p in urlsplit(self.path).query.split("&"))

    @property
    def text(self) -> str:
        return self.body["text"]["content"]


class RobotServer:
    """A robot webhook on 127.0.0.1: `answer(call)` gives the JSON it answers (HTTP 200 always)."""

    def __init__(self, answer: Callable[[Call], dict] = lambda call: OK):
        self.answer, self.calls = answer, []
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                call = Call(self.path, json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                robot.calls.append(call)
                data = json.dumps(robot.answer(call)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "/cgi-bin/webhook/send?key=test-key") -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def answers(*scripted: dict) -> Callable[[Call], dict]:
    """Answer with each of `scripted` in turn, then with the last one again and again."""
    queue = list(scripted)
    return lambda call: queue.pop(0) if len(queue) > 1 else queue[0]


class Silent:
    """A TCP port that takes connections (the kernel's backlog) and never says a word."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]

    def close(self) -> None:
        self.sock.close()


@dataclass
class Recorder:
    """A Notifier that keeps what it is given and answers as told (accepted unless `refuse` says no)."""

    channel: str = "fake"
    audience: str = GROUP
    refuse: Optional[Callable[[Message], Optional[str]]] = None
    sent: list = field(default_factory=list)

    def recipient(self, message: Message) -> str:
        return ", ".join(message.to) or "群"

    def send(self, message: Message) -> Delivery:
        self.sent.append(message)
        why = self.refuse(message) if self.refuse else None
        return Delivery(why is None, why or "ok")
