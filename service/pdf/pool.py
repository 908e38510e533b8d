"""DOCX/XLSX → PDF through a supervised pool of LibreOffice converters.

Each instance converts one document at a time; callers wait in a bounded queue for a free one.
Every call has a deadline: a hung or dead LibreOffice is killed and restarted and the call is
retried once. Instances are recycled after a set number of conversions. Documents reach
LibreOffice only as ASCII-named temp files with a forced import filter, after a check that they
are the office package they claim to be. Document content is never logged. A conversion may ask
for PDF/A-2b (the campaign archive's), which only adds LibreOffice's export options.
"""
from __future__ import annotations

import atexit
import dataclasses
import logging
import shutil
import socket
import threading
import time
import xmlrpc.client

from service import config as _config
from service.pdf import fonts
from service.pdf.cache import PdfCache, cache_key
from service.pdf.settings import FILTERS, INSTALL_HINT, KIND_NAMES, PDFA_OPTIONS, PoolConfig, PoolMetrics, validate
from service.pdf.supervisor import UP, Instance, rpc
from service.errors import BadUpload, ConversionBusy, ConversionFailed, ConversionUnavailable

log = logging.getLogger(__name__)
DEAD = ("PDF 转换服务已停止：LibreOffice 意外退出后无法重新启动（系统会继续尝试），请稍后重试或联系管理员查看日志；"
        "Word/Excel 文件仍可下载")


class ConversionPool:
    """N supervised unoserver instances behind a bounded queue, with a PDF cache in front."""

    def __init__(self, config: PoolConfig | dict | None = None, *, cache: PdfCache | None = None,
                 metrics: PoolMetrics | None = None, registry=None, **overrides):
        if config is None or isinstance(config, dict):
            config = PoolConfig.from_settings(config and {**_config.load(), **config}, **overrides)
        elif overrides:
            config = dataclasses.replace(config, **overrides)
        self.config = config
        self.cache = cache if cache is not None else PdfCache(config.cache_bytes, config.cache_dir)
        self.metrics = metrics or (PoolMetrics(registry) if registry is not None
                                   else PoolMetrics.default())
        self._cond = threading.Condition()
        self._waiting = 0
        self._running = False
        self._fonts: tuple[float, dict] | None = None
        self.instances = self._make_instances()

    def _make_instances(self) -> list[Instance]:
        cfg, hooks = self.config, {"on_change": self._notify, "on_restart": self._restarted}
        if cfg.external:
            out = []
            for spec in cfg.external:
                host, _, port = spec.rpartition(":")
                out.append(Instance(int(port), host=host or "127.0.0.1", managed=False, **hooks))
            return out
        return [Instance(cfg.base_port + i, cfg.base_uno_port + i, python=cfg.python,
                         soffice=cfg.soffice, connect_wait=cfg.connect_wait, **hooks) for i in range(max(1, cfg.size))]

    # --- lifecycle -------------------------------------------------------------------------

    def available(self) -> bool:
        """Whether PDFs can be made at all: LibreOffice installed, or an external pool set."""
        # shutil.which also checks an absolute path: a configured soffice that is not there
        # means "not installed", not a pool that restarts forever.
        return bool(self.config.external) or shutil.which(self.config.soffice or "soffice") is not None

    def start(self, wait: float = 0) -> "ConversionPool":
        """Start (and supervise) the instances; optionally wait until all are up."""
        if self._running or not self.available():
            return self
        self._running = True
        for inst in self.instances:
            inst.start()
        atexit.register(self.stop)
        if wait:
            self.wait_ready(wait)
        return self

    def wait_ready(self, timeout: float, count: int | None = None) -> bool:
        """Block until `count` (default: all) instances are up."""
        need = len(self.instances) if count is None else count
        with self._cond:
            return self._cond.wait_for(
                lambda: sum(i.state == UP for i in self.instances) >= need, timeout)

    def stop(self) -> None:
        """Kill every instance with its whole process group; no soffice is left behind."""
        if not self._running:
            return
        self._running = False
        for inst in self.instances:
            inst.stop()
        self._notify()
        try:
            atexit.unregister(self.stop)
        except Exception:  # noqa: BLE001 - interpreter shutting down
            pass

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def _notify(self) -> None:
        with self._cond:
            self._cond.notify_all()

    def _restarted(self, reason: str) -> None:
        self.metrics.restarts.labels(reason).inc()

    # --- conversion ------------------------------------------------------------------------

    @property
    def parallelism(self) -> int:
        """How many conversions run side by side: one per instance."""
        return len(self.instances)

    @property
    def version(self) -> str:
        """LibreOffice's version string, as the running instances report it."""
        return next((i.version for i in self.instances if i.version), "")

    def convert(self, data: bytes, kind: str, *, pdfa: bool = False) -> bytes:
        """The PDF (PDF/A-2b when `pdfa`) of a DOCX or XLSX; raises ConversionUnavailable/Busy/Failed or BadUpload."""
        if not self.available():
            raise ConversionUnavailable(INSTALL_HINT)
        validate(data, kind)
        if len(data) > self.config.max_bytes:
            raise BadUpload(f"文件过大（{len(data) // 1024 // 1024} MB），无法生成 PDF")
        if not self._running:
            self.start()
        version = self.version
        if version:
            pdf = self.cache.get(cache_key(data, kind, version, pdfa))
            if pdf is not None:
                self.metrics.cache_hits.inc()
                return pdf
        self.metrics.cache_misses.inc()
        last = ""
        for attempt in (1, 2):
            inst = self._acquire()
            try:
                pdf = self._convert_on(inst, data, kind, pdfa)
            except _AttemptFailed as exc:
                last = exc.reason
                self.metrics.failures.labels(exc.reason).inc()
                log.warning("PDF conversion attempt %d failed on port %s: %s (%s, %d bytes)",
                            attempt, inst.port, exc.reason, kind, len(data))
                continue
            finally:
                self._release(inst)
            self.cache.put(cache_key(data, kind, inst.version, pdfa), pdf)
            return pdf
        raise ConversionFailed(_failure_message(kind, last))

    def _convert_on(self, inst: Instance, data: bytes, kind: str, pdfa: bool = False) -> bytes:
        infilter, outfilter, _ = FILTERS[kind]
        options = list(PDFA_OPTIONS) if pdfa else []  # unoserver's filter_options: "Name=value" export filter data
        started = time.monotonic()
        try:
            result = rpc(inst.host, inst.port, self.config.deadline).convert(
                None, xmlrpc.client.Binary(data), None, "pdf", outfilter, options, True, infilter, None)
        except (socket.timeout, TimeoutError):
            inst.kill("deadline")
            raise _AttemptFailed("timeout") from None
        except xmlrpc.client.Fault:
            if not inst.soffice_alive():
                inst.kill("crash")
                raise _AttemptFailed("crash") from None
            raise _AttemptFailed("rejected") from None
        except (OSError, xmlrpc.client.ProtocolError, xmlrpc.client.ResponseError):
            inst.kill("crash")
            raise _AttemptFailed("crash") from None
        self.metrics.seconds.labels(kind).observe(time.monotonic() - started)
        pdf = result.data if isinstance(result, xmlrpc.client.Binary) else bytes(result or b"")
        if not pdf.startswith(b"%PDF"):
            raise _AttemptFailed("empty")
        inst.conversions += 1
        inst.total_conversions += 1
        return pdf

    def _acquire(self) -> Instance:
        """A free, running instance; ConversionBusy when the queue is full or the wait too long."""
        cfg = self.config
        limit = cfg.deadline if cfg.queue_timeout is None else cfg.queue_timeout
        started = time.monotonic()
        with self._cond:
            self._check_alive()
            if self._waiting >= cfg.queue_limit:
                self.metrics.failures.labels("queue_full").inc()
                raise ConversionBusy("PDF 转换排队已满，请稍后重试", retry_after=self._retry_after())
            self._waiting += 1
            try:
                ok = self._cond.wait_for(lambda: self._free() or self._dead(), limit)
                if ok and self._free() is None:
                    self._check_alive()
                if not ok:
                    self.metrics.failures.labels("queue_timeout").inc()
                    starting = not any(i.state == UP for i in self.instances)
                    raise ConversionBusy(
                        "PDF 转换服务正在启动或重启，请稍后重试" if starting
                        else "PDF 转换繁忙，等待超时，请稍后重试", retry_after=self._retry_after())
                inst = self._free()
                inst.busy = True
            finally:
                self._waiting -= 1
        self.metrics.queue_wait.observe(time.monotonic() - started)
        return inst

    def check_room(self) -> None:
        """ConversionBusy now when a conversion could neither start nor wait: asked before a PDF's
        documents are rendered, so a refusal costs no rendering (the conversion itself checks again)."""
        with self._cond:
            if self._running and self._free() is None and self._waiting >= self.config.queue_limit:
                self.metrics.failures.labels("queue_full").inc()
                raise ConversionBusy("PDF 转换排队已满，请稍后重试", retry_after=self._retry_after())

    def _dead(self) -> bool:
        """Every instance died and failed to start again since: no wait for one can end well."""
        return bool(self.instances) and all(i.managed and i.state != UP and i.failed_starts > 0 for i in self.instances)

    def _check_alive(self) -> None:
        if self._dead():
            self.metrics.failures.labels("dead").inc()
            raise ConversionUnavailable(DEAD, retry_after=30)  # the supervisor's longest pause between starts

    def _free(self) -> Instance | None:
        """The free running instance with the fewest conversions: wear and warmth spread evenly."""
        free = [i for i in self.instances if i.state == UP and not i.busy]
        return min(free, key=lambda i: i.conversions) if free else None

    def _release(self, inst: Instance) -> None:
        if inst.managed and inst.conversions >= self.config.recycle_after:
            inst.kill("recycle")
        with self._cond:
            inst.busy = False
            self._cond.notify_all()

    def _retry_after(self) -> int:
        per_instance = 2 * (self._waiting + 1) / max(1, len(self.instances))
        return max(1, min(60, round(per_instance)))

    # --- readiness -------------------------------------------------------------------------

    def fonts(self, max_age: float = 300.0) -> dict:
        """fonts.fonts_status(), remembered for a while (it runs fc-match a dozen times)."""
        now = time.monotonic()
        if self._fonts is None or now - self._fonts[0] > max_age:
            self._fonts = (now, fonts.fonts_status())
        return self._fonts[1]

    def status(self) -> dict:
        """What readiness and /status show: instances, queue, cache, fonts."""
        instances = [i.describe() for i in self.instances]
        font_status = self.fonts()
        return {
            "available": self.available(), "running": self._running,
            "ready": any(i["state"] == UP for i in instances),
            "libreoffice_version": self.version,
            "instances": instances, "queue": self._waiting, "queue_limit": self.config.queue_limit,
            "cache": {"entries": len(self.cache), "bytes": self.cache.size},
            "fonts_ok": font_status["ok"], "fonts": font_status,
            "hint": "" if self.available() else INSTALL_HINT,
        }


class _AttemptFailed(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _failure_message(kind: str, reason: str) -> str:
    what = KIND_NAMES[kind]
    why = {
        "timeout": "LibreOffice 转换超时",
        "crash": "LibreOffice 在转换时意外退出",
        "rejected": "LibreOffice 无法打开该文件",
        "empty": "LibreOffice 未生成 PDF",
    }.get(reason, "LibreOffice 转换失败")
    return f"{what}转换 PDF 失败（已重试一次）：{why}。Word/Excel 文件仍可下载，请稍后重试或联系管理员。"


__all__ = ["ConversionPool", "PoolConfig", "PoolMetrics", "validate", "FILTERS", "INSTALL_HINT"]
