"""What a conversion pool is configured with, what it measures, and what it accepts as input.

Split from the pool itself: the settings (PoolConfig, read from service.config), the Prometheus
metrics, and the check that keeps junk away from LibreOffice.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Mapping

from service import config

from service.errors import BadUpload

FILTERS = {  # kind -> (import filter, export filter, the part that must be in the package)
    "docx": ("MS Word 2007 XML", "writer_pdf_Export", "word/document.xml"),
    "xlsx": ("Calc MS Excel 2007 XML", "calc_pdf_Export", "xl/workbook.xml"),
}
KIND_NAMES = {"docx": "Word 文档", "xlsx": "Excel 工作簿"}
# LibreOffice's PDF export filter data for an archive's PDF/A-2b (SelectPdfVersion 2 = PDF/A-2b;
# it embeds every font, the 14 standard ones included). A plain PDF passes no option at all.
PDFA_OPTIONS = ("SelectPdfVersion=2", "EmbedStandardFonts=true")
INSTALL_HINT = ("未安装 LibreOffice，无法生成 PDF：请安装 libreoffice-writer-nogui "
                "libreoffice-calc-nogui python3-uno（Debian/Ubuntu：apt-get install …），"
                "并运行 tools/install_fonts.sh；Word 与 Excel 文件仍可正常下载。")


@dataclass
class PoolConfig:
    """How many converters, where, and how patient to be with them: a typed view of service.config.

    It has no defaults of its own; `from_settings` reads every value from the one config.
    """

    size: int
    base_port: int  # XML-RPC ports base_port, base_port+1, …
    base_uno_port: int  # soffice UNO ports
    deadline: float  # seconds for one conversion
    queue_timeout: float | None  # seconds to wait for a free instance; None = deadline
    recycle_after: int
    queue_limit: int
    external: list[str]  # ["host:port", …] run by someone else
    max_bytes: int
    cache_bytes: int
    cache_dir: str | None
    python: str | None  # a Python that can import uno and unoserver
    soffice: str | None
    connect_wait: float  # seconds an instance waits for its soffice's UNO socket

    KEYS = {"size": "PDF_POOL_SIZE", "base_port": "PDF_POOL_BASE_PORT",
            "base_uno_port": "PDF_POOL_BASE_UNO_PORT", "deadline": "PDF_DEADLINE",
            "queue_timeout": "PDF_QUEUE_TIMEOUT", "recycle_after": "PDF_RECYCLE_AFTER",
            "queue_limit": "PDF_QUEUE_LIMIT", "external": "PDF_POOL_EXTERNAL",
            "max_bytes": "PDF_MAX_BYTES", "cache_bytes": "PDF_CACHE_BYTES",
            "cache_dir": "PDF_CACHE_DIR", "python": "PDF_POOL_PYTHON", "soffice": "SOFFICE",
            "connect_wait": "PDF_CONNECT_WAIT"}

    @classmethod
    def from_settings(cls, settings: Mapping | None = None, **overrides) -> "PoolConfig":
        """From the service's settings (default: service.config.load()), then keyword overrides."""
        cfg = config.load() if settings is None else settings
        values = {name: cfg[key] for name, key in cls.KEYS.items()}
        values.update(overrides)
        if isinstance(values["external"], str):
            values["external"] = [h.strip() for h in values["external"].split(",") if h.strip()]
        for name in ("cache_dir", "python", "soffice"):
            values[name] = values[name] or None
        return cls(**values)


class PoolMetrics:
    """Prometheus metrics of one registry (the default one unless told otherwise)."""

    _default: "PoolMetrics | None" = None

    def __init__(self, registry=None):
        from prometheus_client import REGISTRY, Counter, Histogram

        reg = registry if registry is not None else REGISTRY
        self.registry = reg
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
