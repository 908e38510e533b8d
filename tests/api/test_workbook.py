"""/api/v1/workbook: blank and filled downloads, reading an upload back into the contract."""
from __future__ import annotations

import io
import json
from urllib.parse import quote

import openpyxl
import pytest

from service.intake.workbook import filled_workbook
from tests.conftest import make_app


def read(client, content: bytes, name="数据采集表.xlsx"):
    return client.post("/api/v1/workbook/read", data={"file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def test_blank_download_named_in_chinese_with_ascii_fallback(client):
    resp = client.get("/api/v1/workbook")
    assert resp.status_code == 200
    assert resp.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert resp.headers["Content-Disposition"] == (
        f"attachment; filename=\"paicha-workbook.xlsx\"; filename*=UTF-8''{quote('数据采集表.xlsx')}")
    assert "党员名册" in openpyxl.load_workbook(io.BytesIO(resp.data)).sheetnames


def test_filled_from_json_and_read_back(client, sample_data):
    resp = client.post("/api/v1/workbook", json=sample_data)
    assert resp.status_code == 200
    body = read(client, resp.data).get_json()
    assert body["errors"] == []
    assert body["dataset"] == sample_data
    assert any(w["rule"] == "FLOW-TRANSFER" and w["sheet"] == "外出流动" for w in body["warnings"])


def test_filled_refuses_invalid_json_with_paths(client, sample_data):
    sample_data["members"][0]["gender"] = "女"
    resp = client.post("/api/v1/workbook", json=sample_data)
    assert resp.status_code == 422
    assert resp.get_json()["errors"][0]["path"] == "members[0].gender"


def test_read_reports_cells(client, sample_data):
    wb = openpyxl.load_workbook(io.BytesIO(filled_workbook(sample_data)))
    wb["党员名册"]["E7"].value = "320412196802140295"
    out = io.BytesIO()
    wb.save(out)
    body = read(client, out.getvalue()).get_json()
    cells = {(e["sheet"], e["cell"]) for e in body["errors"]}
    assert ("党员名册", "E7") in cells
    first = next(e for e in body["errors"] if e["cell"] == "E7")
    assert first["message"].startswith("党员名册 第7行「公民身份号码」(E7)：公民身份号码校验位错误")
    assert first["path"] == "members[3].id_number" and first["row"] == 7 and first["column"] == "公民身份号码"


def test_read_json_upload(client, sample_data):
    sample_data["members"][2]["join_date"] = "2023-02-30"
    body = read(client, json.dumps(sample_data, ensure_ascii=False).encode(), "data.json").get_json()
    assert body["errors"][0]["path"] == "members[2].join_date"


@pytest.mark.parametrize("content, status", [(b"not a spreadsheet", 400), (b"PK\x03\x04broken", 400)])
def test_read_refuses_other_files(client, content, status):
    resp = read(client, content, "x.xlsx")
    assert resp.status_code == status
    body = resp.get_json()
    assert body["code"] == "bad_upload" and "\u4e00" <= body["message"][0] <= "\u9fff"


def test_read_without_file(client):
    resp = client.post("/api/v1/workbook/read", data={}, content_type="multipart/form-data")
    assert resp.status_code == 400 and "file" in resp.get_json()["message"]


def test_read_too_large(tmp_path):
    app = make_app(tmp_path, MAX_CONTENT_LENGTH=10_000)
    resp = read(app.test_client(), b"PK\x03\x04" + b"0" * 20_000)
    assert resp.status_code == 413
    assert resp.get_json()["code"] == "too_large"


def test_documented_in_openapi(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/workbook"])
    assert "multipart/form-data" in paths["/api/v1/workbook/read"]["post"]["requestBody"]["content"]
