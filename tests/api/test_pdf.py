"""PDF through HTTP and the command line, with the app's own supervised LibreOffice pool.

One app (pool of 2 on ports 2313/2314) serves the module; it is stopped at the end and no
LibreOffice process of it may be left. PDF switched off, or LibreOffice missing, is a 503 in the
one error shape that says what to do.
"""
from __future__ import annotations

import io
import time
import zipfile
from urllib.parse import quote

import pytest

from tests.conftest import assert_error_shape, make_app, post
from tests.conftest_pdf import needs_soffice, page_texts, pages_of, pdf_app, port, squash

pytestmark = needs_soffice

PORT = port(2313)
ORG = "WJ017-星河实验小学党支部"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """One app and its LibreOffice pool of two for the module: the pool is what is slow."""
    with pdf_app(tmp_path_factory.mktemp("pdfapi"), 2, 2313, 2413) as app:
        yield app


def disposition(filename: str, ascii_filename: str) -> str:
    return f"attachment; filename=\"{ascii_filename}\"; filename*=UTF-8''{quote(filename, safe='')}"


# --- the pool at work ------------------------------------------------------------------------

def test_work_plan_as_pdf(client, sample_data):
    resp = post(client, "/api/v1/documents/work_plan?format=pdf", sample_data)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    assert resp.mimetype == "application/pdf"
    assert resp.headers["Content-Disposition"] == disposition(
        f"{ORG}-党员组织关系排查工作方案.pdf", "WJ017-work-plan.pdf")
    assert pages_of(resp.data)
    assert "党员组织关系排查工作方案" in squash(page_texts(resp.data)[0])


def test_a_table_as_pdf_is_named_like_the_workbook(client, sample_data):
    resp = post(client, "/api/v1/documents/member_roster?format=pdf", sample_data)
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert resp.headers["Content-Disposition"] == disposition(
        f"{ORG}-附件4-党员名册.pdf", "WJ017-att4-member-roster.pdf")
    assert "周建华" in squash(page_texts(resp.data)[0])


def test_print_packet_and_tables_zip_over_http(client, sample_data):
    resp = post(client, "/api/v1/packages/print", sample_data)
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert resp.headers["Content-Disposition"] == disposition(
        f"{ORG}-附件4-9打印版.pdf", "WJ017-att4-9-print.pdf")
    assert squash(page_texts(resp.data)[0]).startswith("附件4")

    resp = post(client, "/api/v1/packages/tables?format=pdf", sample_data)
    assert resp.status_code == 200 and resp.mimetype == "application/zip"
    assert resp.headers["Content-Disposition"] == disposition(
        f"{ORG}-党员组织关系排查相关表格.zip", "WJ017-tables.zip")
    names = zipfile.ZipFile(io.BytesIO(resp.data)).namelist()
    assert len(names) == 7 and all(n.startswith(ORG) and n.endswith(".pdf") for n in names)


def test_readyz_shows_the_running_pool_and_its_fonts(client, sample_data):
    assert post(client, "/api/v1/documents/work_plan?format=pdf", sample_data).status_code == 200
    resp = client.get("/readyz")
    assert resp.status_code == 200
    state = resp.get_json()
    assert state["ready"] is True
    pdf = state["pdf"]
    assert pdf["enabled"] and pdf["started"] and pdf["available"] and pdf["running"]
    assert pdf["fonts_ok"] is True, pdf["fonts"]
    assert [i["port"] for i in pdf["instances"]] == [PORT, PORT + 1]
    assert all(i["state"] == "up" and i["pid"] for i in pdf["instances"]), pdf["instances"]
    assert pdf["libreoffice_version"]


def test_metrics_has_conversion_seconds(client, sample_data):
    post(client, "/api/v1/documents/stage_summary?format=pdf", sample_data)
    text = client.get("/metrics").get_data(as_text=True)
    assert "paicha_pdf_conversion_seconds_bucket" in text
    assert 'paicha_pdf_conversion_seconds_count{kind="docx"}' in text


# --- the command line ------------------------------------------------------------------------

# --- without PDF -----------------------------------------------------------------------------

def test_pdf_switched_off_is_a_503_in_the_error_shape(tmp_path, sample_data):
    client = make_app(tmp_path, PDF_ENABLED=False).test_client()
    body = assert_error_shape(post(client, "/api/v1/documents/work_plan?format=pdf", sample_data), 503)
    assert body["code"] == "pdf_unavailable" and "LibreOffice" in body["message"]
    body = assert_error_shape(post(client, "/api/v1/packages/print", sample_data), 503)
    # Word is still there
    assert post(client, "/api/v1/documents/work_plan", sample_data).status_code == 200
    ready = client.get("/readyz").get_json()
    assert ready["ready"] is True and ready["pdf"] == {"enabled": False} and ready["database"]["ok"] is True


def test_no_libreoffice_on_the_machine_is_a_503_saying_what_to_install(tmp_path, sample_data, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice anywhere
    with pdf_app(tmp_path, 1, 2323, 2423) as app:
        client = app.test_client()
        body = assert_error_shape(post(client, "/api/v1/documents/work_plan?format=pdf", sample_data), 503)
        assert body["code"] == "pdf_unavailable"
        assert "libreoffice-writer-nogui" in body["message"] and "安装" in body["message"]
        pdf = client.get("/readyz").get_json()["pdf"]
        assert pdf["available"] is False


def test_a_configured_soffice_that_does_not_exist_is_a_503_saying_what_to_install(tmp_path, sample_data):
    with pdf_app(tmp_path, 1, 2333, 2433, SOFFICE="/nonexistent/soffice", PDF_DEADLINE=5.0,
                 PDF_QUEUE_TIMEOUT=3.0) as app:
        body = assert_error_shape(
            post(app.test_client(), "/api/v1/documents/work_plan?format=pdf", sample_data), 503)
        assert body["code"] == "pdf_unavailable", body
        assert "libreoffice-writer-nogui" in body["message"]


def test_a_busy_pool_answers_503_with_retry_after_instead_of_hanging(tmp_path, sample_data):
    with pdf_app(tmp_path, 1, 2363, 2463, PDF_QUEUE_TIMEOUT=1.0) as app:
        from service.pdf.runtime import converter_for

        pool = converter_for(app)
        assert pool.wait_ready(60)
        for inst in pool.instances:  # every instance in the middle of someone else's conversion
            inst.busy = True
        started = time.monotonic()
        resp = post(app.test_client(), "/api/v1/documents/work_plan?format=pdf", sample_data)
        assert time.monotonic() - started < 10
        body = assert_error_shape(resp, 503)
        assert body["code"] == "busy" and int(resp.headers["Retry-After"]) >= 1
        for inst in pool.instances:
            inst.busy = False
        assert post(app.test_client(), "/api/v1/documents/work_plan?format=pdf", sample_data).status_code == 200
