"""Every route of the app, from its URL map, with arguments that reach the view: the route tests
are generated from it, so a route added later is checked without anyone listing it."""
from __future__ import annotations

import io
import json

from service.intake.workbook import filled_workbook

SKIPPED_METHODS = {"HEAD", "OPTIONS"}  # Flask answers them for every rule itself
STATIC_FILES = {"static": "none.css", "web.static": "style.css", "swagger_ui_file": "swagger-ui.css"}


def upload(client, data: dict) -> str:
    """The sample branch uploaded as a clerk's workbook; the token of its result page."""
    resp = client.post("/upload", data={"file": (io.BytesIO(filled_workbook(data)), "数据采集表.xlsx")},
                       content_type="multipart/form-data")
    assert resp.status_code == 303, resp.data[:500]
    return resp.headers["Location"].rstrip("/").rsplit("/", 1)[-1]


def arguments(rule, token: str, code: str = "WJ017") -> dict:
    """A value for each of the rule's arguments; a new argument name fails here, naming itself."""
    known = {"token": token, "doc_id": "member_roster", "package_id": "tables",
             "filename": STATIC_FILES.get(rule.endpoint),
             "code": code, "n": 1, "m": 1,  # the sample branch, stored by the upload above
             "typed": "0000-0000", "batch_id": "0" * 32,  # an unknown batch: its 404
             "upload": "x" * 24,  # a roster waiting on the import page that nobody uploaded: its 404
             "deliverable": "tables",  # 报送 of the tables (no fields to fill first)
             "spot_id": "0" * 16, "archive_id": "0" * 16,  # an unknown draw and archive: their 404
             "id": 1, "invitation": 1, "response": 1}  # members' invitations and responses nobody made: their 404
    missing = [name for name in rule.arguments if known.get(name) is None]
    assert not missing, f"tests/http/routes.py: give {rule.rule} a value for {missing}"
    return {name: known[name] for name in rule.arguments}


LAST = ("access.logout",)  # signing out ends the session the other requests ride on


def every_route(app, token: str, code: str = "WJ017") -> list[tuple[str, str, str]]:
    """(method, url, endpoint) for each method of each rule; signing out last."""
    out = []
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        url = adapter.build(rule.endpoint, arguments(rule, token, code), force_external=False)
        for method in sorted(rule.methods - SKIPPED_METHODS):
            out.append((method, url, rule.endpoint))
    return sorted(out, key=lambda route: route[2] in LAST)


def roster(data: dict) -> bytes:
    """The dataset's members as a school's own roster (姓名, 公民身份号码, 工作岗位)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["姓名", "公民身份号码", "工作岗位"])
    for member in data["members"]:
        wb.active.append([member["name"], member["id_number"], member.get("job_post")])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def request(client, method: str, url: str, data: dict, **kwargs):
    """A request that reaches the view: the sample as JSON for a POST, a workbook for the upload, the
    sample's members as a roster for roster import."""
    if method == "POST" and url == "/upload":
        return client.post(url, data={"file": (io.BytesIO(filled_workbook(data)), "表.xlsx")},
                           content_type="multipart/form-data", **kwargs)
    if method == "POST" and (url.endswith("/roster") or url.startswith("/api/v1/rosters/")):
        form = {"file": (io.BytesIO(roster(data)), "花名册.xlsx")}
        if url == "/roster":
            form["code"] = data["org"]["code"]  # the district names the branch; a clerk's is their own
        return client.post(url, data=form, content_type="multipart/form-data", **kwargs)
    if method == "POST" and url.endswith("/submit"):  # a 报送: of the newest valid version
        return client.post(url, json={}, **kwargs)
    if method == "POST" and url.startswith("/api/v1/branches/") and url.endswith(("/invitations", "/return")):
        body = {} if url.endswith("/invitations") else {"reason": "请核对联系电话"}  # every member; a reason
        return client.post(url, json=body, **kwargs)
    if method == "POST" and url.startswith("/members/responses/"):  # the clerk's page returns a member's answer
        return client.post(url, data={"decision": "return", "reason": "请核对联系电话", "code": data["org"]["code"]},
                           **kwargs)
    if method in ("POST", "PUT"):
        return client.open(url, method=method, data=json.dumps(data, ensure_ascii=False),
                           content_type="application/json", **kwargs)
    return client.open(url, method=method, **kwargs)
