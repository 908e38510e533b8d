"""The 随机抽查清单 as Word and, through the real LibreOffice, as pages: one section per drawn branch,
masked ID numbers only, the 三查 items to tick, the seed and who drew it on every page.

Ports 4983+ (UNO 5083+).
"""
from __future__ import annotations

import io
import re
import subprocess
import zipfile
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

import docx
import pytest

import schemas
from service.documents.spot_check import checklist_docx
from service.domain import check_items, sampling
from service.office import word
from tests.conftest_pdf import needs_soffice, page_texts, squash, started_pool
from tools.synthetic import synthetic_branch

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
BEIJING = timezone(timedelta(hours=8))
DRAWN_AT = datetime(2023, 7, 25, 10, 30, tzinfo=BEIJING)
DRAWER = "区委教育工委 王晓明"


@lru_cache(maxsize=None)
def district() -> dict:
    out = {}
    for i in range(6):
        data = synthetic_branch(12 + 4 * i, seed=700 + i)
        data["org"].update(code=f"WJ{201 + i}", name=f"武进区第{i + 1}实验小学党支部")
        ds = schemas.load_dataset(data)
        out[ds.org.code] = ds
    return out


def sample(seed: int = 20230725, k: int = 3, m: int = 5) -> sampling.Sample:
    dss = district()
    return sampling.draw([sampling.candidate(ds) for ds in dss.values()], k, m, seed, dss.__getitem__, weighted=True)


def full_ids() -> set[str]:
    return {m.id_number for ds in district().values() for m in ds.members}


def test_the_same_sample_gives_the_same_bytes_and_name():
    first, again = checklist_docx(sample(), DRAWER, DRAWN_AT), checklist_docx(sample(), DRAWER, DRAWN_AT)
    assert first.data == again.data
    assert first.filename == "武进区教育系统-随机抽查清单-20230725.docx"
    assert first.ascii_filename == "wujin-education-spot-check-20230725.docx"
    assert checklist_docx(sample(seed=1), DRAWER, DRAWN_AT).data != first.data


def test_the_name_and_header_go_by_the_beijing_clock():
    late_utc = datetime(2023, 7, 24, 16, 30, tzinfo=timezone.utc)  # 00:30 on the 25th in Beijing
    out = checklist_docx(sample(), DRAWER, late_utc)
    assert out.filename.endswith("-20230725.docx")
    header = docx.Document(io.BytesIO(out.data)).sections[0].header.paragraphs[0].text
    assert "2023年7月25日 00:30" in header


def test_one_section_per_branch_with_its_members_and_the_items():
    s = sample()
    doc = docx.Document(io.BytesIO(checklist_docx(s, DRAWER, DRAWN_AT).data))
    assert len(doc.sections) == len(s.branches) == 3
    assert all(sec.orientation == docx.enum.section.WD_ORIENT.LANDSCAPE for sec in doc.sections)
    headings = [p.text for p in doc.paragraphs if p.text.startswith("党组织：")]
    assert headings == [f"党组织：{b.code}　{b.name}" for b in s.branches]
    assert len(doc.tables) == 3
    for table, branch in zip(doc.tables, s.branches):
        head = [c.text for c in table.rows[0].cells]
        assert head[:4] == ["序号", "姓名", "公民身份号码", "人员类别"] and head[-1] == "备注"
        assert head[4:7] == [item.heading for item in check_items.CHECK_ITEMS]
        rows = [[c.text for c in row.cells] for row in table.rows[1:]]
        assert [r[1] for r in rows] == [m.name for m in branch.members]
        assert [r[2] for r in rows] == [m.masked_id for m in branch.members]
        assert all(r[4].startswith("□ ") and r[5].startswith("□ ") and r[6].startswith("□ ") for r in rows)
        assert all(r[7] == "" for r in rows)
    header = doc.sections[0].header.paragraphs[0].text
    for words in ("中共常州市武进区委教育工作委员会", "随机种子：20230725", "加权", DRAWER, "2023年7月25日 10:30"):
        assert words in header


def test_no_full_id_number_anywhere_in_the_package():
    data = checklist_docx(sample(k=6, m=50), DRAWER, DRAWN_AT).data
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        text = "".join(zf.read(name).decode("utf-8", "replace") for name in zf.namelist())
    assert not {i for i in full_ids() if i in text}
    assert len(re.findall(r"\d{4}\*{10}\d{3}[\dX]", text)) == sum(len(b.members) for b in sample(k=6, m=50).branches)


def test_the_template_asks_only_for_what_the_context_gives():
    from service.domain import checklist

    assert word.placeholders("spot_check.docx") <= set(checklist.context(sample(), DRAWER, DRAWN_AT))


@pytest.fixture(scope="module")
def printed():
    """The checklist of 3 branches × 5 members through LibreOffice."""
    with started_pool(1, 4983, 5083) as pool:
        return pool.convert(checklist_docx(sample(), DRAWER, DRAWN_AT).data, "docx")


def with_soffice(test):
    """The marks of the tests that need LibreOffice, on one test."""
    for mark in needs_soffice:
        test = mark(test)
    return test


@with_soffice
def test_each_branch_prints_on_a_page_of_its_own(printed):
    pages = page_texts(printed)
    s = sample()
    assert len(pages) == len(s.branches)
    for page, branch in zip(pages, s.branches):
        flat = squash(page)
        assert f"党组织：{branch.code}{squash(branch.name)}" in flat
        assert "随机种子：20230725" in flat and squash(DRAWER) in flat
        assert all(m.masked_id in flat and squash(m.name) in flat for m in branch.members)
        assert "一查基本信息是否齐全" in flat and "核查人（签名）" in flat
        assert not {i for i in full_ids() if i in flat}


@with_soffice
def test_the_pages_as_pictures(printed):
    """Kept to be looked at: every page at 80 dpi under test-artifacts/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("spot_check-*.png"):
        old.unlink()
    pdf = ARTIFACTS / "spot_check.pdf"
    pdf.write_bytes(printed)
    subprocess.run(["pdftoppm", "-png", "-r", "80", str(pdf), str(ARTIFACTS / "spot_check")], check=True, timeout=120)
    assert len(list(ARTIFACTS.glob("spot_check-*.png"))) == len(page_texts(printed))
