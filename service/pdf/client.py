"""A process's way to the machine's PDF pool server: the same convert() as the pool, over loopback.

Every call has a timeout: connecting, and then the whole conversion (the pool's own queue wait
plus two attempts, each bounded by its deadline). The server's refusals come back as the same
exceptions the in-process pool raises, so the error mapping and the pages need not know which
one they talk to.
"""
from __future__ import annotations

import http.client
import json
import socket
import time
from urllib.parse import urlsplit

from service.errors import BadUpload, ConversionBusy, ConversionFailed, ConversionUnavailable

CONNECT_TIMEOUT = 5.0
STATUS_TIMEOUT = 3.0
_ERRORS = {"bad_upload": BadUpload, "pdf_unavailable": ConversionUnavailable, "pdf_failed": ConversionFailed}


class PoolClient:
    """Talks to `python -m service.pdf.server` at `url` (http://host:port)."""

    def __init__(self, url: str, deadline: float, queue_timeout: float | None = None):
        parts = urlsplit(url if "//" in url else f"http://{url}")
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.url = f"http://{self.host}:{self.port}"
        self.timeout = (queue_timeout if queue_timeout is not None else deadline) + 2 * deadline + 10
        self._parallelism: tuple[float, int] | None = None

    @property
    def parallelism(self) -> int:
        """The pool's instance count, asked once a minute (a document is cut into that many parts)."""
        now = time.monotonic()
        if self._parallelism is None or now - self._parallelism[0] > 60:
            try:
                count = len(self.status().get("instances") or []) or 1
            except ConversionUnavailable:
                count = 1
            self._parallelism = (now, count)
        return self._parallelism[1]

    def _request(self, method: str, path: str, body: bytes | None, timeout: float):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=CONNECT_TIMEOUT)
        try:
            conn.connect()
            conn.sock.settimeout(timeout)
            conn.request(method, path, body=body, headers={"Content-Type": "application/octet-stream"} if body else {})
            response = conn.getresponse()
            return response.status, response.getheader("Content-Type", ""), response.read()
        except (ConnectionRefusedError, socket.gaierror):
            raise ConversionBusy("PDF 转换服务正在启动或重启，请稍后重试", retry_after=5) from None
        except (socket.timeout, TimeoutError):
            raise ConversionFailed("PDF 转换超时，请稍后重试；Word/Excel 文件仍可下载") from None
        except (OSError, http.client.HTTPException):
            raise ConversionBusy("PDF 转换服务暂时不可用，请稍后重试", retry_after=5) from None
        finally:
            conn.close()

    def convert(self, data: bytes, kind: str, *, pdfa: bool = False) -> bytes:
        """The pool's convert() over loopback: the PDF (PDF/A-2b when `pdfa`) or the pool's exception."""
        path = f"/convert?kind={kind}" + ("&pdfa=1" if pdfa else "")
        status, mimetype, body = self._request("POST", path, data, self.timeout)
        if status == 200 and body.startswith(b"%PDF"):
            return body
        try:
            err = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise ConversionFailed(f"PDF 转换服务答复异常（HTTP {status}），请稍后重试") from None
        code, message = err.get("code", ""), err.get("message", "PDF 转换失败")
        if code == "busy":
            raise ConversionBusy(message, retry_after=int(err.get("retry_after") or 5))
        if code == "pdf_unavailable":
            raise ConversionUnavailable(message, retry_after=err.get("retry_after"))
        raise _ERRORS.get(code, ConversionFailed)(message)

    def check_room(self) -> None:
        """ConversionBusy when the pool server says it can take no conversion now; any other trouble
        is left to convert(), which says it better."""
        try:
            status, _, body = self._request("GET", "/room", None, STATUS_TIMEOUT)
        except ConversionFailed:
            return
        if status == 503:
            try:
                err = json.loads(body.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                return
            if err.get("code") == "busy":
                raise ConversionBusy(err.get("message") or "PDF 转换排队已满，请稍后重试",
                                     retry_after=int(err.get("retry_after") or 5))

    def status(self) -> dict:
        """The pool's status; ConversionUnavailable when the server does not answer."""
        try:
            status, _, body = self._request("GET", "/status", None, STATUS_TIMEOUT)
        except (ConversionBusy, ConversionFailed):
            raise ConversionUnavailable(f"PDF 转换服务（{self.url}）没有响应") from None
        if status != 200:
            raise ConversionUnavailable(f"PDF 转换服务（{self.url}）答复 HTTP {status}")
        return json.loads(body.decode("utf-8"))

    def metrics(self) -> bytes:
        """The pool's Prometheus text, empty when the server does not answer."""
        try:
            status, _, body = self._request("GET", "/metrics", None, STATUS_TIMEOUT)
        except (ConversionBusy, ConversionFailed):
            return b""
        return body if status == 200 else b""

    def available(self) -> bool:
        try:
            return bool(self.status().get("available"))
        except ConversionUnavailable:
            return False

