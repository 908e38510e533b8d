"""Who reaches what, for every route of the URL map (tests/http/routes.py builds the requests, so a
route added later is checked without anyone listing it), on SQLite and on PostgreSQL:

- nobody signed in: the API answers 401 in the one error shape with WWW-Authenticate: Bearer, a page
  sends the browser to /login?next=<where it was going>;
- a revoked or an expired token: 401 (invalid_token) on the API, /login for a page;
- a clerk of branch A, signed in, and a token scoped to branch A: everything of A is reached;
  anything of branch B is 404, the very answer for a branch or a result link that does not exist;
  a dataset of B posted to the stateless API is 403; the district's own routes are 403;
- district staff, signed in or by token: every route is reached, for A and for B.
"""
from __future__ import annotations

import copy
import re

import pytest

from service.access.policy import BRANCH, DATASET, DISTRICT, MEMBER, POLICY, PUBLIC, SUBMISSION, rule_for
from service.store import database
from service.store.models import Submission
from tests.http.routes import every_route, request, upload
from tests.principals import account, csrf_of, signed_in, token

A, B, NOBODY = "WJ017", "WJ018", "WJ099"  # the clerk's branch, another stored one, one that does not exist
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
# routes of one branch that name an invitation or a member's response by id: whether one was made by the
# time they are called depends on the order, so they may answer the 404 of an unknown one
# (tests/api/test_invitations.py and tests/web/test_member_pages.py reach them)
NOT_MADE = {"invitations.renew", "invitations.revoke", "invitations.accept", "invitations.give_back",
            "web.members_renew", "web.members_decide"}


def of_branch(data: dict, code: str) -> dict:
    out = copy.deepcopy(data)
    out["org"]["code"] = code
    return out


@pytest.fixture
def app_settings(db_url):
    return {"DATABASE_URL": db_url}


@pytest.fixture
def stored(app, sample_data):
    """Branches A and B stored by the district (a version each through the API, an upload each
    through the page); the result tokens of the uploads."""
    district = app.test_client()
    tokens = {}
    for code in (A, B):
        assert district.put(f"/api/v1/branches/{code}/dataset", json=of_branch(sample_data, code)).status_code == 201
        tokens[code] = upload(district, of_branch(sample_data, code))
    return tokens


class Principal:
    """A client as one kind of caller, and how it sends a request that changes something."""

    def __init__(self, client, session: bool):
        self.client = client
        self.csrf = csrf_of(client.get("/").get_data(as_text=True)) if session else None

    def send(self, method: str, url: str, data: dict):
        headers = {"X-CSRFToken": self.csrf} if self.csrf and method in UNSAFE else {}
        return request(self.client, method, url, data, headers=headers)


def same(text: str) -> str:
    """A page without what differs on every rendering of it (the sign-out form's CSRF token)."""
    return re.sub(r'name="csrf_token" value="[^"]+"', 'name="csrf_token" value=""', text)


def bearer_client(app, secret: str):
    client = app.test_client(anonymous=True)
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return client


def api(url: str) -> bool:
    return url.startswith("/api/")


def routes(app, stored, code, signing_out: bool = True):
    """Every route with the arguments of this branch (signing out, which ends a session, is last or left out)."""
    found = every_route(app, stored[code] if code in stored else "x" * 24, code)
    return found if signing_out else [route for route in found if route[2] != "access.logout"]


def test_nobody_signed_in_gets_401_or_the_login_page(app, stored, sample_data):
    client = app.test_client(anonymous=True)
    for method, url, endpoint in routes(app, stored, A):
        resp = request(client, method, url, sample_data)
        if rule_for(endpoint).access in (PUBLIC, MEMBER):  # a member's link is its own key
            assert resp.status_code not in (401, 403), (method, url)
        elif api(url):
            assert resp.status_code == 401, (method, url, resp.status_code)
            body = resp.get_json()
            assert body == {"code": "unauthorized", "status": 401, "errors": [], "message": body["message"]}
            assert "请先登录" in resp.get_json()["message"]
            assert resp.headers["WWW-Authenticate"] == 'Bearer realm="paicha"'
        else:
            assert resp.status_code == (302 if method == "GET" else 303), (method, url, resp.status_code)
            assert resp.headers["Location"] == f"/login?next={url}", resp.headers["Location"]


@pytest.mark.parametrize("kind", ["revoked", "expired"])
def test_a_revoked_or_expired_token_is_refused_everywhere(app, stored, sample_data, kind, monkeypatch):
    secret = token(app, A, name=f"old-{kind}", expires_days=1)
    if kind == "revoked":
        from datetime import datetime, timezone

        from service.access import tokens

        with database(app).writing() as session:
            tokens.revoke(session, f"old-{kind}", datetime.now(timezone.utc))
    else:  # a day later
        from datetime import datetime, timedelta, timezone

        later = datetime.now(timezone.utc) + timedelta(days=1, seconds=1)
        app.config["CLOCK"] = lambda: later
    client = bearer_client(app, secret)
    for method, url, endpoint in routes(app, stored, A):
        if rule_for(endpoint).access in (PUBLIC, MEMBER):  # a member's link ignores any Authorization
            continue
        resp = request(client, method, url, sample_data)
        if api(url):
            assert resp.status_code == 401, (method, url)
            assert "无效、已过期或已被吊销" in resp.get_json()["message"]
            assert resp.headers["WWW-Authenticate"] == 'Bearer realm="paicha", error="invalid_token"'
        else:
            assert resp.status_code in (302, 303) and resp.headers["Location"].startswith("/login?next="), (method, url)


def clerk_and_branch_token(app):
    account(app, "wj017", "clerk", A)
    return {"clerk": Principal(signed_in(app, "wj017"), session=True),
            "branch token": Principal(bearer_client(app, token(app, A, name="school-system")), session=False)}


def district_principals(app):
    account(app, "zhang", "district")
    return {"district staff": Principal(signed_in(app, "zhang"), session=True),
            "district token": Principal(bearer_client(app, token(app, name="district-system")), session=False)}


def test_a_clerk_and_a_branch_token_reach_their_branch_and_nothing_of_another(app, stored, sample_data):
    for who, principal in clerk_and_branch_token(app).items():
        own = {(m, e): principal.send(m, u, of_branch(sample_data, A)) for m, u, e in routes(app, stored, A, False)}
        for (method, endpoint), resp in own.items():
            access = rule_for(endpoint).access
            if access == DISTRICT:
                assert resp.status_code == 403, (who, method, endpoint, resp.status_code)
                if resp.mimetype == "application/json":
                    assert resp.get_json()["code"] == "forbidden" and "仅限区委教育工委" in resp.get_json()["message"]
                else:
                    assert "无权访问" in resp.get_data(as_text=True)
            else:
                assert resp.status_code not in (401, 403), (who, method, endpoint, resp.status_code)
                if access in (BRANCH, SUBMISSION, DATASET):
                    assert resp.status_code < 400 or endpoint in NOT_MADE and resp.status_code == 404, (
                        who, method, endpoint, resp.status_code)
        others = {(m, e): (u, principal.send(m, u, of_branch(sample_data, B)))
                  for m, u, e in routes(app, stored, B, False)}
        missing = {(m, e): (u, principal.send(m, u, of_branch(sample_data, NOBODY)))
                   for m, u, e in routes(app, stored, NOBODY, False)}
        for key, (url, resp) in others.items():
            access = rule_for(key[1]).access
            if access in (BRANCH, SUBMISSION):
                assert resp.status_code == 404, (who, key, resp.status_code)
                nowhere_url, nowhere = missing[key]
                seen = same(resp.get_data(as_text=True).replace(B, "?").replace(stored[B], "?"))
                expected = nowhere.get_data(as_text=True).replace(NOBODY, "?").replace("x" * 24, "?")
                assert seen == same(expected), (who, key)
            if access == DATASET:
                assert resp.status_code == 403, (who, key, resp.status_code)
                assert f"「{B}」不是您可以报送的支部" in resp.get_json()["message"]


def test_district_staff_reach_every_route_of_every_branch(app, stored, sample_data):
    for who, principal in district_principals(app).items():
        for code in (A, B):
            for method, url, endpoint in routes(app, stored, code, signing_out=code == B):
                resp = principal.send(method, url, of_branch(sample_data, code))
                assert resp.status_code not in (401, 403), (who, method, url, resp.status_code)
                assert resp.status_code < 500, (who, method, url, resp.status_code)
                if rule_for(endpoint).access in (BRANCH, SUBMISSION, DATASET):
                    assert resp.status_code < 400 or endpoint in NOT_MADE and resp.status_code == 404, (
                        who, method, url, resp.status_code)


def test_a_clerk_cannot_upload_another_branchs_workbook_and_nothing_is_stored(app, stored, sample_data):
    clerk = clerk_and_branch_token(app)["clerk"]
    with database(app).reading() as session:
        before = session.query(Submission).count()
    import io

    from service.intake.workbook import filled_workbook

    other = filled_workbook(of_branch(sample_data, B))
    resp = clerk.client.post("/upload", data={"file": (io.BytesIO(other), "表.xlsx"), "csrf_token": clerk.csrf},
                             content_type="multipart/form-data")
    assert resp.status_code == 403
    html = resp.get_data(as_text=True)
    assert f"填的是支部「{B}」的数据，您的账号只能报送支部「{A}」的数据" in html and "文件未保存" in html
    assert 'name="file"' in html  # the form again, to choose the right file
    with database(app).reading() as session:
        assert session.query(Submission).count() == before
    own = clerk.client.post("/upload", data={"file": (io.BytesIO(filled_workbook(sample_data)), "表.xlsx"),
                                             "csrf_token": clerk.csrf}, content_type="multipart/form-data")
    assert own.status_code == 303 and clerk.client.get(own.headers["Location"]).status_code == 200
    with database(app).reading() as session:
        latest = session.query(Submission).order_by(Submission.id.desc()).first()
        assert (latest.actor, latest.version, latest.source) == ("wj017", 3, "upload")


def test_a_submission_without_a_branch_belongs_to_its_uploader_and_the_district(app, stored):
    import io

    principals = clerk_and_branch_token(app)
    clerk = principals["clerk"]
    resp = clerk.client.post("/upload", data={"file": (io.BytesIO(b'{"org": {}}'), "包.json"), "csrf_token": clerk.csrf},
                             content_type="multipart/form-data")
    assert resp.status_code == 303
    page = resp.headers["Location"]
    assert clerk.client.get(page).status_code == 200
    account(app, "wj018", "clerk", B)
    assert signed_in(app, "wj018").get(page).status_code == 404  # another clerk: as if it did not exist
    assert principals["branch token"].client.get(page).status_code == 404  # not its uploader either
    assert app.test_client().get(page).status_code == 200  # the district


def test_every_endpoint_is_named_in_the_policy(app):
    unnamed = sorted({rule.endpoint for rule in app.url_map.iter_rules()} - set(POLICY))
    assert unnamed == [], f"name these endpoints in service/access/policy.py: {unnamed}"


def test_the_policy_agrees_with_what_each_route_takes(app):
    """A route of one branch (<code>) or of a stored submission (<token>) cannot be open to everyone."""
    for rule in app.url_map.iter_rules():
        access = rule_for(rule.endpoint).access
        if "code" in rule.arguments:
            assert access in (BRANCH, DISTRICT), rule.rule
        if "token" in rule.arguments:  # a result page's, or a member's link
            assert access in (SUBMISSION, DISTRICT, MEMBER), rule.rule
    for endpoint in ("versions.review", "branches.list_branches", "district.outgoing_summary",
                     "district.campaign_summary", "district.findings", "district.verification_reports",
                     "audit.events", "access.audit_page", "verify.verify"):
        assert rule_for(endpoint).access == DISTRICT, endpoint
    assert {e for e, r in POLICY.items() if r.access == PUBLIC} == {
        "health.healthz", "health.readyz", "health.metrics", "api-docs.openapi_json", "api-docs.openapi_swagger_ui",
        "swagger_ui_file", "static", "web.static", "access.login"}


def test_a_route_the_policy_does_not_name_is_the_districts_only(app):
    """What a batch endpoint, or any route added later, gets before anyone names it."""
    def start_batch():
        return {"started": True}, 202

    app.add_url_rule("/api/v1/batches-not-named", "batches.not_named", start_batch, methods=["POST"])
    assert app.test_client(anonymous=True).post("/api/v1/batches-not-named").status_code == 401
    branch = bearer_client(app, token(app, A, name="school"))
    resp = branch.post("/api/v1/batches-not-named")
    assert resp.status_code == 403 and resp.get_json()["code"] == "forbidden"
    assert app.test_client().post("/api/v1/batches-not-named").status_code == 202


def test_a_session_must_send_its_csrf_token_and_a_bearer_token_need_not(app, stored, sample_data):
    clerk = clerk_and_branch_token(app)["clerk"]
    refused = clerk.client.post("/api/v1/validate", json=sample_data)
    assert refused.status_code == 400 and refused.get_json()["code"] == "csrf_failed"
    assert "页面已过期" in refused.get_json()["message"]
    sent = clerk.client.post("/api/v1/validate", json=sample_data, headers={"X-CSRFToken": clerk.csrf})
    assert sent.status_code == 200
    import io

    page = clerk.client.post("/upload", data={"file": (io.BytesIO(b"{}"), "a.json")},
                             content_type="multipart/form-data")
    assert page.status_code == 400 and "页面已过期" in page.get_data(as_text=True)
    assert bearer_client(app, token(app, A)).post("/api/v1/validate", json=sample_data).status_code == 200
