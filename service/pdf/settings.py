"""What a conversion pool is configured with, what it measures, and what it accepts as input.

Split from the pool itself: the settings (PoolConfig, from the app's PDF_* keys), the Prometheus
metrics, and the check that keeps junk away from LibreOffice.
"""
from __future__ import annotations

import io
import os
import zipfile
from dataclasses import dataclass, field

from service.errors import BadUpload

FILTERS = {  # kind -> (import filter, export filter, the part that must be in the package)
    "docx": ("MS Word 2007 XML", "writer_pdf_Export", "word/document.xml"),
    "xlsx": ("Calc MS Excel 2007 XML", "calc_pdf_Export", "xl/workbook.xml"),
}
KIND_NAMES = {"docx": "Word 文档", "xlsx": "Excel 工作簿"}
INSTALL_HINT = ("未安装 LibreOffice，无法生成 PDF：请安装 libreoffice-writer-nogui "
                "libreoffice-calc-nogui python3-uno（Debian/Ubuntu：apt-get install …），"
                "并运行 tools/install_fonts.sh；Word 与 Excel 文件仍可正常下载。")


@dataclass
class PoolConfig:
    """How many converters, where, and how patient to be with them."""

    size: int = field(default_factory=lambda: os.cpu_count() or 1)
    base_port: int = 2103  # XML-RPC ports base_port, base_port+1, …
    base_uno_port: int = 2203  # soffice UNO ports
    deadline: float = 60.0  # seconds for one conversion
    queue_timeout: float | None = None  # seconds to wait for a free instance; None = deadline
    recycle_after: int = 200
    queue_limit: int = 16
    external: list[str] = field(default_factory=list)  # ["host:port", …] run by someone else
    max_bytes: int = 50 * 1024 * 1024
    cache_bytes: int = 64 * 1024 * 1024
    cache_dir: str | None = None
    python: str | None = None  # a Python that can import uno and unoserver
    soffice: str | None = None

    @classmethod
    def from_mapping(cls, cfg) -> "PoolConfig":
        """From Flask-style config keys PDF_POOL_SIZE, PDF_DEADLINE, … (missing keys: defaults)."""
        keys = {"size": "PDF_POOL_SIZE", "base_port": "PDF_POOL_BASE_PORT",
                "base_uno_port": "PDF_POOL_BASE_UNO_PORT", "deadline": "PDF_DEADLINE",
                "queue_timeout": "PDF_QUEUE_TIMEOUT", "recycle_after": "PDF_RECYCLE_AFTER",
                "queue_limit": "PDF_QUEUE_LIMIT", "external": "PDF_POOL_EXTERNAL",
                "max_bytes": "PDF_MAX_BYTES", "cache_bytes": "PDF_CACHE_BYTES",
                "cache_dir": "PDF_CACHE_DIR", "python": "PDF_POOL_PYTHON", "soffice": "SOFFICE"}
        values = {name: cfg[key] for name, key in keys.items() if cfg.get(key) is not None}
        if isinstance(values.get("external"), str):
            values["external"] = [h.strip() for h in values["external"].split(",") if h.strip()]
        return cls(**values)


class PoolMetrics:
    """Prometheus metrics of one registry (the default one unless told otherwise)."""

    _default: "PoolMetrics | None" = None

    def __init__(self, registry=None):
        from prometheus_client import REGISTRY, Counter, Histogram

        reg = registry if registry is not None else REGISTRY
        buckets = (0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120)
        self.seconds = Histogram("paicha_pdf_conversion_seconds", "LibreOffice conversion time",
                                 ["kind"], buckets=buckets, registry=reg)
        self.queue_wait = Histogram("paicha_pdf_queue_wait_seconds", "Wait for a free converter",
                                    buckets=buckets, registry=reg)
        self.failures = Counter("paicha_pdf_failures", "Failed conversion attempts", ["reason"],
                                registry=reg)
        self.restarts = Counter("paicha_pdf_restarts", "LibreOffice instance restarts",
                                ["reason"], registry=reg)
        self.cache_hits = Counter("paicha_pdf_cache_hits", "PDFs served from cache", registry=reg)
        self.cache_misses = Counter("paicha_pdf_cache_misses", "PDFs not in cache", registry=reg)

    @classmethod
    def default(cls) -> "PoolMetrics":
        if cls._default is None:
            cls._default = cls()
        return cls._default


def validate(data: bytes, kind: str) -> None:
    """Raise BadUpload unless `data` is an OOXML package of `kind`; LibreOffice never sees junk."""
    if kind not in FILTERS:
        raise ValueError(f"unknown document kind {kind!r}")
    what = KIND_NAMES[kind]
    if not data:
        raise BadUpload(f"文件为空，不是有效的 {what}，无法生成 PDF")
    if not data.startswith(b"PK\x03\x04"):
        raise BadUpload(f"文件不是有效的 {what}（不是 Office 压缩包），无法生成 PDF")
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise BadUpload(f"文件已损坏，不是有效的 {what}，无法生成 PDF") from None
    if "[Content_Types].xml" not in names or FILTERS[kind][2] not in names:
        raise BadUpload(f"文件不是 {what}，无法生成 PDF")
