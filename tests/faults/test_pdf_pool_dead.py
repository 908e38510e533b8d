"""The LibreOffice pool dead: every instance of the app's own pool killed (SIGKILL to its process
group, as the OOM killer would), and LibreOffice then unable to start again (its binary, a wrapper
here, now exits at once). PDF requests answer 503 pdf_unavailable with Retry-After at once instead
of waiting out the queue timeout (set far beyond this test's patience); Word and Excel still come;
once LibreOffice starts again the supervisor brings the pool back and PDFs come again."""
from __future__ import annotations

import os
import shutil
import signal
import time

import pytest

from service.pdf.runtime import KEY
from tests.conftest import post
from tests.conftest_pdf import needs_soffice, pdf_app

pytestmark = needs_soffice


def wrapper(path, body: str) -> None:
    """Replace the soffice the pool starts (a new file, renamed over: never a half-written script)."""
    new = path.with_name(path.name + ".new")
    new.write_text("#!/bin/sh\n" + body + "\n")
    new.chmod(0o755)
    os.replace(new, path)


@pytest.fixture
def app(tmp_path):
    """The app's own pool of one (2613/2713), whose soffice is a wrapper the test can break (app.soffice)."""
    soffice = tmp_path / "soffice"
    wrapper(soffice, f'exec {shutil.which("soffice")} "$@"')
    with pdf_app(tmp_path, 1, 2613, 2713, SOFFICE=str(soffice), PDF_CONNECT_WAIT=10.0,
                 PDF_QUEUE_TIMEOUT=600.0) as app:
        app.soffice = soffice
        yield app


def test_a_dead_pool_answers_pdf_503_at_once_while_word_and_excel_still_work(app, sample_data):
    client = app.test_client()
    first = post(client, "/api/v1/documents/work_plan?format=pdf", sample_data)
    assert first.status_code == 200 and first.data.startswith(b"%PDF"), first.get_data(as_text=True)[:300]
    pool = app.extensions[KEY]
    [instance] = pool.instances

    wrapper(app.soffice, "exit 1")  # LibreOffice cannot start any more
    os.killpg(instance.pid, signal.SIGKILL)
    give_up = time.monotonic() + 120
    while instance.failed_starts == 0:  # the supervisor has tried to start it again, and failed
        assert time.monotonic() < give_up, pool.status()
        time.sleep(0.2)

    for path in ("/api/v1/documents/campaign_summary?format=pdf", "/api/v1/packages/print"):
        resp = post(client, path, sample_data)
        body = resp.get_json()
        assert (resp.status_code, body["code"]) == (503, "pdf_unavailable"), body  # not busy after the queue timeout
        assert resp.headers["Retry-After"] == "30" and "无法重新启动" in body["message"] and "Word/Excel" in body["message"]
    ready = client.get("/readyz").get_json()
    assert ready["pdf"]["ready"] is False, ready
    docx = post(client, "/api/v1/documents/campaign_summary", sample_data)
    assert docx.status_code == 200 and docx.data[:2] == b"PK"
    xlsx = post(client, "/api/v1/documents/member_roster", sample_data)
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"

    wrapper(app.soffice, f'exec {shutil.which("soffice")} "$@"')  # LibreOffice can start again
    assert pool.wait_ready(120), pool.status()
    back = post(client, "/api/v1/documents/campaign_summary?format=pdf", sample_data)
    assert back.status_code == 200 and back.data.startswith(b"%PDF")
