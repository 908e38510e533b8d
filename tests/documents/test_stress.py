"""附件3 of the stress branch (tools/synthetic.stress_branch: every free-text field at the contract's
limit) through the real LibreOffice pool: still one page per member (一人一表), and every long value
printed whole on its member's page — its start and its end are in that page's text.

Page 1 is saved as test-artifacts/stress/member_register-1.png (pdftoppm -r 60), to be looked at.
"""
from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import pytest

from schemas import load_dataset
from service.documents import render
from service.domain import scope
from service.domain.tables import table_context
from tests.conftest_pdf import needs_soffice, page_texts, squash, started_pool
from tools.synthetic import stress_branch

pytestmark = needs_soffice

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "stress"
ENDS = 6  # characters of each end of a value looked for (a marker such as 备注12起 / 备注12止)


@pytest.fixture(scope="module")
def pool():
    with started_pool(1, 4113, 4213) as p:
        yield p


@pytest.fixture(scope="module")
def stress():
    return load_dataset(stress_branch())


@pytest.fixture(scope="module")
def register_pdf(stress, pool) -> bytes:
    return render.render_document(stress, "member_register", "pdf", pool).data


def raw_page_texts(pdf: bytes) -> list[str]:
    """pdftotext -raw of each page: the text in the order it was printed. The default reading order
    may put a neighbouring cell (联系电话) between the lines of a value that wraps to three lines."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-raw", f.name, "-"], capture_output=True,
                              check=True, timeout=60).stdout.decode("utf-8")
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def test_long_values_print_at_10_5_pt_at_least(stress):
    """Up to the limits no value of 附件3 needs the 9 pt fallback: every size class is 12 or 10.5 pt."""
    rows = table_context(stress, "member_register")["members"]
    classes = {cls for row in rows for cls in row["fit"].values()}
    assert classes <= {"", "small"}, classes
    assert "small" in classes  # the long values do use it


def test_stress_register_is_one_page_per_member_with_every_value_whole(stress, register_pdf):
    members = scope.in_scope(stress)
    texts, raws = page_texts(register_pdf), raw_page_texts(register_pdf)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(register_pdf)
        f.flush()
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile", f.name,
                        str(ARTIFACTS / "member_register-1")], check=True, timeout=120)
    assert len(texts) == len(members), f"{len(texts)} pages for {len(members)} members"
    assert len(raws) == len(members)
    missing = []
    for m, text, raw in zip(members, texts, raws):
        page = (squash(text), squash(raw))
        assert any(squash(m.name) in p for p in page), f"{m.name} is not on its page"
        values = {"job_post": m.job_post, "home_address": m.home_address, "remarks": m.remarks,
                  "org.full_name": stress.org.full_name}
        for key, value in values.items():
            v = squash(value)
            assert len(v) > 2 * ENDS, (key, value)  # the stress branch's values are long
            for end, part in (("start", v[:ENDS]), ("end", v[-ENDS:])):
                if not any(part in p for p in page):
                    missing.append(f"{m.name}: {key} {end} {part}")
    assert missing == []
