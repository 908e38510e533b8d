"""附件3 of the stress branch (tools/synthetic.stress_branch: every free-text field at the contract's
limit) through the real LibreOffice pool: still one page per member (一人一表), and every long value
printed whole on its member's page — its start and its end are in that page's text.

Page 1 is saved as test-artifacts/stress/member_register-1.png (pdftoppm -r 60), to be looked at.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from service.documents import render
from service.domain import scope
from service.domain.tables import table_context
from tests.conftest_pdf import needs_soffice, page_texts, save_pngs, squash, started_pool

pytestmark = needs_soffice

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "stress"
ENDS = 6  # characters of each end of a value looked for (a marker such as 备注12起 / 备注12止)


@pytest.fixture(scope="module")
def pool():
    with started_pool(1, 4113, 4213) as p:
        yield p


@pytest.fixture(scope="module")
def register_pdf(stress_dataset, pool) -> bytes:
    return render.render_document(stress_dataset, "member_register", "pdf", pool).data


def test_long_values_print_at_10_5_pt_at_least(stress_dataset):
    """Up to the limits no value of 附件3 needs the 9 pt fallback: every size class is 12 or 10.5 pt."""
    rows = table_context(stress_dataset, "member_register")["members"]
    classes = {cls for row in rows for cls in row["fit"].values()}
    assert classes <= {"", "small"}, classes
    assert "small" in classes  # the long values do use it


def test_stress_register_is_one_page_per_member_with_every_value_whole(stress_dataset, register_pdf):
    members = scope.in_scope(stress_dataset)
    # -raw too: the default reading order may put a neighbouring cell (联系电话) between the lines of
    # a value that wraps to three lines
    texts, raws = page_texts(register_pdf), page_texts(register_pdf, raw=True)
    save_pngs(register_pdf, ARTIFACTS, "member_register", first_only=True)
    assert len(texts) == len(members), f"{len(texts)} pages for {len(members)} members"
    assert len(raws) == len(members)
    missing = []
    for m, text, raw in zip(members, texts, raws):
        page = (squash(text), squash(raw))
        assert any(squash(m.name) in p for p in page), f"{m.name} is not on its page"
        values = {"job_post": m.job_post, "home_address": m.home_address, "remarks": m.remarks,
                  "org.full_name": stress_dataset.org.full_name}
        for key, value in values.items():
            v = squash(value)
            assert len(v) > 2 * ENDS, (key, value)  # the stress branch's values are long
            for end, part in (("start", v[:ENDS]), ("end", v[-ENDS:])):
                if not any(part in p for p in page):
                    missing.append(f"{m.name}: {key} {end} {part}")
    assert missing == []
