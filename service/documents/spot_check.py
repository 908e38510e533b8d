"""The 随机抽查清单 as a Word file: a drawn sample through its template, named as the district's files are."""
from __future__ import annotations

from datetime import datetime

from service.domain import catalog, checklist, naming
from service.domain.catalog import MIMETYPES
from service.clock import BEIJING, beijing_day
from service.domain.sampling import Sample
from service.office import word

from .render import Output

DOCUMENT = catalog.DISTRICT_DOCUMENTS["spot_check"]


def checklist_docx(sample: Sample, drawn_by: str, drawn_at: datetime) -> Output:
    """The checklist of `sample`, deterministic: the same sample, drawer and moment give the same bytes.

    `drawn_at` is an aware datetime; the header and the file name show it as the Beijing wall clock.
    """
    local = drawn_at.astimezone(BEIJING)
    data = word.render_docx(DOCUMENT.template, checklist.context(sample, drawn_by, local))
    day = beijing_day(drawn_at)
    return Output(data, naming.district_file_name(DOCUMENT.id, "docx", day),
                  naming.district_ascii_name(DOCUMENT.id, "docx", day), MIMETYPES["docx"])
