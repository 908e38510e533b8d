"""The district's 附件6 and 附件9 for 150 branches as PDF, through the real LibreOffice pool, read back
the way a 党务干事 at the district prints them: the header on every page, every branch's row with all
its figures, 合计 equal to the sum, and the closing rows never alone on a last page.

The pages are kept as test-artifacts/district/<doc>-N.png (pdftoppm -r 60), to be looked at.
"""
from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

import schemas
from service.documents import district as files
from service.domain import catalog, district, figures
from service.intake.received import from_json_body
from service.store import migrate, submissions
from service.store.artifacts import Artifacts
from service.store.db import Database
from tests.conftest_pdf import HEADER_TEXT, needs_soffice, page_texts, save_pngs, started_pool
from tools.synthetic import synthetic_branch

pytestmark = needs_soffice

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "district"
NOW = datetime(2023, 7, 12, 1, 0, tzinfo=timezone.utc)
TOWNS = ("湖塘", "牛塘", "洛阳", "遥观", "横林", "横山桥", "嘉泽", "湟里", "前黄", "礼嘉", "雪堰", "南夏墅",
         "西湖", "星河", "马杭", "戴溪", "寨桥", "坂上", "卢家巷", "鸣凰", "夏溪", "庙桥", "运村", "成章", "东安")
KINDS = ("中心小学党支部", "实验小学党支部", "初级中学党支部", "高级中学党委", "中心幼儿园党支部", "实验学校党总支")
BRANCHES = 150


def name_of(i: int) -> str:
    """Names as the district's schools carry them: two to sixteen characters, one at the contract's 30."""
    if i == 77:
        return "常州市武进区湖塘桥实验小学教育集团第二校区联合党支部"[:30]
    return f"{TOWNS[i % len(TOWNS)]}{KINDS[i % len(KINDS)]}"


@pytest.fixture(scope="module")
def district_pdfs(tmp_path_factory):
    """150 stored branches; both district tables as PDF, converted once; the tests only read."""
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('district') / 'store.db'}", 30.0)
    migrate.upgrade(db)
    expected = {doc: [] for doc in district.LABELS}
    for i in range(BRANCHES):
        data = synthetic_branch(26 + i % 9, seed=500 + i)
        data["org"].update(code=f"WJ{i + 1:03d}", name=name_of(i))
        submissions.submit(db, from_json_body(json.dumps(data, ensure_ascii=False).encode()), "api", NOW)
        ds = schemas.load_dataset(data)
        expected["outgoing_summary"].append(figures.outgoing_summary(ds))
        expected["campaign_summary"].append(figures.campaign_summary(ds))
    out = {}
    with started_pool(2, 4713, 4813) as pool:
        for doc_id in district.LABELS:
            out[doc_id] = files.table(db, Artifacts(), doc_id, "pdf", pool, NOW)
    db.dispose()
    return out, expected


def figure_lines(text: str, count: int) -> list[list[int]]:
    """The lines of a page (pdftotext -layout) that end in `count` figures: the rows and 合计."""
    out = []
    for line in text.splitlines():
        tokens = line.split()
        tail = tokens[-count:]
        if len(tokens) >= count and all(re.fullmatch(r"\d+", t) for t in tail):
            out.append([int(t) for t in tail])
    return out


@pytest.mark.parametrize("doc_id", list(district.LABELS))
def test_every_page_has_the_header_and_every_branch_its_row(district_pdfs, doc_id):
    outputs, expected = district_pdfs
    pdf = outputs[doc_id]
    assert pdf.filename == f"武进区教育系统-{catalog.file_title(doc_id)}-20230712.pdf"
    pages = page_texts(pdf.data, layout=True)
    assert len(pages) > 5
    for n, page in enumerate(pages, start=1):
        assert HEADER_TEXT[doc_id] in page and "党组织名称" in page, f"page {n} has no header"
        assert f"第 {n} 页，共 {len(pages)} 页" in page
    codes = list(district.LABELS[doc_id])
    rows = [row for page in pages for row in figure_lines(page, len(codes))]
    assert rows[:-1] == [[fig[c] for c in codes] for fig in expected[doc_id]]  # every branch, in order, whole
    total = figures.add_up(expected[doc_id])
    assert rows[-1] == [total[c] for c in codes]


@pytest.mark.parametrize("doc_id", list(district.LABELS))
def test_the_last_page_holds_records_with_the_total_and_the_note(district_pdfs, doc_id):
    outputs, _ = district_pdfs
    pages = page_texts(outputs[doc_id].data, layout=True)
    last = pages[-1]
    codes = len(district.LABELS[doc_id])
    assert "合计" in last and f"说明：本表汇总 {BRANCHES} 个党组织" in last and "填表人" in last
    assert len(figure_lines(last, codes)) >= 2  # at least one branch row above 合计
    assert all("合计" not in page for page in pages[:-1])
    assert "填报单位（盖章）：中共常州市武进区委教育工作委员会" in re.sub(r"\s+", "", pages[0])


def test_the_pages_as_pictures(district_pdfs):
    """Kept to be looked at: every page of 附件9 at 60 dpi."""
    outputs, _ = district_pdfs
    pdf = outputs["campaign_summary"].data
    assert len(save_pngs(pdf, ARTIFACTS, "campaign_summary")) == len(page_texts(pdf))
