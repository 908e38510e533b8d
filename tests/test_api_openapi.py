"""The OpenAPI document tells the truth: schemathesis against the real app, and the document read by hand.

The bounded run (schemathesis, in-process over WSGI: no network at all) sends the document's examples,
its coverage cases (boundaries, undeclared methods, negative values) and generated bodies to every
operation, with every one of schemathesis's default checks: no 5xx, every status code, content type,
response body and header as documented, 405 with Allow for an undeclared method, a request that breaks
the document refused and one that keeps it accepted, auth not ignored. A request that keeps the document
may be refused only by a cross-field rule its operation's description names, with that rule's status and
code — and for the dataset, only when every error is one of the rules the Dataset description names.
"""
from __future__ import annotations

import json
import re
import tempfile
import time
from collections import Counter
from pathlib import Path

import jsonschema_rs
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.core.failures import FailureGroup
from schemathesis.generation.modes import GenerationMode
from schemathesis.openapi.checks import RejectedPositiveData
from schemathesis.specs.openapi.adapter.parameters import ParameterLocation

from schemas.dataset import CROSS_FIELD_RULES
from schemas.example import EXAMPLE
from schemas.fields import BLANK_PATTERN
from service.api.openapi import REFUSALS
from service.domain import catalog, delivery, figures
from service.http.errors import CODES
from tests.conftest import SAMPLE_PATH, FakeConverter, make_app, post
from tests.principals import token

SPEC_PATH = "/api/v1/openapi.json"
MAX_EXAMPLES = 40  # generated bodies per operation, after the examples and the coverage cases

# Every cross-field rule of schemas/rules.py (and the ID check of service.domain.idcard), by the path
# it reports and its message: the only reasons a body that keeps the JSON Schema may get a 422.
M = r"members\[\d+\]"
CROSS_FIELD_ERRORS = [
    (rf"{M}\.id_number", r"^公民身份号码校验位错误|^公民身份号码第7–14位.*不是有效的出生日期|^公民身份号码重复"),
    (rf"{M}\.gender", r"与公民身份号码不符"),
    (rf"{M}\.birth_date", r"与公民身份号码中的出生日期 .* 不符"),
    (rf"{M}\.join_date", r"时未满18周岁"),
    (rf"{M}\.full_member_date", r"^预备党员不应填写转正时间$|^缺少必填项：正式党员须填写转正时间$|应晚于入党时间|超过入党时间后2年"),
    (rf"{M}\.lost_contact\.since", r"^缺少失去联系时间"),
    (rf"{M}\.lost_contact", r"不足6个月，不属于失联党员$"),
    (rf"{M}\.lost_contact\.situation_note", r"失去联系情形为「其他」时须填写|时不应填写情形说明"),
    (rf"{M}\.lost_contact\.contacted_date", r"取得联系的须填写取得联系时间|「无法取得联系」时不应填写"),
    (rf"{M}\.lost_contact\.search_record", r"无法取得联系的须填写至少一条查找记录|「取得联系」时不应填写查找记录"),
    (rf"{M}\.lost_contact\.handling", r"不是「.*」的处理情况"),
    (rf"{M}\.hanging\.(resolution|resolved_date)", r"已理顺的须填写|未理顺（resolved 为 false）时不应填写"),
    (rf"{M}\.outgoing\.destination\.province", r"国内的外出地点须填写省份"),
    (r"work_plan\.schedule\[\d+\]\.end", r"早于开始日期"),
    (r"org\.code", r"^学校党组织编号「.*」与地址中的支部编号「.*」不一致$"),  # PUT /branches/{code}/dataset
    (r"reason", r"^退回修改须写明原因$"),  # POST …/review: the operation's description names it
]


# The register's and the campaign's rules JSON Schema cannot state (PUT /api/v1/register, /campaign)
REGISTER_RULES = [
    (r"branches\[\d+\]\.code", r"^编号「.*」与第\d+个党组织重复$"),
    (r"branches\[\d+\]\.merged_into", r"^状态为合并时须写明|^只有状态为合并时才填|^不能并入自己$"),
    (r"branches\[\d+\]\.phone", r"."),  # keeps the printed forms' pattern, yet is no number (phonenumbers)
    (r"branches\[\d+\]\.emails\[\d+\]", r"^电子邮箱格式不对"),
    (r"deadlines\.final_report", r"^四项期限应依次不早于前一项"),
]


def cross_field(error: dict) -> bool:
    return any(re.fullmatch(path, error["path"]) and re.search(message, error["message"])
               for path, message in CROSS_FIELD_ERRORS)


# ---- the bounded run ------------------------------------------------------------------------------------

CONFIG = {  # no `checks`: schemathesis's defaults, every one of them, as they come
    "seed": 20230630,
    "cache": {"enabled": False},
    "generation": {"deterministic": True, "max-examples": MAX_EXAMPLES},
    "phases": {
        "examples": {"enabled": True},
        # boundaries, null, undeclared methods, wrong types and values in every place
        "coverage": {"enabled": True, "generation": {"mode": "all"}},
        "fuzzing": {"enabled": True, "generation": {"mode": "positive"}},
        "stateful": {"enabled": False},
    },
    # The Dataset body's negative coverage (≈600 cases an operation, wrong types and values in every
    # place) once, on /documents: the three other operations on the same body get its positive coverage
    # (boundaries, null, each optional key). test_undeclared_methods_are_405_with_allow checks every
    # path's undeclared methods, which schemathesis probes only where it runs negative coverage.
    "operations": [{"include-path": path, "phases": {"coverage": {"generation": {"mode": "positive"}}}}
                   for path in ("/api/v1/validate", "/api/v1/packages/{package_id}", "/api/v1/workbook",
                                "/api/v1/branches/{code}/dataset")],
}

CASES: Counter = Counter()  # (phase, status) → cases sent, for the summary test
RUN: dict = {"started": None, "cross-field 422s": 0, "documented refusals": Counter(), "failed": 0}


# The app and its document are made at import: schemathesis parametrizes the test per operation at
# collection (its fixture-based lazy loader does not work with pytest 9.2). PDF goes through the tests'
# fake converter, so that a PDF is answered as it is where LibreOffice runs (not a 503): this run is about
# the HTTP contract; the real conversion has tests of its own.
_INSTANCE = tempfile.TemporaryDirectory(prefix="paicha-openapi-")
APP = make_app(Path(_INSTANCE.name), RATE_LIMITS=False, PDF_ENABLED=True)  # thousands of cases from one token
APP.extensions["paicha.pdf_pool"] = FakeConverter()
TOKEN = token(APP, name="schemathesis")  # the run is the district's: every operation reaches its answers


def _stored_branch() -> None:
    """The examples' branch (WJ017) with two valid versions and a review, so the path examples of the
    branch, diff, package, workbook and verify operations reach their answers, not only their 404s."""
    client = APP.test_client()
    data = json.loads(SAMPLE_PATH.read_text(encoding="utf-8"))
    for version in (data, {**data, "org": {**data["org"], "contact_phone": "0519-86310612"}}):
        resp = client.put("/api/v1/branches/WJ017/dataset", json=version)
        assert resp.status_code == 201, resp.get_json()
    client.post("/api/v1/branches/WJ017/versions/1/review", json={"decision": "returned", "reason": "请核对联系电话"})


_stored_branch()
schema = schemathesis.openapi.from_wsgi(SPEC_PATH, APP, config=schemathesis.Config.from_dict(
    {**CONFIG, "headers": {"Authorization": f"Bearer {TOKEN}"}}))


def named_refusals(case) -> set[tuple[int, str]]:
    """(status, code) of each cross-field rule the operation's description names: 「…（422，code=invalid_batch…」."""
    description = case.operation.definition.raw.get("description", "")
    rules = description.split(REFUSALS, 1)[1] if REFUSALS in description else ""
    return {(int(status), code) for status, code in re.findall(r"（(\d{3})，code=(\w+)", rules)}


BRANCH_NOT_STORED = re.compile(r"^没有编号为「[A-Za-z0-9]{1,16}」的支部：该支部尚未报送过数据$")


def _offered(case) -> bool:
    """Whether the document or package of the path comes in the format asked."""
    fmt, ids = (case.query or {}).get("format"), case.path_parameters or {}
    item = catalog.DOCUMENTS.get(ids.get("doc_id")) or catalog.PACKAGES.get(ids.get("package_id"))
    return item is None or fmt is None or fmt in item.formats


# What each named refusal must look like, beyond its status and code
REFUSAL_SHAPES = {
    "invalid_dataset": lambda case, body: all(cross_field(e) for e in body["errors"]),
    "invalid_batch": lambda case, body: (all(BRANCH_NOT_STORED.match(e["message"]) for e in body["errors"])
                                         if body["errors"] else body["message"].startswith("还没有任何支部报送过数据")),
    "unsupported_format": lambda case, body: not _offered(case),
    "bad_upload": lambda case, body: not body["errors"],  # the file is neither a workbook nor a JSON dataset
    # the bytes are no roster (or mapping/sheet do not fit it): the message names what was found
    "bad_roster": lambda case, body: bool(body["message"]) and all(e["path"] == "mapping" for e in body["errors"]),
    # the register's and the campaign's cross-field rules, each at its place
    "invalid_register": lambda case, body: bool(body["errors"]) and all(
        any(re.fullmatch(path, e["path"]) and re.search(message, e["message"]) for path, message in REGISTER_RULES)
        for e in body["errors"]),
    "branch_has_submissions": lambda case, body: "撤销" in body["message"] and "合并" in body["message"],
    # a 阶段性小结 or 工作总结 sent before the fields it reports on are filled: errors name each one empty
    "incomplete_deliverable": lambda case, body: bool(body["errors"]) and {e["path"] for e in body["errors"]} <= {
        path for path, _ in delivery.REQUIRED.get(case.path_parameters["deliverable"], ())},
    # members invited by ID numbers the branch's data does not have: each named at its place, masked
    "unknown_member": lambda case, body: bool(body["errors"]) and all(
        re.fullmatch(r"id_numbers\[\d+\]", e["path"]) and "**********" in e["message"] for e in body["errors"]),
}


def documented_refusal(case, response, failure) -> bool:
    """A request that keeps the document, refused by a rule its operation's description names."""
    if not isinstance(failure, RejectedPositiveData):
        return False
    body = response.json()
    named = (response.status_code, body["code"]) in named_refusals(case)
    if not named or not REFUSAL_SHAPES[body["code"]](case, body):
        return False
    RUN["documented refusals"][(case.operation.label, response.status_code, body["code"])] += 1
    return True


def takes_a_dataset(case) -> bool:
    """The operation's body is the Dataset, whose cross-field rules the document names (a batch request's
    422 for a branch code nobody stored depends on the database, not on the schema)."""
    return "#/components/schemas/Dataset" in json.dumps(case.operation.definition.raw.get("requestBody", {}))


def body_keeps_schema(case) -> bool:
    component = (case.meta.components if case.meta else {}).get(ParameterLocation.BODY)
    return component is not None and component.mode == GenerationMode.POSITIVE


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_documented(case):
    RUN["started"] = RUN["started"] or time.monotonic()
    response = case.call()
    CASES[(case.meta.phase.name.value if case.meta else "?", response.status_code)] += 1
    try:
        case.validate_response(response)
    except FailureGroup as failures:
        if not all(documented_refusal(case, response, failure) for failure in failures.exceptions):
            RUN["failed"] += 1
            raise
    if response.status_code == 422 and case.operation.path.startswith("/api/v1/batches"):
        assert response.json()["code"] == "invalid_batch", response.text
    if response.status_code == 422 and case.method.upper() == case.operation.method.upper() and body_keeps_schema(case) \
            and takes_a_dataset(case):
        errors = response.json()["errors"]
        RUN["cross-field 422s"] += 1
        unnamed = [e for e in errors if not cross_field(e)]
        assert not unnamed, ("a body that keeps the schema was refused for a reason the document does not "
                             f"name: {unnamed}\nbody: {json.dumps(case.body, ensure_ascii=False)[:2000]}")


def test_the_run_was_a_real_one():
    """Runs after the generated test (file order): it sent a few hundred cases, in bounded time."""
    if not CASES:
        pytest.skip("the schemathesis run did not run (deselected)")
    seconds = time.monotonic() - RUN["started"]
    refused = RUN["documented refusals"]
    print(f"schemathesis {schemathesis.__version__}, default checks: {sum(CASES.values())} cases in "
          f"{seconds:.1f} s, {RUN['failed']} failed; {sum(refused.values())} requests that keep the document "
          "refused by a cross-field rule "
          f"their operation names ({RUN['cross-field 422s']} datasets): "
          + ", ".join(f"{op} {status} {code}: {n}" for (op, status, code), n in sorted(refused.items()))
          + "; by phase and status: "
          + ", ".join(f"{phase} {status}: {n}" for (phase, status), n in sorted(CASES.items())))
    assert sum(CASES.values()) >= 300 and RUN["cross-field 422s"] > 0 and RUN["failed"] == 0
    assert {200, 400, 404, 405, 422} <= {status for _, status in CASES}


# ---- the document read by hand -------------------------------------------------------------------------


@pytest.fixture
def spec(client):
    return client.get(SPEC_PATH).get_json()


def deref(spec: dict, node: dict) -> dict:
    if "$ref" not in node:
        return node
    out = spec
    for part in node["$ref"].lstrip("#/").split("/"):
        out = out[part]
    return out


ERROR_SHAPE = {"code": "string", "status": "integer", "message": "string", "errors": "array"}


def test_error_schema_is_the_body_actually_sent(client, spec, sample_data, app):
    schemas = spec["components"]["schemas"]
    error = schemas["Error"]
    assert {k: v["type"] for k, v in error["properties"].items()} == ERROR_SHAPE
    assert set(error["required"]) == set(ERROR_SHAPE) and error["additionalProperties"] is False
    item = deref(spec, error["properties"]["errors"]["items"])
    assert {k: v["type"] for k, v in item["properties"].items()} == {"path": "string", "message": "string"}
    assert set(error["properties"]["code"]["enum"]) == set(CODES)
    assert "DefaultError" not in schemas and "PaginationMetadata" not in schemas
    assert "responses" not in spec.get("components", {})

    bad = dict(sample_data, org={**sample_data["org"], "code": "WJ/017"})
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    answers = {
        404: post(client, "/api/v1/documents/nope", sample_data),
        422: post(client, "/api/v1/documents/member_roster", bad),
        400: client.post("/api/v1/documents/member_roster", data=b"{not json", content_type="application/json"),
        413: client.post("/api/v1/validate", data=b" " * (65 * 1024), content_type="application/json"),
    }
    for status, resp in answers.items():
        body = resp.get_json()
        assert resp.status_code == status and body["status"] == status
        assert {k: type(v).__name__ for k, v in body.items()} == {
            "code": "str", "status": "int", "message": "str", "errors": "list"}
        assert body["code"] in error["properties"]["code"]["enum"]
    assert [e["path"] for e in answers[422].get_json()["errors"]] == ["org.code"]


def test_every_operation_documents_its_errors_and_nothing_else(spec):
    ops = {(path, method): op for path, item in spec["paths"].items() for method, op in item.items()
           if method in ("get", "post", "put", "patch", "delete")}
    signed = {"401", "403"}  # every operation needs a principal (service.access.policy)
    limited = {"429"}  # the ones that count against a rate limit
    expected = {
        ("/api/v1/validate", "post"): {"200", "400", "413"} | signed | limited,
        ("/api/v1/documents/{doc_id}", "post"): {"200", "400", "404", "413", "422", "503"} | signed | limited,
        ("/api/v1/packages/{package_id}", "post"): {"200", "400", "404", "413", "422", "503"} | signed | limited,
        ("/api/v1/workbook", "get"): {"200"} | signed,
        ("/api/v1/workbook", "post"): {"200", "400", "413", "422"} | signed | limited,
        ("/api/v1/workbook/read", "post"): {"200", "400", "413"} | signed | limited,
        ("/api/v1/branches/{code}/dataset", "put"): {"201", "400", "404", "413", "422", "503"} | signed | limited,
        ("/api/v1/rosters/read", "post"): {"200", "400", "413", "422"} | signed | limited,
        ("/api/v1/branches/{code}/roster", "post"): {"200", "201", "400", "404", "413", "422", "503"} | signed | limited,
        ("/api/v1/branches", "get"): {"200", "400", "503"} | signed,
        ("/api/v1/branches/{code}", "get"): {"200", "404", "503"} | signed,
        ("/api/v1/branches/{code}/versions/{n}/diff/{m}", "get"): {"200", "404", "409", "503"} | signed,
        ("/api/v1/branches/{code}/versions/{n}/review", "post"): {"201", "400", "404", "409", "413", "422", "503"} | signed,
        ("/api/v1/branches/{code}/packages/{package_id}", "get"): {"200", "400", "404", "409", "503"} | signed | limited,
        ("/api/v1/branches/{code}/workbook", "get"): {"200", "404", "409", "503"} | signed | limited,
        ("/api/v1/branches/{code}/deliverables", "get"): {"200", "404", "503"} | signed,
        ("/api/v1/branches/{code}/deliverables/{deliverable}/submit", "post"):
            {"201", "400", "404", "409", "413", "422", "503"} | signed,
        ("/api/v1/verify/{typed}", "get"): {"200", "404", "503"} | signed,
        ("/api/v1/district/outgoing_summary", "get"): {"200", "400", "503"} | signed | limited,
        ("/api/v1/district/campaign_summary", "get"): {"200", "400", "503"} | signed | limited,
        ("/api/v1/district/findings", "get"): {"200", "503"} | signed,
        ("/api/v1/district/verification_reports", "get"): {"200", "400", "409", "503"} | signed | limited,
        ("/api/v1/audit", "get"): {"200", "400", "503"} | signed,
        ("/api/v1/reminders/run", "post"): {"200", "503"} | signed,
        ("/api/v1/reminders", "get"): {"200", "400", "503"} | signed,
        ("/api/v1/batches", "post"): {"202", "400", "413", "422", "503"} | signed | limited,
        ("/api/v1/batches/{batch_id}", "get"): {"200", "404", "503"} | signed,
        ("/api/v1/batches/{batch_id}/download", "get"): {"200", "404", "409", "507"} | signed | limited,
        ("/api/v1/campaign", "get"): {"200", "503"} | signed,
        ("/api/v1/campaign", "put"): {"200", "400", "413", "422", "503"} | signed,
        ("/api/v1/register", "get"): {"200", "503"} | signed,
        ("/api/v1/register", "put"): {"200", "400", "413", "422", "503"} | signed,
        ("/api/v1/register/{code}", "delete"): {"204", "404", "409", "503"} | signed,
        ("/api/v1/district/charts", "get"): {"200", "503"} | signed,
        ("/api/v1/district/spot-checks", "post"): {"201", "400", "409", "413", "422", "503"} | signed | limited,
        ("/api/v1/district/spot-checks", "get"): {"200", "503"} | signed,
        ("/api/v1/district/spot-checks/{spot_id}", "get"): {"200", "404", "503"} | signed,
        ("/api/v1/district/spot-checks/{spot_id}/checklist", "get"): {"200", "404", "503"} | signed | limited,
        ("/api/v1/district/archive", "post"): {"202", "409", "503"} | signed | limited,
        ("/api/v1/district/archive", "get"): {"200", "404", "409", "503"} | signed | limited,
        ("/api/v1/district/archive/{archive_id}", "get"): {"200", "404", "503"} | signed,
        ("/api/v1/branches/{code}/invitations", "post"): {"201", "400", "404", "413", "422", "503"} | signed,
        ("/api/v1/branches/{code}/invitations", "get"): {"200", "404", "503"} | signed,
        ("/api/v1/branches/{code}/invitations/{id}/renew", "post"): {"200", "404", "503"} | signed,
        ("/api/v1/branches/{code}/invitations/{id}/revoke", "post"): {"200", "404", "503"} | signed,
        ("/api/v1/branches/{code}/responses", "get"): {"200", "404", "503"} | signed,
        ("/api/v1/branches/{code}/responses/{id}/accept", "post"): {"201", "404", "409", "422", "503"} | signed,
        ("/api/v1/branches/{code}/responses/{id}/return", "post"): {"200", "400", "404", "409", "413", "422", "503"} | signed,
        # a member's own link: no account (no 401); 403 is a wrong X-Member-Check, 423 the lock, 410 the expiry
        ("/api/v1/self/{token}", "get"): {"200", "403", "404", "410", "423", "503"} | limited,
        ("/api/v1/self/{token}", "put"): {"200", "400", "403", "404", "410", "413", "422", "423", "503"} | limited,
    }
    assert {key: set(op["responses"]) for key, op in ops.items()} == expected
    for key, op in ops.items():
        for status, response in op["responses"].items():
            if not status.startswith("2"):
                assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
            if status in ("503", "429"):
                assert response["headers"]["Retry-After"]["schema"]["type"] == "integer"
        assert op["security"] == ([] if key[0].startswith("/api/v1/self/") else [{"bearerAuth": []}]), key


def test_enums_are_the_catalog(spec):
    def param(path, where, name):
        item = spec["paths"][path]
        params = item.get("parameters", []) + item["post"].get("parameters", [])
        return next(p for p in params if p["in"] == where and p["name"] == name)

    assert param("/api/v1/documents/{doc_id}", "path", "doc_id")["schema"]["enum"] == list(catalog.DOCUMENT_IDS)
    assert param("/api/v1/packages/{package_id}", "path", "package_id")["schema"]["enum"] == list(catalog.PACKAGE_IDS)
    assert param("/api/v1/documents/{doc_id}", "query", "format")["schema"]["enum"] == list(catalog.FORMATS)
    assert param("/api/v1/packages/{package_id}", "query", "format")["schema"]["enum"] == list(catalog.PACKAGE_FORMATS)


def test_the_document_names_what_its_schemas_cannot_say(spec):
    """Each refusal JSON Schema cannot state is named with its status and code in its operation's
    description; /validate says that it answers any JSON, unknown keys included, with 200."""
    def operation(path, method="post"):
        return spec["paths"][path][method]

    validate = operation("/api/v1/validate")
    assert "未知字段" in validate["description"] and "200" in validate["description"]
    body = validate["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"anyOf": [{"$ref": "#/components/schemas/Dataset"}, {}]}  # any JSON: the report lists the rest
    pdf_only = [p.id for p in catalog.PACKAGE_LIST if p.pdf_only]
    for path, method in (("/api/v1/packages/{package_id}", "post"),
                         ("/api/v1/branches/{code}/packages/{package_id}", "get")):
        op = operation(path, method)
        assert op["description"].startswith(REFUSALS)
        assert f"{'、'.join(pdf_only)} 只提供 pdf（400，code=unsupported_format）" in op["description"]
        (fmt,) = [p for p in op["parameters"] if p["name"] == "format"]
        assert f"{'、'.join(pdf_only)} 只有 pdf" in fmt["description"]
    named = {
        ("/api/v1/documents/{doc_id}", "post"): {"（400，code=unsupported_format）", "（422，code=invalid_dataset"},
        ("/api/v1/workbook", "post"): {"（422，code=invalid_dataset"},
        ("/api/v1/workbook/read", "post"): {"（400，code=bad_upload）"},
        ("/api/v1/branches/{code}/dataset", "put"): {"org.code 须与地址中的支部编号相同（422，code=invalid_dataset）"},
        ("/api/v1/branches/{code}/versions/{n}/review", "post"): {"（422，code=invalid_dataset）"},
        ("/api/v1/batches", "post"): {"（422，code=invalid_batch"},
        ("/api/v1/register", "put"): {"（422，code=invalid_register"},
        ("/api/v1/campaign", "put"): {"（422，code=invalid_register"},
        ("/api/v1/register/{code}", "delete"): {"（409，code=branch_has_submissions）"},
        ("/api/v1/branches/{code}/deliverables/{deliverable}/submit", "post"): {"（422，code=incomplete_deliverable）"},
    }
    for (path, method), phrases in named.items():
        description = operation(path, method)["description"]
        assert REFUSALS in description and all(phrase in description for phrase in phrases), path
    for path, item in spec["paths"].items():  # `?name=` is refused (bad_query): no query parameter's schema admits ""
        for op in (op for method, op in item.items() if method in ("get", "post", "put")):
            for param in (p for p in op.get("parameters", []) if p["in"] == "query"):
                assert not jsonschema_rs.validator_for(param["schema"], validate_formats=True).is_valid(""), (
                    path, param["name"])


def test_dataset_schema_carries_the_contract(spec):
    schemas = spec["components"]["schemas"]
    dataset, org, member = schemas["Dataset"], schemas["Org"], schemas["Member"]
    assert dataset["example"] == EXAMPLE == json.loads(SAMPLE_PATH.read_text(encoding="utf-8"))
    assert set(dataset["required"]) == {"schema_version", "org", "members"}
    assert dataset["properties"]["members"]["minItems"] == 1
    assert dataset["properties"]["schema_version"]["enum"] == ["1"]
    for rule in CROSS_FIELD_RULES:
        assert rule in dataset["description"]
    for name, obj in schemas.items():
        assert obj.get("additionalProperties") is False, name
    assert org["properties"]["code"]["pattern"] == "^[A-Za-z0-9]{1,16}$"
    ident = re.compile(member["properties"]["id_number"]["pattern"])
    assert ident.search("320412197204180239") and ident.search("32041219720418023x")
    assert not ident.search("32041219721318023X") and not ident.search("3204121972041802")
    phone = re.compile(org["properties"]["contact_phone"]["pattern"])
    assert phone.search("0519-86310611") and phone.search("13900087109") and not phone.search("12900087109")
    assert member["properties"]["name"]["maxLength"] == 30
    months = member["properties"]["last_dues_date"]["anyOf"]
    assert {"type": "string", "format": "date"} in months
    assert re.search(months[1]["pattern"], "2023-06") and not re.search(months[1]["pattern"], "2023-13")
    assert months[-1] == {"type": "string", "nullable": True, "enum": [None]}  # null allowed, nothing else
    assert member["properties"]["join_date"] == {**member["properties"]["join_date"], "type": "string", "format": "date"}
    assert member["properties"]["outgoing"]["anyOf"] == [  # an optional field takes blank text as absent
        {"$ref": "#/components/schemas/Outgoing"}, {"type": "string", "pattern": BLANK_PATTERN},
        {"type": "object", "nullable": True, "enum": [None]}]
    assert "nullable" not in member["properties"]["id_number"] and member["properties"]["phone"]["nullable"]


def test_validate_report_is_documented(client, spec, sample_data):
    report = spec["components"]["schemas"]["ValidationReport"]
    body = post(client, "/api/v1/validate", sample_data).get_json()
    assert set(report["properties"]) == set(body) == set(report["required"])
    figures_schema = deref(spec, report["properties"]["figures"]["anyOf"][0])
    for key, labels in (("outgoing_summary", figures.OUTGOING_LABELS), ("campaign_summary", figures.CAMPAIGN_LABELS)):
        props = deref(spec, figures_schema["properties"][key]["allOf"][0])["properties"]
        assert list(props) == list(labels) and set(props) == set(body["figures"][key])
    finding = deref(spec, report["properties"]["warnings"]["items"])
    assert set(finding["properties"]) == set(body["warnings"][0])


def test_undeclared_methods_are_405_with_allow(client, spec):
    methods = {"get", "put", "post", "delete", "patch"}
    for path, item in spec["paths"].items():
        declared = {m for m in item if m in methods}
        sample = {"doc_id": catalog.DOCUMENT_IDS[0], "package_id": catalog.PACKAGE_IDS[0], "code": "WJ017",
                  "n": "1", "m": "2", "typed": "7F3A-92C1", "batch_id": "0" * 32, "deliverable": "tables",
                  "spot_id": "0" * 16, "archive_id": "0" * 16, "id": "1", "token": "x" * 32}
        url = re.sub(r"\{(\w+)\}", lambda m: sample[m[1]], path)
        for method in sorted(methods - declared):
            resp = client.open(url, method=method.upper())
            assert resp.status_code == 405, (method, path)
            assert resp.get_json()["code"] == "method_not_allowed" and resp.mimetype == "application/json"
            allow = {m.strip().lower() for m in resp.headers["Allow"].split(",")}
            assert allow - {"head", "options"} == declared, (path, allow)


def test_swagger_ui_is_served_from_the_service(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert "/api/v1/docs/static/swagger-ui-bundle.js" in assets
    assert "http:" not in html and "https:" not in html, "no absolute or CDN URL in the page"
    assert all(asset.startswith("/api/v1/docs/static/") for asset in assets), assets
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == [], "no inline script (CSP script-src 'self')"
    init = "/api/v1/docs/static/paicha-swagger-init.js"
    assert assets[-1] == init  # the initializer runs after the bundle it starts
    for asset in assets:
        resp = client.get(asset)
        assert resp.status_code == 200, asset
        assert len(resp.data) > 1000 or asset == init
    assert b"SwaggerUIBundle(config)" in client.get(init).data
    assert client.get("/api/v1/docs/static/swagger-ui-bundle.js").mimetype == "text/javascript"
    assert client.get("/api/v1/docs/static/../openapi.json").status_code == 404


def test_dates_at_the_ends_of_the_calendar_are_answers_not_crashes(client, sample_data):
    """What the bounded run found: a month of year 0000, and 18 or 2 years after a date near 9999-12-31."""
    member = sample_data["members"][0]
    cases = [
        ({"last_dues_date": "0000-06"}, "members[0].last_dues_date", "日期无效"),
        ({"id_number": "x", "birth_date": "9999-01-01"}, "members[0].join_date", "时未满18周岁"),
    ]
    for change, path, message in cases:
        data = json.loads(json.dumps(sample_data))
        data["members"][0].update(change)
        resp = post(client, "/api/v1/documents/member_roster", data)
        assert resp.status_code == 422
        assert any(e["path"] == path and message in e["message"] for e in resp.get_json()["errors"])
    member.update(join_date="9998-06-01", full_member_date="9999-01-01")
    assert post(client, "/api/v1/validate", sample_data).get_json()["errors"] == []
