"""The machine's PDF pool as a small loopback HTTP server, so every process on the machine shares it.

One pool per machine: the web server's master starts this process before it forks its workers,
and every worker (later every batch worker too) sends conversions here through `client.PoolClient`
instead of running LibreOffice of its own. The pool behind it keeps its queue, deadlines, retries,
recycling and PDF cache as before, now for all of them at once.

    python -m service.pdf.server --listen 127.0.0.1:2102

POST /convert?kind=docx|xlsx[&pdfa=1]
                               body: the document → 200 application/pdf (PDF/A-2b with pdfa=1), or a
                               JSON error {code, message, retry_after} with 400 (bad input) or 503
GET  /room                     200 when a conversion could start or wait now, else the 503 busy
GET  /status                   the pool's state (what readiness shows)
GET  /metrics                  the pool's Prometheus metrics
"""
from __future__ import annotations

import argparse
import json
import logging
import signal
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from service import config, logs
from service.errors import PaichaError

from .pool import ConversionPool
from .settings import FILTERS, PoolConfig

log = logging.getLogger(__name__)

STATUS_OF = {"bad_upload": 400}  # every other PaichaError of the pool is a 503


class _Handler(BaseHTTPRequestHandler):
    server: "PoolServer"
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # request lines carry no document data; keep them quiet
        log.debug("pool server: " + fmt, *args)

    def do_GET(self):  # noqa: N802 (http.server's name)
        path = urlsplit(self.path).path
        if path == "/room":
            try:
                self.server.pool.check_room()
            except PaichaError as err:
                return self._json(503, {"code": err.code, "message": err.message,
                                        "retry_after": getattr(err, "retry_after", None)})
            return self._json(200, {"room": True})
        if path == "/status":
            return self._json(200, self.server.pool.status())
        if path == "/metrics":
            from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

            return self._send(200, CONTENT_TYPE_LATEST, generate_latest(self.server.registry))
        return self._json(404, {"code": "not_found", "message": "no such path"})

    def do_POST(self):  # noqa: N802
        url = urlsplit(self.path)
        if url.path != "/convert":
            return self._json(404, {"code": "not_found", "message": "no such path"})
        query = parse_qs(url.query)
        kind, pdfa = query.get("kind", [""])[0], query.get("pdfa", ["0"])[0]
        length = int(self.headers.get("Content-Length") or 0)
        limit = self.server.pool.config.max_bytes
        if kind not in FILTERS or pdfa not in ("0", "1") or length <= 0 or length > limit:
            self._discard(length, limit)
            return self._json(400, {"code": "bad_upload", "message":
                                    f"文件类型或大小不符（kind={kind!r}，pdfa={pdfa!r}，{length} 字节），无法生成 PDF"})
        data = self.rfile.read(length)
        try:
            pdf = self.server.pool.convert(data, kind, pdfa=pdfa == "1")
        except PaichaError as err:
            body = {"code": err.code, "message": err.message,
                    "retry_after": getattr(err, "retry_after", None)}
            return self._json(STATUS_OF.get(err.code, 503), body)
        except Exception:  # noqa: BLE001 - a server answers, it does not die
            log.exception("pool server: conversion raised")
            return self._json(503, {"code": "pdf_failed", "message": "PDF 转换失败，请稍后重试"})
        self._send(200, "application/pdf", pdf)

    def _discard(self, length: int, limit: int) -> None:
        if 0 < length <= limit:
            self.rfile.read(length)
        else:
            self.close_connection = True

    def _json(self, status: int, body: dict) -> None:
        self._send(status, "application/json", json.dumps(body, ensure_ascii=False).encode("utf-8"))

    def _send(self, status: int, mimetype: str, data: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", mimetype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class PoolServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer that owns one ConversionPool."""

    daemon_threads = True
    # every worker's threads may connect at once: a full listen backlog drops SYNs, and a dropped SYN
    # is retried after a second, too late for a refusal that should come at once (socketserver: 5)
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], pool: ConversionPool):
        super().__init__(address, _Handler)
        self.pool = pool
        self.registry = pool.metrics.registry


def parse_listen(listen: str) -> tuple[str, int]:
    host, _, port = listen.rpartition(":")
    return host or "127.0.0.1", int(port)


def serve(listen: str, settings: dict | None = None) -> None:
    """Run the pool and its server until SIGTERM/SIGINT; the pool's LibreOffice goes with it."""
    settings = settings or config.load()
    pool = ConversionPool(PoolConfig.from_settings(settings))
    server = PoolServer(parse_listen(listen), pool)
    stopping = threading.Event()

    def stop(*_):
        if not stopping.is_set():
            stopping.set()
            threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    pool.start()
    log.info("PDF pool server on %s with %d instance(s)", listen, len(pool.instances))
    try:
        server.serve_forever(poll_interval=0.5)
    finally:
        pool.stop()
        server.server_close()


def main(argv: list[str] | None = None) -> None:
    settings = config.load()
    parser = argparse.ArgumentParser(description="Paicha's PDF pool server (one per machine)")
    parser.add_argument("--listen", default=settings["PDF_POOL_LISTEN"], help="host:port (loopback)")
    args = parser.parse_args(argv)
    logs.configure(settings["LOG_LEVEL"], settings["LOG_FORMAT"])
    serve(args.listen, settings)


if __name__ == "__main__":
    main()

