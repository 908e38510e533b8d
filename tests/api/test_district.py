"""/api/v1/district/… on SQLite and PostgreSQL: the totals tables, the findings overview and the zip of
every branch's 核查情况, read back as a district clerk would open them."""
from __future__ import annotations

import io
import subprocess
import zipfile
from datetime import datetime, timezone
from urllib.parse import quote

import docx
import openpyxl
import pytest
from sqlalchemy import func, select

from service.documents import district as files
from service.documents import render
from service.domain import catalog
from service.store import artifacts_of, database
from service.store.models import Artifact
from tests.conftest import FakeConverter
from tests.store.test_district import DAY, district_db  # noqa: F401  (fixture)

NOW = datetime(2023, 7, 12, 1, 30, tzinfo=timezone.utc)  # 9:30 on 7月12日, Beijing
REPORTS = ["WJ001-星河实验小学党支部-核查情况.docx", "WJ002-湖塘桥实验小学党支部-核查情况.docx",
           "WJ003-礼嘉中心小学党支部-核查情况.docx", "WJ005-武进区湖塘实验中学党总支部-核查情况.docx"]


@pytest.fixture
def app_settings(db_url):
    return {"DATABASE_URL": db_url, "CLOCK": lambda: NOW}


def filename(response) -> str:
    disposition = response.headers["Content-Disposition"]
    return disposition.split("filename*=UTF-8''", 1)[1]


@pytest.mark.parametrize("doc_id", catalog.DISTRICT_TABLE_IDS)
def test_the_tables_are_downloads_named_for_the_district(client, app, district_db, doc_id):
    resp = client.get(f"/api/v1/district/{doc_id}")
    assert resp.status_code == 200 and resp.mimetype == catalog.MIMETYPES["xlsx"]
    name = f"武进区教育系统-{catalog.file_title(doc_id)}-20230712.xlsx"
    assert filename(resp) == quote(name, safe="")
    assert resp.data == files.table_xlsx(database(app), doc_id, DAY).data  # the same bytes for the same day
    ws = openpyxl.load_workbook(io.BytesIO(resp.data)).active
    assert ws["A7"].value == "星河实验小学党支部"
    assert client.get(f"/api/v1/district/{doc_id}?format=xlsx").data == resp.data


def test_pdf_and_formats_are_answered_not_crashed(client, district_db):
    off = client.get("/api/v1/district/campaign_summary?format=pdf")
    assert off.status_code == 503 and off.get_json()["code"] == "pdf_unavailable"
    wrong = client.get("/api/v1/district/campaign_summary?format=docx")
    assert wrong.status_code == 400 and wrong.get_json()["code"] == "unsupported_format"
    assert client.get("/api/v1/district/verification_reports?format=xlsx").get_json()["code"] == "unsupported_format"


def test_a_table_pdf_is_converted_once_and_kept(app, district_db):
    converter = FakeConverter()
    db, artifacts = database(app), artifacts_of(app)
    first = files.table(db, artifacts, "campaign_summary", "pdf", converter, NOW)
    again = files.table(db, artifacts, "campaign_summary", "pdf", converter, NOW)
    assert len(converter.calls) == 1 and converter.calls[0][0] == "xlsx"
    assert again.data == first.data and first.filename == "武进区教育系统-附件9-党员组织关系排查工作情况汇总表-20230712.pdf"


def test_findings_overview(client, district_db):
    resp = client.get("/api/v1/district/findings")
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["generated_at"] == NOW.isoformat()
    assert [b["code"] for b in body["branches"]] == ["WJ001", "WJ002", "WJ003", "WJ004", "WJ005"]
    wj003 = body["branches"][2]
    assert (wj003["latest_version"], wj003["latest_valid"], wj003["errors"], wj003["valid_version"]) == (2, False, 2, 1)
    assert body["totals"]["unidentified"] == 1 and body["totals"]["without_valid"] == 1
    assert body["totals"]["warnings"] == sum(b["warnings"] for b in body["branches"]) > 0


def listed(data: bytes, tmp_path) -> dict[str, list[str]]:
    """The zip's entry names as unzip, 7-Zip and bsdtar list them."""
    path = tmp_path / "reports.zip"
    path.write_bytes(data)
    run = lambda *args: subprocess.run(args, capture_output=True, text=True, check=True, timeout=60).stdout  # noqa: E731
    seven = [line[len("Path = "):] for line in run("7z", "l", "-slt", "-ba", str(path)).splitlines()
             if line.startswith("Path = ")]
    return {"unzip": run("unzip", "-Z1", str(path)).splitlines(), "7z": seven,
            "bsdtar": run("bsdtar", "-tf", str(path)).splitlines()}


def test_every_branchs_verification_report_in_one_zip_listed_by_every_tool(client, app, district_db, tmp_path,
                                                                             monkeypatch):
    resp = client.get("/api/v1/district/verification_reports")
    assert resp.status_code == 200 and resp.mimetype == "application/zip"
    assert filename(resp) == quote("武进区教育系统-核查情况-20230712.zip", safe="")
    for tool, names in listed(resp.data, tmp_path).items():
        assert names == REPORTS, tool
    with zipfile.ZipFile(io.BytesIO(resp.data)) as zf:
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(zf.read(REPORTS[1]))).paragraphs)
    assert district_db["WJ002"]["org"]["full_name"] in text
    with database(app).reading() as session:
        kept = session.scalar(select(func.count()).select_from(Artifact).where(Artifact.target == "verification_report"))
    assert kept == 4

    def no_rendering(*args, **kwargs):
        raise AssertionError("a kept 核查情况 was rendered again")

    monkeypatch.setattr(render, "render_document", no_rendering)
    assert client.get("/api/v1/district/verification_reports").data == resp.data


def test_verification_reports_as_pdf_convert_each_branch_once(app, district_db):
    converter = FakeConverter()
    first = files.verification_reports(database(app), artifacts_of(app), "pdf", converter, NOW)
    assert len(converter.calls) == 4
    again = files.verification_reports(database(app), artifacts_of(app), "pdf", converter, NOW)
    assert len(converter.calls) == 4 and again.data == first.data
    assert zipfile.ZipFile(io.BytesIO(first.data)).namelist() == [n.replace(".docx", ".pdf") for n in REPORTS]


def test_an_empty_district(client):
    resp = client.get("/api/v1/district/verification_reports")
    assert resp.status_code == 409 and resp.get_json()["code"] == "no_valid_version"
    ws = openpyxl.load_workbook(io.BytesIO(client.get("/api/v1/district/campaign_summary").data)).active
    total = next(c.row for c in ws["A"] if c.value == "合计")
    assert [ws.cell(row=total, column=c).value for c in range(2, 5)] == [0, 0, 0]
    assert ws.cell(row=total + 1, column=1).value == "说明：尚无党组织报送数据。"
    body = client.get("/api/v1/district/findings").get_json()
    assert body["branches"] == [] and body["totals"]["branches"] == 0
