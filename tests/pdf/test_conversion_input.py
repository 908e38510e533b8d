"""Conversion pieces that need no LibreOffice: input checks, 503 without soffice, cache, merge and split."""
from __future__ import annotations

import io
import os
import shutil

import pytest
from pypdf import PdfWriter

from service.pdf.pool import ConversionPool, PoolConfig, validate
from service.pdf.merge import merge, page_count
from service.pdf.cache import PdfCache, cache_key
from service.errors import BadUpload, ConversionUnavailable
from tools.office_samples import make_docx, make_xlsx


@pytest.mark.parametrize("data, words", [
    (b"", "为空"),
    (os.urandom(2048), "不是有效的"),
    (b"PK\x03\x04" + os.urandom(300), "已损坏"),
])
def test_junk_is_rejected_with_a_chinese_reason(data, words):
    with pytest.raises(BadUpload, match=words):
        validate(data, "docx")


def test_a_workbook_is_not_a_word_document_and_back():
    with pytest.raises(BadUpload, match="Word"):
        validate(make_xlsx(), "docx")
    with pytest.raises(BadUpload, match="Excel"):
        validate(make_docx(), "xlsx")
    validate(make_docx(), "docx")
    validate(make_xlsx(), "xlsx")


def test_without_libreoffice_pdf_is_unavailable_and_says_what_to_install(monkeypatch):
    from prometheus_client import CollectorRegistry

    monkeypatch.setattr(shutil, "which", lambda name: None)
    pool = ConversionPool(size=1, registry=CollectorRegistry())
    assert not pool.available()
    with pytest.raises(ConversionUnavailable, match="未安装 LibreOffice.*libreoffice-writer-nogui"):
        pool.convert(make_docx(), "docx")
    assert pool.status()["available"] is False


def test_pool_takes_every_setting_from_the_one_config():
    from service import config

    settings = config.load({"PDF_POOL_SIZE": 3, "PDF_DEADLINE": 10, "PDF_POOL_EXTERNAL": "a:2003, b:2004",
                            "PDF_CACHE_DIR": "/tmp/pdf-cache", "SOFFICE": "/opt/lo/soffice"}, environ={})
    cfg = PoolConfig.from_settings(settings)
    assert (cfg.size, cfg.deadline, cfg.external) == (3, 10, ["a:2003", "b:2004"])
    assert (cfg.cache_dir, cfg.soffice, cfg.cache_bytes) == ("/tmp/pdf-cache", "/opt/lo/soffice", 256 * 1024 * 1024)
    assert PoolConfig.from_settings(config.load(environ={})).size == len(os.sched_getaffinity(0))


def test_cache_is_keyed_by_bytes_kind_and_version_and_bounded(tmp_path):
    assert cache_key(b"x", "docx", "7.4") != cache_key(b"x", "docx", "7.5")
    assert cache_key(b"x", "docx", "7.4") != cache_key(b"x", "xlsx", "7.4")
    cache = PdfCache(max_bytes=250)
    for name in "abc":
        cache.put(name, name.encode() * 100)
    assert cache.get("a") is None and cache.get("c") == b"c" * 100  # oldest dropped
    assert cache.size <= 250
    on_disk = PdfCache(max_bytes=1000, directory=tmp_path)
    on_disk.put("k", b"%PDF-1.7 x")
    assert PdfCache(directory=tmp_path).get("k") == b"%PDF-1.7 x"


def _blank_pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_merge_keeps_every_page_in_order():
    packet = merge([_blank_pdf(1), _blank_pdf(2), _blank_pdf(3)])
    assert page_count(packet) == 6


def test_split_cuts_a_pdf_into_documents_of_their_own():
    from pypdf import PdfReader

    from service.pdf.merge import split
    from tests.conftest import pages_pdf

    whole = pages_pdf("附件4 党员名册", [("党员名册", 2), ("外出流动党员名册", 1)])
    first, second = split(whole, [2, 1], ["附件4 党员名册", "附件5 外出流动党员名册"])
    for data, pages, title, mark in ((first, 2, "附件4 党员名册", "党员名册"), (second, 1, "附件5 外出流动党员名册", "外出流动党员名册")):
        reader = PdfReader(io.BytesIO(data))
        assert len(reader.pages) == pages and reader.metadata.title == title
        assert [(item.title, reader.get_destination_page_number(item)) for item in reader.outline] == [(mark, 0)]
        assert reader.trailer["/Root"]["/OpenAction"][0].get_object() == reader.pages[0].get_object()
    assert split(whole, [2, 1], ["a", "b"]) == split(whole, [2, 1], ["a", "b"])  # the same bytes again
    with pytest.raises(ValueError):
        split(whole, [1, 1], ["a", "b"])
