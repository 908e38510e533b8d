"""What the pool sends unoserver for a plain PDF and for PDF/A, and that the two never share a cache entry.

A stand-in unoserver (XML-RPC, the same two calls the pool makes: info and convert) records each
convert's arguments, so the plain call is checked to be exactly what it was before PDF/A existed.
The real LibreOffice's PDF/A is tested in test_pdfa.py.
"""
from __future__ import annotations

import threading
import xmlrpc.client
from xmlrpc.server import SimpleXMLRPCRequestHandler, SimpleXMLRPCServer

import pytest
from prometheus_client import CollectorRegistry

from service.pdf.cache import cache_key
from service.pdf.pool import ConversionPool
from tools.office_samples import make_docx, make_xlsx

PLAIN_CALL = [None, "pdf", "writer_pdf_Export", [], True, "MS Word 2007 XML", None]  # as in the release before


class _Quiet(SimpleXMLRPCRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def unoserver():
    """A stand-in unoserver on a free port: answers info(), and convert() with a PDF naming its options."""
    calls: list[list] = []
    srv = SimpleXMLRPCServer(("127.0.0.1", 0), requestHandler=_Quiet, allow_none=True, logRequests=False)
    srv.register_function(lambda: {"unoserver": "3.7", "libreoffice_version": "7.4-standin"}, "info")

    def convert(inpath, indata, outpath, convert_to, filtername, filter_options, update_index, infiltername, password):
        calls.append([inpath, convert_to, filtername, filter_options, update_index, infiltername, password])
        return xmlrpc.client.Binary(b"%PDF-1.7 " + repr(filter_options).encode())

    srv.register_function(convert, "convert")
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    srv.calls = calls
    yield srv
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def pool(unoserver):
    pool = ConversionPool(size=1, external=[f"127.0.0.1:{unoserver.server_address[1]}"], registry=CollectorRegistry())
    pool.start(wait=15)
    assert pool.wait_ready(1)
    yield pool
    pool.stop()


def test_a_plain_pdf_is_asked_for_exactly_as_before(pool, unoserver):
    assert pool.convert(make_docx(), "docx") == b"%PDF-1.7 []"
    assert unoserver.calls == [PLAIN_CALL]


def test_pdfa_asks_libreoffice_for_pdfa_2b_with_every_font_embedded(pool, unoserver):
    pool.convert(make_xlsx(), "xlsx", pdfa=True)
    (call,) = unoserver.calls
    assert call[2] == "calc_pdf_Export" and call[5] == "Calc MS Excel 2007 XML"
    assert call[3] == ["SelectPdfVersion=2", "EmbedStandardFonts=true"]


def test_the_cache_keeps_plain_and_pdfa_apart(pool, unoserver):
    """The same bytes asked both ways are two conversions; each asked again comes from the cache."""
    data = make_docx()
    plain = pool.convert(data, "docx")
    archived = pool.convert(data, "docx", pdfa=True)
    assert plain != archived and len(unoserver.calls) == 2
    assert pool.convert(data, "docx", pdfa=True) == archived and pool.convert(data, "docx") == plain
    assert len(unoserver.calls) == 2


def test_a_plain_cache_key_is_unchanged_so_a_kept_disk_cache_stays_valid():
    import hashlib

    data = b"PK\x03\x04 document"
    before = hashlib.sha256(b"7.4\0docx\0" + data).hexdigest()  # the key as the release before computed it
    assert cache_key(data, "docx", "7.4") == before
    assert cache_key(data, "docx", "7.4", pdfa=True) not in (before, cache_key(data, "xlsx", "7.4", pdfa=True))


def test_the_pool_server_and_its_client_carry_the_pdfa_flag(pool, unoserver):
    from service.errors import BadUpload
    from service.pdf.client import PoolClient
    from service.pdf.server import PoolServer

    srv = PoolServer(("127.0.0.1", 0), pool)
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        client = PoolClient(f"http://127.0.0.1:{srv.server_address[1]}", deadline=10)
        assert client.convert(make_docx(), "docx") == b"%PDF-1.7 []"
        archived = client.convert(make_docx(), "docx", pdfa=True)
        assert archived.endswith(b"'SelectPdfVersion=2', 'EmbedStandardFonts=true']")
        assert [c[3] for c in unoserver.calls] == [[], ["SelectPdfVersion=2", "EmbedStandardFonts=true"]]
        with pytest.raises(BadUpload, match="pdfa='yes'"):
            client._request = _with_query(client._request, "&pdfa=yes")
            client.convert(make_xlsx(), "xlsx")
    finally:
        srv.shutdown()
        srv.server_close()


def _with_query(request, extra: str):
    """The client's request with something appended to its query (a caller the client would never be)."""
    def send(method, path, body, timeout):
        return request(method, path + extra, body, timeout)
    return send
