"""How the district pages show stored facts: Beijing times, sources, deliverables, status colours."""
from __future__ import annotations

from datetime import datetime
from typing import Optional, Union

from service.domain import catalog, delivery, register
from service.clock import BEIJING

from .blueprint import bp

SOURCES = {"api": "接口报送", "upload": "网页上传", "import": "批量导入", "batch": "批量生成", "roster": "花名册导入",
           "member": "党员本人核对", "fix": "结果页修改"}
STATUS_CLASS = {"on_time": "ok", "late": "late", "not_due": "wait", "overdue": "overdue",
                "pending": "wait", "verified": "ok", "returned": "late", "none": "none"}
BATCH_PACKAGES = tuple((p.id, p.name) for p in catalog.PACKAGE_LIST)
BATCH_FORMATS = tuple((f, catalog.FORMAT_LABELS[f]) for f in catalog.BATCH_FORMATS)


@bp.app_template_filter("beijing")
def beijing(moment: Union[str, datetime, None], with_time: bool = True) -> str:
    """2023年7月10日 14:20 (Beijing time) of a stored UTC moment or its ISO text."""
    if not moment:
        return "—"
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    local = moment.astimezone(BEIJING)
    day = f"{local.year}年{local.month}月{local.day}日"
    return f"{day} {local:%H:%M}" if with_time else day


@bp.app_template_filter("deadline_day")
def deadline_day(iso: Optional[str]) -> str:
    """6月20日 of a deadline's ISO date."""
    if not iso:
        return ""
    year, month, day = (int(part) for part in iso.split("-"))
    return f"{month}月{day}日"


@bp.context_processor
def _labels() -> dict:
    """The names the district's templates show for stored keys."""
    return {"SOURCES": SOURCES, "DELIVERABLES": catalog.DELIVERABLE_LABELS, "STATUS_CLASS": STATUS_CLASS,
            "PACKAGE_NAMES": dict(BATCH_PACKAGES), "FORMAT_NAMES": catalog.FORMAT_LABELS,
            "DOCUMENT_TITLES": {d.id: d.title for d in catalog.DOCUMENT_LIST}, "REGISTER_STATES": register.STATE_LABELS,
            "RESENT": delivery.RESENT_LABEL, "UNSENT": delivery.UNSENT_LABEL}
