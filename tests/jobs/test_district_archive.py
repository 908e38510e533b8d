"""The campaign archive with the real LibreOffice: POST /api/v1/district/archive starts a job on the
batch queue (in-process here: no Redis), GET answers 404 before any, 409 while the first is built,
then the zip — a folder per branch, every deliverable as PDF/A-2b (checked with service/pdf/pdfa.py),
the tables also as XLSX, manifest.csv whose hashes match the files; the second archive of unchanged
data converts nothing. Ports 5213+ (UNO 5313+)."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import time
import zipfile

import pytest

from service.clock import utcnow
from service.domain import catalog
from service.intake.received import from_json_body
from service.jobs.queue import runner_for
from service.pdf import pdfa
from service.store import archives, branches, database, deliveries, submissions
from tests.conftest import assert_error_shape, beijing
from tests.conftest_pdf import needs_soffice, pdf_app
from tests.web.district_data import NAMES, branch

pytestmark = needs_soffice
CODES = ("D001", "D002")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    with pdf_app(tmp_path_factory.mktemp("archive"), 2, 5213, 5313) as app:
        for code, when in zip(CODES, (beijing(2023, 6, 15, 9, 0), beijing(2023, 7, 20, 10, 30))):
            raw = json.dumps(branch(code, 3), ensure_ascii=False).encode()
            kept = submissions.submit(database(app), from_json_body(raw), "api", when)
            with database(app).writing() as session:  # 报送 of the 工作方案 and the tables only, when stored
                stored = branches.get(session, code)
                for deliverable in ("work_plan", "tables"):
                    deliveries.deliver(session, stored, deliverable, deliveries.pick(session, stored, kept.version),
                                       "tests", "api", when)
        yield app
        runner_for(app).stop()


def finished(client, location: str) -> dict:
    """Follow the job until it ends (it runs in this process's thread pool)."""
    for _ in range(1200):
        state = client.get(location).get_json()
        if state["state"] != "building":
            return state
        time.sleep(0.5)
    raise AssertionError(f"the archive did not finish: {state}")


def test_the_archive_is_built_once_and_kept(app):
    client = app.test_client()
    assert assert_error_shape(client.get("/api/v1/district/archive"), 404)["code"] == "no_archive"
    with database(app).writing() as session:  # a first archive being built (its job not started)
        building = archives.start(session, "测试", 2, utcnow()).token
    assert assert_error_shape(client.get("/api/v1/district/archive"), 409)["code"] == "not_ready"
    with database(app).writing() as session:
        archives.fail(session, building, "测试中止", utcnow())

    started = client.post("/api/v1/district/archive")
    assert started.status_code == 202 and started.get_json()["state"] == "building"
    state = finished(client, started.headers["Location"])
    assert state["state"] == "finished", state
    assert state["percent"] == 100 and state["done"] == 2 and state["converted"] > 0
    resp = client.get("/api/v1/district/archive")
    assert resp.status_code == 200 and resp.mimetype == "application/zip"
    zf = zipfile.ZipFile(io.BytesIO(resp.data))
    names = zf.namelist()
    for info in zf.infolist():  # UTF-8 names, read as such by Info-ZIP, 7-Zip, bsdtar and Windows
        assert info.create_system == 3 and (info.flag_bits & 0x800 or info.filename.isascii())
    assert sum(1 for info in zf.infolist() if info.flag_bits & 0x800) == len(names) - 1  # all but manifest.csv

    rows = list(csv.DictReader(io.StringIO(zf.read("manifest.csv").decode("utf-8-sig"))))
    assert {r["支部编号"] for r in rows} == set(CODES)
    assert sorted(r["文件"] for r in rows) == sorted(n for n in names if n != "manifest.csv")
    for r in rows:
        assert hashlib.sha256(zf.read(r["文件"])).hexdigest() == r["SHA-256"]
        assert r["文件"].startswith(f"{r['支部编号']}-{NAMES[r['支部编号']]}/")
        assert r["版本"] == "1" and len(r["校验码"]) == 9
    sent = [r for r in rows if r["材料"] in ("工作方案", "附件3—9")]
    unsent = [r for r in rows if r["材料"] in ("阶段性小结", "工作总结")]
    assert all(r["报送时间"] and not r["说明"] for r in sent)
    assert all(not r["报送时间"] and r["说明"] == "未报送，取最新有效版本" and "-未报送" in r["文件"] for r in unsent)
    assert next(r for r in sent if r["支部编号"] == "D002")["报送时间"].startswith("2023-07-20T10:30:00+08:00")
    pdfs = [n for n in names if n.endswith(".pdf")]
    xlsx = [n for n in names if n.endswith(".xlsx")]
    per_branch = 3 + len(catalog.PACKAGES["tables"].members)  # 工作方案, 阶段性小结, 工作总结, 附件3—9
    assert len(pdfs) == len(CODES) * per_branch
    assert len(xlsx) == len(CODES) * sum(1 for d in catalog.TABLE_IDS if catalog.DOCUMENTS[d].kind == "xlsx")
    for name in pdfs:
        report = pdfa.check(zf.read(name))
        assert report.ok, (name, report.problems)
        assert report.part == "2" and report.conformance.upper() == "B" and report.output_intent and report.fonts

    again = client.post("/api/v1/district/archive")
    second = finished(client, again.headers["Location"])
    assert second["state"] == "finished" and second["converted"] == 0  # every PDF/A kept by its content
    assert client.get("/api/v1/district/archive").data == resp.data
