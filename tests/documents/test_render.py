"""The render seam without LibreOffice: what is converted, in how many parts, and how it is joined or cut."""
from __future__ import annotations

import io
import zipfile

import pytest
from pypdf import PdfReader

import schemas
from service.documents import packages, render, sheets
from service.domain import catalog, naming, scope
from service.errors import ConversionBusy, ConversionUnavailable, UnknownDocument, UnsupportedFormat
from service.office import book
from tests.conftest import FakeConverter, pages_pdf
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


def test_tables_asked_together_are_one_workbook_cut_back_into_one_pdf_each(big):
    fake = FakeConverter(parallelism=4)
    out = render.render_pdfs(big, catalog.PRINT_IDS, fake)
    assert [kind for kind, _ in fake.calls] == ["xlsx"]  # one conversion for six tables
    totals = book.render_book([(render.document(d).template, render.context(big, render.document(d)))
                               for d in catalog.PRINT_IDS]).totals
    assert max(totals) > 1  # a table of several pages is among them
    for doc_id, output, total in zip(catalog.PRINT_IDS, out, totals):
        reader = PdfReader(io.BytesIO(output.data))
        assert len(reader.pages) == total, doc_id  # its own pages, as the workbook printed them
        assert reader.metadata.title == catalog.DOCUMENTS[doc_id].title
        assert [item.title for item in reader.outline] == [catalog.DOCUMENTS[doc_id].name]
        assert output.filename == naming.file_name(big.org, doc_id, "pdf")


def test_a_table_alone_is_converted_alone(sample_dataset):
    fake = FakeConverter()
    out = render.render_pdfs(sample_dataset, ("member_roster",), fake)[0]
    assert fake.calls == [("xlsx", len(render.render_office(sample_dataset, "member_roster")))]  # its own workbook
    assert pages(out.data) == 1


def test_apart_converts_every_table_on_its_own(sample_dataset):
    fake = FakeConverter()
    render.render_pdfs(sample_dataset, catalog.TABLE_IDS, fake, apart=True)
    assert sorted(size for _, size in fake.calls) == sorted(
        len(render.render_office(sample_dataset, d)) for d in catalog.TABLE_IDS)


def test_a_wrong_page_estimate_is_converted_again_with_the_counts_read(sample_dataset):
    class RosterOfTwo(FakeConverter):
        """Prints the roster on two pages, whatever its footer says."""

        def convert(self, data, kind):
            self.calls.append((kind, len(data)))
            printed = [(name, 2 if name == "党员名册" else n) for name, n in _sheets(data)]
            return pages_pdf(kind, printed)

    fake = RosterOfTwo()
    out = render.render_pdfs(sample_dataset, catalog.PRINT_IDS, fake)
    assert [kind for kind, _ in fake.calls] == ["xlsx", "xlsx"]
    assert [pages(o.data) for o in out] == [2, 1, 1, 1, 1, 1]


def test_tables_whose_pages_cannot_be_told_apart_are_converted_one_by_one(sample_dataset, caplog):
    class NoBookmarks(FakeConverter):
        def convert(self, data, kind):
            self.calls.append((kind, len(data)))
            return pages_pdf(kind, [(None, 1)])

    fake = NoBookmarks()
    out = render.render_pdfs(sample_dataset, catalog.PRINT_IDS, fake)
    assert len(fake.calls) == 1 + len(catalog.PRINT_IDS) and [pages(o.data) for o in out] == [1] * 6
    assert "逐表转换" in caplog.text
    packet = packages.render_package(sample_dataset, "print", "pdf", NoBookmarks())
    assert pages(packet.data) == 6


def test_page_counts_come_from_the_bookmark_on_each_sheets_first_page():
    names = ["甲", "乙", "丙"]
    assert sheets.page_counts(pages_pdf("x", [("甲", 3), ("乙", 1), ("丙", 2)]), names) == [3, 1, 2]
    assert sheets.page_counts(pages_pdf("x", [("甲", 3), ("丙", 2)]), names) is None  # a sheet not marked
    assert sheets.page_counts(pages_pdf("x", [("乙", 1), ("甲", 3), ("丙", 2)]), names) is None  # out of order
    assert sheets.page_counts(pages_pdf("x", [(None, 1), ("甲", 3), ("乙", 1), ("丙", 2)]), names) is None
    assert sheets.page_counts(pages_pdf("x", [(None, 4)]), names) is None


def _sheets(data: bytes) -> list[tuple[str, int]]:
    from tests.conftest import _printed_sheets

    return _printed_sheets(data)


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
    # each document converted once, but 附件4–9 together in one workbook
    assert len(fake_converter.calls) == len(packages.documents_of(catalog.PACKAGES["all"])) - len(catalog.PRINT_IDS) + 1


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
    (40, catalog.TABLE_IDS, 2, 1),  # the workbook of tables fills the second lane already
    (60, catalog.TABLE_IDS, 2, 2),  # a short second part fits beside the workbook
    (150, catalog.TABLE_IDS, 2, 2),  # a long register outweighs them
    (10, ("member_register",), 2, 1),  # too short to be worth a second load
])
def test_the_register_is_cut_only_where_it_finishes_sooner(members, ids, width, parts):
    ds = schemas.load_dataset(synthetic_branch(members, seed=1))
    fake = FakeConverter(parallelism=width)
    out = render.render_pdfs(ds, ids, fake)
    assert [kind for kind, _ in fake.calls].count("docx") == parts
    assert pages(out[0].data) == parts  # one fake page per part, joined


def test_the_parts_fill_what_the_other_jobs_leave_of_each_lane():
    # beside a workbook costing 35: the lanes end level, 35 + (8 + 11) against 8 + 47
    assert render.part_sizes(58, [35], 2) == [47, 11]
    assert render.part_sizes(40, [], 2) == [20, 20]
    assert render.part_sizes(30, [], 4) == [10, 10, 10]  # a fourth part would be shorter than 8 pages
    assert render.part_sizes(40, [35], 2) == [40]  # its second part would be too short to pay a load
    sizes = render.part_sizes(150, [35, 14, 14, 14], 2)
    assert sum(sizes) == 150 and min(sizes) >= render.MIN_PAGES_PER_PART


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
