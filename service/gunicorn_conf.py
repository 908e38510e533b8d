"""gunicorn settings, for `make run` and the container: several workers, one PDF pool per machine.

Workers come from the one config (PAICHA_WEB_WORKERS); threads are PAICHA_WEB_THREADS plus as many
as the machine's PDF pool admits at once (its instances and PDF_QUEUE_LIMIT waiting). The pool server
counts admissions for all workers together and refuses the rest with 503 busy at once; but a request
only gets there on a thread. With fewer threads than the pool admits, the conversions held a worker's
threads and every further request (PDF or not) waited in gunicorn's queue of accepted connections,
never seen by the pool's limit: 30 clients asking for fresh 附件3 PDFs got no 503 and waited 16 s at
the median. Now one worker can hold every admitted conversion and still have PAICHA_WEB_THREADS
threads for the rest, PDF refusals included. Idle threads cost nothing: gthread starts them on
demand.

The master starts the machine's PDF pool server (service.pdf.server) before it forks the workers,
keeps it running, and tells the workers where it listens (PAICHA_PDF_POOL_URL): every worker
sends its conversions there, so LibreOffice runs once per machine however many workers serve.

Logs: gunicorn's own lines go through the service's format (service.logs, LOG_FORMAT); its access
log is off, the app writes one without tokens. Metrics: the master makes a fresh directory for
prometheus_client's multiprocess mode (PROMETHEUS_MULTIPROC_DIR) before it forks, so every worker
counts into it and /metrics, whichever worker answers, adds all of them up; the directory goes
with the master. The PDF pool server keeps its own registry and is started without it.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

from service import config as _config
from service import logs as _logs

_settings = _config.load()


def pdf_admitted(settings) -> int:
    """How many PDF conversions the machine's pool holds at once: converting plus waiting (0: PDF off)."""
    if not settings["PDF_ENABLED"]:
        return 0
    external = [h for h in settings["PDF_POOL_EXTERNAL"].split(",") if h.strip()]
    return (len(external) or settings["PDF_POOL_SIZE"]) + settings["PDF_QUEUE_LIMIT"]


workers = _settings["WEB_WORKERS"]
threads = _settings["WEB_THREADS"] + pdf_admitted(_settings)
worker_class = "gthread"
timeout = 150  # above the 60 s conversion deadline, with room for the one retry
graceful_timeout = 30
logconfig_dict = _logs.gunicorn_dict(_settings["LOG_LEVEL"], _settings["LOG_FORMAT"])

_pool: dict = {"proc": None, "stopping": False}
_metrics: dict = {"dir": None}
MULTIPROC = "PROMETHEUS_MULTIPROC_DIR"  # prometheus_client's own variable: its multiprocess mode


def _spawn(listen: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != MULTIPROC}  # the pool server's metrics are its own
    return subprocess.Popen([sys.executable, "-m", "service.pdf.server", "--listen", listen],
                            stdin=subprocess.DEVNULL, start_new_session=True, env=env)


def _wait_listening(listen: str, proc: subprocess.Popen, timeout_s: float = 20.0) -> bool:
    host, _, port = listen.rpartition(":")
    end = time.monotonic() + timeout_s
    while time.monotonic() < end and proc.poll() is None:
        try:
            with socket.create_connection((host or "127.0.0.1", int(port)), timeout=1):
                return True
        except OSError:
            time.sleep(0.1)
    return False


def _watch(server, listen: str) -> None:
    """Restart the pool server whenever it exits, with a pause when it keeps dying."""
    pause = 1.0
    while not _pool["stopping"]:
        proc = _pool["proc"]
        started = time.monotonic()
        proc.wait()
        if _pool["stopping"]:
            return
        server.log.warning("PDF pool server exited with %s; restarting", proc.returncode)
        time.sleep(pause if time.monotonic() - started < 30 else 0)
        pause = min(pause * 2, 30) if time.monotonic() - started < 30 else 1.0
        if not _pool["stopping"]:
            _pool["proc"] = _spawn(listen)


def on_starting(server):
    """Before any worker exists: the shared metrics directory, and the machine's PDF pool server."""
    _metrics["dir"] = tempfile.mkdtemp(prefix="paicha-metrics-")
    os.environ[MULTIPROC] = _metrics["dir"]  # read when a worker first imports prometheus_client
    _start_pool(server)


def _start_pool(server) -> None:
    """Start the machine's PDF pool server (unless PDF is off or a pool server is configured)."""
    if not _settings["PDF_ENABLED"] or _settings["PDF_POOL_URL"]:
        return
    listen = _settings["PDF_POOL_LISTEN"]
    _pool["proc"] = _spawn(listen)
    if not _wait_listening(listen, _pool["proc"]):
        server.log.warning("PDF pool server on %s is not listening yet", listen)
    os.environ["PAICHA_PDF_POOL_URL"] = f"http://{listen}"  # read by the workers' config
    threading.Thread(target=_watch, args=(server, listen), daemon=True, name="pdf-pool-watch").start()


def child_exit(server, worker):
    """A worker that is gone leaves its counts (they add up still) but no live gauge."""
    from prometheus_client import multiprocess

    if _metrics["dir"]:
        multiprocess.mark_process_dead(worker.pid, _metrics["dir"])


def on_exit(server):
    """Stop the pool server and its LibreOffice instances with the master; remove the metrics files."""
    if _metrics["dir"]:
        shutil.rmtree(_metrics["dir"], ignore_errors=True)
    _pool["stopping"] = True
    proc = _pool["proc"]
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
