"""The render seam without LibreOffice: what is converted, in how many parts, and how it is joined."""
from __future__ import annotations

import io
import zipfile

import pytest
from pypdf import PdfReader

import schemas
from service.documents import packages, render
from service.domain import catalog, naming, scope
from service.errors import ConversionBusy, ConversionUnavailable, UnknownDocument, UnsupportedFormat
from tests.conftest import FakeConverter
from tools.synthetic import synthetic_branch


def pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture(scope="module")
def big():
    return schemas.load_dataset(synthetic_branch(40, seed=5))


def test_the_register_is_cut_into_one_part_per_lane_and_joined(big):
    fake = FakeConverter(parallelism=2)
    out = render.render_pdfs(big, ("member_register",), fake)[0]
    assert [kind for kind, _ in fake.calls] == ["docx", "docx"]
    assert pages(out.data) == 2  # one fake page per part, joined in order
    assert out.filename == naming.file_name(big.org, "member_register", "pdf")
    assert len(scope.in_scope(big)) >= 2 * render.MIN_PAGES_PER_PART


def test_one_lane_or_a_short_register_is_converted_whole(big, sample_dataset):
    one = FakeConverter(parallelism=1)
    render.render_pdfs(big, ("member_register",), one)
    assert len(one.calls) == 1
    two = FakeConverter(parallelism=2)
    render.render_pdfs(sample_dataset, ("member_register",), two)
    assert len(two.calls) == 1  # the sample's few pages are not worth cutting


def test_only_the_register_is_cut(big):
    fake = FakeConverter(parallelism=4)
    render.render_pdfs(big, catalog.PRINT_IDS, fake)
    assert len(fake.calls) == len(catalog.PRINT_IDS)


def test_print_packet_joins_the_six_tables(sample_dataset, fake_converter):
    out = packages.render_package(sample_dataset, "print", None, fake_converter)
    assert pages(out.data) == len(catalog.PRINT_IDS) == 6
    assert out.filename.endswith("附件4-9打印版.pdf") and out.mimetype == "application/pdf"


def test_all_as_pdf_holds_the_four_deliverables_named_as_the_notice_says(sample_dataset, fake_converter):
    out = packages.render_package(sample_dataset, "all", "pdf", fake_converter)
    org = sample_dataset.org
    with zipfile.ZipFile(io.BytesIO(out.data)) as zf:
        assert zf.namelist() == [naming.file_name(org, "work_plan", "pdf"), naming.file_name(org, "tables", "zip"),
                                 naming.file_name(org, "stage_summary", "pdf"), naming.file_name(org, "final_report", "pdf")]
        inner = zipfile.ZipFile(io.BytesIO(zf.read(naming.file_name(org, "tables", "zip"))))
        assert inner.namelist() == [naming.file_name(org, d, "pdf") for d in catalog.TABLE_IDS]
    assert len(fake_converter.calls) == len(packages.documents_of(catalog.PACKAGES["all"]))


def test_office_package_never_calls_the_converter(sample_dataset):
    fake = FakeConverter(fail=AssertionError("no conversion for office"))
    out = packages.render_package(sample_dataset, "tables", "office", fake)
    with zipfile.ZipFile(io.BytesIO(out.data)) as zf:
        assert [n.rsplit(".", 1)[1] for n in zf.namelist()] == [catalog.DOCUMENTS[d].kind for d in catalog.TABLE_IDS]


def test_pdf_without_a_converter_says_what_is_missing(sample_dataset):
    with pytest.raises(ConversionUnavailable, match="LibreOffice"):
        render.render_document(sample_dataset, "work_plan", "pdf", None)


def test_a_busy_converter_is_passed_on(sample_dataset):
    with pytest.raises(ConversionBusy):
        render.render_document(sample_dataset, "work_plan", "pdf", FakeConverter(fail=ConversionBusy("忙", 3)))


@pytest.mark.parametrize("call", [
    lambda ds: render.render_document(ds, "nope"),
    lambda ds: packages.render_package(ds, "nope"),
])
def test_unknown_ids_list_the_catalog(sample_dataset, call):
    with pytest.raises(UnknownDocument, match="可用的有"):
        call(sample_dataset)


def test_formats_come_from_the_catalog(sample_dataset):
    with pytest.raises(UnsupportedFormat):
        render.render_document(sample_dataset, "work_plan", "xlsx")
    with pytest.raises(UnsupportedFormat):
        packages.render_package(sample_dataset, "print", "office")


@pytest.mark.parametrize("members, ids, width, parts", [
    (40, ("member_register",), 2, 2),  # alone: the second lane would idle
    (40, ("member_register",), 1, 1),
    (60, catalog.TABLE_IDS, 2, 1),  # the six other tables fill the second lane already
    (150, catalog.TABLE_IDS, 2, 2),  # a long register outweighs them
    (10, ("member_register",), 2, 1),  # too short to be worth a second load
])
def test_the_register_is_cut_only_where_it_finishes_sooner(members, ids, width, parts):
    ds = schemas.load_dataset(synthetic_branch(members, seed=1))
    docs = [catalog.DOCUMENTS[d] for d in ids]
    assert render.part_count(ds, docs, catalog.DOCUMENTS["member_register"], width) == parts


def test_a_full_pool_refuses_before_anything_is_rendered(big, monkeypatch):
    class Full(FakeConverter):
        def check_room(self):
            raise ConversionBusy("PDF 转换排队已满，请稍后重试", retry_after=3)

    filled = []
    monkeypatch.setattr(render, "fill", lambda doc, ctx: filled.append(doc.id) or b"")
    full = Full(parallelism=2)
    with pytest.raises(ConversionBusy) as refused:
        render.render_pdfs(big, catalog.PRINT_IDS, full)
    assert refused.value.retry_after == 3
    assert filled == [] and full.calls == []
