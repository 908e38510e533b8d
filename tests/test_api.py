"""The HTTP API as another system uses it: JSON in, named files and one error shape out."""
from __future__ import annotations

import io
import zipfile
from urllib.parse import quote

import openpyxl
from docx import Document

from tests.conftest import assert_error_shape, post

ORG = "WJ017-星河实验小学党支部"


def test_validate_sample_reports_figures_and_findings(client, sample_data):
    body = post(client, "/api/v1/validate", sample_data).get_json()
    assert body["valid"] is True and body["errors"] == []
    summary = body["figures"]["campaign_summary"]
    assert summary["A1"] == body["in_scope"] == 12
    assert summary["C1"] == body["figures"]["outgoing_summary"]["1"] == 2
    assert summary["E1"] == 2 and summary["E2"] == 1 and summary["E3"] == 1
    assert {w["rule"] for w in body["warnings"]} >= {"RECEIPT", "FLOW-TRANSFER"}


def test_validate_lists_every_error_with_paths(client, sample_data):
    sample_data["members"][0]["id_number"] = "320412197204180238"  # wrong check digit
    sample_data["members"][1]["gender"] = "男"  # contradicts the ID
    sample_data["org"]["code"] = "WJ/017"
    body = post(client, "/api/v1/validate", sample_data).get_json()
    assert body["valid"] is False and body["figures"] is None
    paths = {e["path"] for e in body["errors"]}
    assert {"members[0].id_number", "members[1].gender", "org.code"} <= paths


def test_validate_gives_the_code_the_documents_print(client, sample_data):
    """verification_code is the 校验码 in the documents' footers; null while the data is invalid."""
    code = post(client, "/api/v1/validate", sample_data).get_json()["verification_code"]
    roster = post(client, "/api/v1/documents/member_roster", sample_data)
    assert openpyxl.load_workbook(io.BytesIO(roster.data)).active.oddFooter.right.text == f"校验码 {code}"
    plan = Document(io.BytesIO(post(client, "/api/v1/documents/work_plan", sample_data).data))
    assert plan.sections[0].footer.paragraphs[0].text.startswith(f"校验码 {code}\t")
    sample_data["members"][2]["remarks"] = "已核实"
    other = post(client, "/api/v1/validate", sample_data).get_json()["verification_code"]
    assert other != code and len(other) == len(code) == 9
    sample_data["members"][0]["id_number"] = "320412197204180238"  # wrong check digit
    assert post(client, "/api/v1/validate", sample_data).get_json()["verification_code"] is None


def test_validate_array_is_an_invalid_dataset_not_a_crash(client):
    body = post(client, "/api/v1/validate", [1, 2]).get_json()
    assert body["valid"] is False and body["errors"][0]["path"] == ""


def test_body_that_is_not_json_is_400(client):
    resp = client.post("/api/v1/validate", data=b"{not json", content_type="application/json")
    assert_error_shape(resp, 400)


def test_body_over_the_limit_is_413(client, sample_data):
    sample_data["members"][0]["remarks"] = "备" * (10 * 1024 * 1024 // 3)
    assert_error_shape(post(client, "/api/v1/validate", sample_data), 413)


def test_unknown_document_is_404_in_the_error_shape(client, sample_data):
    body = assert_error_shape(post(client, "/api/v1/documents/nope", sample_data), 404)
    assert "member_roster" in body["message"]
    assert_error_shape(post(client, "/api/v1/packages/nope", sample_data), 404)


def test_invalid_dataset_is_422_with_every_error(client, sample_data):
    sample_data["members"] = []
    body = assert_error_shape(post(client, "/api/v1/documents/member_roster", sample_data), 422)
    assert body["errors"] and body["errors"][0]["path"] == "members"


def test_format_a_document_does_not_come_in_is_400(client, sample_data):
    assert_error_shape(post(client, "/api/v1/documents/work_plan?format=xlsx", sample_data), 400)


def test_download_names_are_exact_with_ascii_fallback(client, sample_data):
    resp = post(client, "/api/v1/packages/tables", sample_data)
    assert resp.status_code == 200
    name = f"{ORG}-党员组织关系排查相关表格.zip"
    cd = resp.headers["Content-Disposition"]
    assert cd == f"attachment; filename=\"WJ017-tables.zip\"; filename*=UTF-8''{quote(name)}"


def test_tables_zip_holds_the_seven_attachments_with_utf8_names(client, sample_data):
    data = post(client, "/api/v1/packages/tables", sample_data).data
    zf = zipfile.ZipFile(io.BytesIO(data))
    names = [i.filename for i in zf.infolist()]
    assert names == [
        f"{ORG}-附件3-党员基本情况登记表.docx",
        f"{ORG}-附件4-党员名册.xlsx",
        f"{ORG}-附件5-外出流动党员名册.xlsx",
        f"{ORG}-附件6-外出流动党员情况汇总表.xlsx",
        f"{ORG}-附件7-经排查取得联系党员登记表.xlsx",
        f"{ORG}-附件8-经排查无法取得联系党员登记表.xlsx",
        f"{ORG}-附件9-党员组织关系排查工作情况汇总表.xlsx",
    ]
    assert all(i.flag_bits & 0x800 for i in zf.infolist())
    assert zf.testzip() is None


def test_all_package_holds_the_four_deliverables_as_uploaded(client, sample_data):
    zf = zipfile.ZipFile(io.BytesIO(post(client, "/api/v1/packages/all", sample_data).data))
    assert [i.filename for i in zf.infolist()] == [
        f"{ORG}-党员组织关系排查工作方案.docx",
        f"{ORG}-党员组织关系排查相关表格.zip",
        f"{ORG}-阶段性小结.docx",
        f"{ORG}-党员组织关系排查工作总结.docx",
    ]
    inner = zipfile.ZipFile(io.BytesIO(zf.read(f"{ORG}-党员组织关系排查相关表格.zip")))
    assert len(inner.infolist()) == 7


def test_output_is_deterministic(client, sample_data):
    first = post(client, "/api/v1/packages/all", sample_data).data
    second = post(client, "/api/v1/packages/all", sample_data).data
    assert first == second


def _numbers_in_row_of(ws, label):
    for row in ws.iter_rows(values_only=True):
        if label in [str(v).strip() for v in row if v is not None]:
            return [v for v in row if isinstance(v, int)]
    raise AssertionError(f"no row labelled {label}")


def test_validate_figures_equal_the_numbers_in_the_summary_tables(client, sample_data):
    figures = post(client, "/api/v1/validate", sample_data).get_json()["figures"]
    for doc_id, key, codes in (
        ("outgoing_summary", "outgoing_summary", [str(i) for i in range(1, 19)]),
        ("campaign_summary", "campaign_summary", list(figures["campaign_summary"])),
    ):
        resp = post(client, f"/api/v1/documents/{doc_id}", sample_data)
        assert resp.status_code == 200
        ws = openpyxl.load_workbook(io.BytesIO(resp.data)).worksheets[0]
        expected = [figures[key][c] for c in codes]
        assert _numbers_in_row_of(ws, sample_data["org"]["name"]) == expected
        assert _numbers_in_row_of(ws, "合计") == expected


def test_template_code_and_markup_in_names_print_literally(client, sample_data):
    sample_data["members"][2]["name"] = "{{ 7*7 }}"
    sample_data["members"][3]["name"] = "<b>&</b>"
    sample_data["members"][4]["job_post"] = "{% if %}"
    roster = post(client, "/api/v1/documents/member_roster", sample_data)
    assert roster.status_code == 200, roster.get_json()
    cells = {str(c) for row in openpyxl.load_workbook(io.BytesIO(roster.data)).worksheets[0].iter_rows(values_only=True) for c in row}
    assert {"{{ 7*7 }}", "<b>&</b>", "{% if %}"} <= cells
    register = post(client, "/api/v1/documents/member_register", sample_data)
    texts = {c.text.strip() for t in Document(io.BytesIO(register.data)).tables for r in t.rows for c in r.cells}
    assert {"{{ 7*7 }}", "<b>&</b>"} <= texts and "49" not in texts


def test_openapi_documents_every_route(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    for path in ("/api/v1/validate", "/api/v1/documents/{doc_id}", "/api/v1/packages/{package_id}"):
        assert path in spec["paths"], path
    assert "Dataset" in spec["components"]["schemas"]
    assert client.get("/api/v1/docs").status_code == 200


def test_healthz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
