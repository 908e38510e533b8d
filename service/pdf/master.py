"""The machine's PDF pool server as a web server's master process keeps it: started before the
workers fork, restarted whenever it exits, stopped with the master.

The master starts service.pdf.server in a process group of its own and tells the workers where it
listens (PAICHA_PDF_POOL_URL, read by their config): every worker sends its conversions there, so
LibreOffice runs once per machine however many workers serve. service/gunicorn_conf.py's hooks
call start() and PoolServer.stop().
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from typing import Optional

METRICS_DIR = "PROMETHEUS_MULTIPROC_DIR"  # prometheus_client's multiprocess mode: the web workers', not the pool's
URL_VARIABLE = "PAICHA_PDF_POOL_URL"


class PoolServer:
    """One master's pool server process, restarted whenever it exits until stop()."""

    def __init__(self, listen: str, log):  # log: gunicorn's server.log, or any logger
        self.listen, self.log = listen, log
        self.proc: Optional[subprocess.Popen] = None
        self.stopping = False

    def start(self) -> str:
        """Spawn the server, wait (a while) until it listens, keep it running; its URL."""
        self.proc = self._spawn()
        if not self._wait_listening(self.proc):
            self.log.warning("PDF pool server on %s is not listening yet", self.listen)
        threading.Thread(target=self._watch, daemon=True, name="pdf-pool-watch").start()
        return f"http://{self.listen}"

    def _spawn(self) -> subprocess.Popen:
        env = {k: v for k, v in os.environ.items() if k != METRICS_DIR}  # the pool server's metrics are its own
        return subprocess.Popen([sys.executable, "-m", "service.pdf.server", "--listen", self.listen],
                                stdin=subprocess.DEVNULL, start_new_session=True, env=env)

    def _wait_listening(self, proc: subprocess.Popen, timeout_s: float = 20.0) -> bool:
        host, _, port = self.listen.rpartition(":")
        end = time.monotonic() + timeout_s
        while time.monotonic() < end and proc.poll() is None:
            try:
                with socket.create_connection((host or "127.0.0.1", int(port)), timeout=1):
                    return True
            except OSError:
                time.sleep(0.1)
        return False

    def _watch(self) -> None:
        """Restart the pool server whenever it exits, with a pause when it keeps dying."""
        pause = 1.0
        while not self.stopping:
            proc = self.proc
            started = time.monotonic()
            proc.wait()
            if self.stopping:
                return
            self.log.warning("PDF pool server exited with %s; restarting", proc.returncode)
            time.sleep(pause if time.monotonic() - started < 30 else 0)
            pause = min(pause * 2, 30) if time.monotonic() - started < 30 else 1.0
            if not self.stopping:
                self.proc = self._spawn()

    def stop(self) -> None:
        """Stop the server and its LibreOffice instances (the whole process group if it will not go)."""
        self.stopping = True
        proc = self.proc
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def start(settings, log) -> Optional[PoolServer]:
    """The machine's pool server, started and announced to the workers to come; None when PDF is
    off or the settings name a pool server elsewhere (PDF_POOL_URL)."""
    if not settings["PDF_ENABLED"] or settings["PDF_POOL_URL"]:
        return None
    server = PoolServer(settings["PDF_POOL_LISTEN"], log)
    os.environ[URL_VARIABLE] = server.start()  # read by the workers' config
    return server
