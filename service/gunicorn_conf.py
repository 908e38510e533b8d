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

The master starts the machine's PDF pool server (service.pdf.master) before it forks the workers,
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
import tempfile

from service import config as _config
from service import logs as _logs
from service.pdf import master as _master

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

_pool: dict = {"server": None}
_metrics: dict = {"dir": None}
MULTIPROC = _master.METRICS_DIR  # prometheus_client's own variable: its multiprocess mode


def on_starting(server):
    """Before any worker exists: the shared metrics directory, and the machine's PDF pool server."""
    _metrics["dir"] = tempfile.mkdtemp(prefix="paicha-metrics-")
    os.environ[MULTIPROC] = _metrics["dir"]  # read when a worker first imports prometheus_client
    _pool["server"] = _master.start(_settings, server.log)


def child_exit(server, worker):
    """A worker that is gone leaves its counts (they add up still) but no live gauge."""
    from prometheus_client import multiprocess

    if _metrics["dir"]:
        multiprocess.mark_process_dead(worker.pid, _metrics["dir"])


def on_exit(server):
    """Stop the pool server and its LibreOffice instances with the master; remove the metrics files."""
    if _metrics["dir"]:
        shutil.rmtree(_metrics["dir"], ignore_errors=True)
    if _pool["server"] is not None:
        _pool["server"].stop()
