"""Members check their own 登记表 through the API, on both databases: invitations (hashed tokens, masked ID
numbers, chosen members, another branch refused), the member's check and its lock, a change refused at its
field with nothing stored, a confirmation the clerk sees as a diff, accepts as the next version or returns
with a reason the member reads; the audit trail and the log never hold an ID number or a token."""
from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import undefer

from service.store import database
from service.store.access_tables import AuditEvent
from service.store.member_tables import Invitation, MemberResponse
from service.store.models import Branch, Submission
from tests.conftest import SAMPLE_PATH, assert_error_shape, make_app
from tests.databases import count_rows
from tests.principals import bearer, token

SAMPLE = json.loads(SAMPLE_PATH.read_text(encoding="utf-8"))
ZHOU, CHEN = SAMPLE["members"][0], SAMPLE["members"][1]
BOTH = pytest.mark.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def app_settings(db_url, clock):
    return {"DATABASE_URL": db_url, "CLOCK": clock}


@pytest.fixture
def stored(app, client):
    assert client.put("/api/v1/branches/WJ017/dataset", json=SAMPLE).status_code == 201
    return app


def invite(client, body=None) -> dict:
    resp = client.post("/api/v1/branches/WJ017/invitations", json={} if body is None else body)
    assert resp.status_code == 201, resp.get_json()
    return {i["member"]: i for i in resp.get_json()["invitations"]}


def me(app, link: dict, check: str, method: str = "GET", body=None):
    member = app.test_client(anonymous=True)  # a phone: nobody signed in
    return member.open(f"/api/v1/self/{link['token']}", method=method, json=body, headers={"X-Member-Check": check})


def check_of(member: dict) -> str:
    return member["id_number"][-6:]


def version(app, n: int) -> Submission:
    with database(app).reading() as session:
        return session.scalar(select(Submission).join(Branch).where(Branch.code == "WJ017", Submission.version == n)
                              .options(undefer(Submission.dataset)))


@BOTH
def test_inviting_every_member_gives_each_a_link_kept_only_as_a_hash(stored, client):
    links = invite(client)
    assert sorted(links) == sorted(m["name"] for m in SAMPLE["members"])
    zhou = links[ZHOU["name"]]
    assert set(zhou) == {"id", "member", "id_number", "token", "url", "expires_at"}
    assert zhou["id_number"] == "3204**********0239" and zhou["url"].endswith(f"/m/{zhou['token']}")
    assert len(zhou["token"]) >= 32  # secrets.token_urlsafe(24)
    with database(stored).reading() as session:
        rows = session.scalars(select(Invitation)).all()
    assert {r.token_hash for r in rows} == {hashlib.sha256(i["token"].encode()).hexdigest() for i in links.values()}
    assert all(i["token"] not in json.dumps([r.token_hash for r in rows]) for i in links.values())
    again = invite(client, {"id_numbers": [ZHOU["id_number"]]})  # a new link replaces the old one
    assert list(again) == [ZHOU["name"]]
    assert_error_shape(me(stored, zhou, check_of(ZHOU)), 404)
    assert me(stored, again[ZHOU["name"]], check_of(ZHOU)).status_code == 200


@BOTH
def test_chosen_members_unknown_ones_and_another_branch(stored, client):
    body = assert_error_shape(client.post("/api/v1/branches/WJ017/invitations",
                                          json={"id_numbers": [ZHOU["id_number"], "11010519491231002X"]}), 422)
    assert body["code"] == "unknown_member" and body["errors"][0]["path"] == "id_numbers[1]"
    assert "1101**********002X" in body["message"] and "11010519491231002X" not in json.dumps(body)
    assert count_rows(database(stored), Invitation) == 0  # nothing made
    other = token(stored, "WJ099")
    assert_error_shape(client.post("/api/v1/branches/WJ017/invitations", json={}, headers=bearer(other)), 404)
    assert_error_shape(client.get("/api/v1/branches/WJ017/responses", headers=bearer(other)), 404)
    assert_error_shape(client.post("/api/v1/branches/WJ404/invitations", json={}), 404)  # no such branch
    clerk = token(stored, "WJ017")
    assert client.post("/api/v1/branches/WJ017/invitations", json={"id_numbers": [CHEN["id_number"].lower()]},
                       headers=bearer(clerk)).status_code == 201


@BOTH
def test_five_wrong_checks_lock_the_link_until_the_clerk_renews_it(stored, client):
    zhou = invite(client)[ZHOU["name"]]
    chen = invite(client, {"id_numbers": [CHEN["id_number"]]})[CHEN["name"]]
    # another member's six characters open nobody's page: each link is one member's
    body = assert_error_shape(me(stored, zhou, check_of(CHEN)), 403)
    assert body["code"] == "member_check_failed" and "还可以再试 4 次" in body["message"]
    for left in (3, 2, 1):
        assert f"还可以再试 {left} 次" in assert_error_shape(me(stored, zhou, "000000"), 403)["message"]
    assert assert_error_shape(me(stored, zhou, "000000"), 423)["code"] == "invitation_locked"
    assert assert_error_shape(me(stored, zhou, check_of(ZHOU)), 423)["code"] == "invitation_locked"  # even the right one
    assert me(stored, chen, check_of(CHEN)).status_code == 200  # the others' links are theirs
    progress = client.get("/api/v1/branches/WJ017/invitations").get_json()
    row = next(m for m in progress["members"] if m["member"] == ZHOU["name"])
    assert (row["state"], row["failures"]) == ("locked", 5)
    renewed = client.post(f"/api/v1/branches/WJ017/invitations/{row['id']}/renew")
    assert renewed.status_code == 200 and renewed.get_json()["state"] == "invited"
    assert me(stored, zhou, check_of(ZHOU).lower()).status_code == 200  # x as X
    revoked = client.post(f"/api/v1/branches/WJ017/invitations/{row['id']}/revoke")
    assert revoked.get_json()["state"] == "revoked"
    assert_error_shape(me(stored, zhou, check_of(ZHOU)), 404)


@BOTH
def test_an_expired_link_answers_410_until_renewed(stored, client, clock):
    zhou = invite(client)[ZHOU["name"]]
    clock.now += timedelta(days=stored.config["INVITE_DAYS"], minutes=1)
    assert assert_error_shape(me(stored, zhou, check_of(ZHOU)), 410)["code"] == "invitation_expired"
    assert client.post(f"/api/v1/branches/WJ017/invitations/{zhou['id']}/renew").status_code == 200
    assert me(stored, zhou, check_of(ZHOU)).status_code == 200


@BOTH
def test_the_member_sees_only_their_own_form(stored, client):
    zhou = invite(client)[ZHOU["name"]]
    resp = me(stored, zhou, check_of(ZHOU))
    body = resp.get_json()
    assert set(body) == {"member", "org", "state", "reason", "expires_at", "editable"}
    assert body["member"]["id_number"] == ZHOU["id_number"]  # their own, whole
    assert body["member"]["name"] == ZHOU["name"] and body["member"]["birth_date"] == "1972-04-18"
    assert body["org"] == {k: SAMPLE["org"][k] for k in ("code", "name", "full_name")}
    assert body["state"] == "opened"
    others = json.dumps(body, ensure_ascii=False)
    assert all(m["id_number"] not in others and m["name"] not in others for m in SAMPLE["members"][1:])


@BOTH
def test_a_wrong_value_is_refused_at_its_field_and_nothing_is_stored(stored, client):
    zhou = invite(client)[ZHOU["name"]]
    cases = [({"education": "博士"}, "member.education", "学历"),
             ({"full_member_date": "1996-01-01"}, "member.full_member_date", "转正时间"),  # before 入党
             ({"gender": "女"}, "member.gender", "公民身份号码"),  # against the ID number
             ({"id_number": CHEN["id_number"]}, "member.id_number", "不能由本人修改")]
    for change, path, words in cases:
        body = assert_error_shape(me(stored, zhou, check_of(ZHOU), "PUT", {"member": change, "confirmed": True}), 422)
        assert [e["path"] for e in body["errors"]] == [path], body
        assert words in body["errors"][0]["message"]
    refused = assert_error_shape(me(stored, zhou, check_of(ZHOU), "PUT", {"member": {}, "confirmed": False}), 422)
    assert refused["errors"][0]["path"] == "confirmed" and "以上信息经本人核对无误" in refused["errors"][0]["message"]
    assert count_rows(database(stored), MemberResponse) == 0
    assert count_rows(database(stored), Submission) == 1


@BOTH
def test_confirmed_changes_are_a_diff_the_clerk_accepts_as_the_next_version(stored, client):
    zhou = invite(client)[ZHOU["name"]]
    answer = me(stored, zhou, check_of(ZHOU), "PUT",
                {"member": {"job_post": "副校长", "phone": "13800001111", "name": ZHOU["name"]}, "confirmed": True})
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["state"] == "confirmed" and answer.get_json()["member"]["job_post"] == "副校长"
    listed = client.get("/api/v1/branches/WJ017/responses").get_json()["responses"]
    assert len(listed) == 1
    assert listed[0]["changes"] == [
        {"field": "job_post", "title": "工作岗位（职务）", "before": ZHOU["job_post"], "after": "副校长"},
        {"field": "phone", "title": "联系电话", "before": ZHOU["phone"], "after": "13800001111"}]
    progress = client.get("/api/v1/branches/WJ017/invitations").get_json()
    assert {k: progress[k] for k in ("invited", "opened", "confirmed", "changed", "accepted")} == {
        "invited": 12, "opened": 1, "confirmed": 1, "changed": 1, "accepted": 0}
    accepted = client.post(f"/api/v1/branches/WJ017/responses/{listed[0]['id']}/accept")
    assert accepted.status_code == 201, accepted.get_json()
    body = accepted.get_json()
    assert body["version"] == 2 and body["valid"] and body["response"]["state"] == "accepted"
    second = version(stored, 2)
    assert second.source == "member"
    member = next(m for m in second.dataset["members"] if m["id_number"] == ZHOU["id_number"])
    assert (member["job_post"], member["phone"]) == ("副校长", "13800001111")
    assert [m for m in second.dataset["members"] if m["id_number"] != ZHOU["id_number"]] == \
        [m for m in version(stored, 1).dataset["members"] if m["id_number"] != ZHOU["id_number"]]
    again = assert_error_shape(client.post(f"/api/v1/branches/WJ017/responses/{listed[0]['id']}/accept"), 409)
    assert again["code"] == "response_decided"
    assert me(stored, zhou, check_of(ZHOU)).get_json()["state"] == "accepted"
    assert_error_shape(client.post("/api/v1/branches/WJ017/responses/999/accept"), 404)


@BOTH
def test_a_returned_response_shows_its_reason_to_the_member(stored, client):
    chen = invite(client)[CHEN["name"]]
    me(stored, chen, check_of(CHEN), "PUT", {"member": {"home_address": "江苏省常州市武进区湖塘镇"}, "confirmed": True})
    (response,) = client.get("/api/v1/branches/WJ017/responses").get_json()["responses"]
    blank = assert_error_shape(client.post(f"/api/v1/branches/WJ017/responses/{response['id']}/return",
                                           json={"reason": "  "}), 422)
    assert blank["errors"] == [{"path": "reason", "message": "退回修改须写明原因"}]
    back = client.post(f"/api/v1/branches/WJ017/responses/{response['id']}/return", json={"reason": "请写到门牌号"})
    assert back.status_code == 200 and back.get_json()["response"]["state"] == "returned"
    seen = me(stored, chen, check_of(CHEN)).get_json()
    assert (seen["state"], seen["reason"]) == ("returned", "请写到门牌号")
    assert seen["member"]["home_address"] == "江苏省常州市武进区湖塘镇"  # what they sent, to correct
    assert me(stored, chen, check_of(CHEN), "PUT", {"member": {"home_address": "江苏省常州市武进区湖塘镇花园街8号"},
                                                      "confirmed": True}).get_json()["state"] == "confirmed"
    assert count_rows(database(stored), Submission) == 1  # nothing stored until accepted


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_every_view_and_change_is_audited_without_id_numbers_or_tokens(stored, client, service_log):
    log = service_log()
    zhou = invite(client)[ZHOU["name"]]
    me(stored, zhou, "000000")
    me(stored, zhou, check_of(ZHOU))
    me(stored, zhou, check_of(ZHOU), "PUT", {"member": {"phone": "13800001111"}, "confirmed": True})
    (response,) = client.get("/api/v1/branches/WJ017/responses").get_json()["responses"]
    client.post(f"/api/v1/branches/WJ017/responses/{response['id']}/accept")
    with database(stored).reading() as session:
        rows = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    mine = [(r.actor, r.action, r.status, r.branch_code) for r in rows if r.actor.startswith("member:")]
    assert mine == [(f"member:{zhou['id']}", "member_view", 403, "WJ017"), (f"member:{zhou['id']}", "member_view", 200, "WJ017"),
                    (f"member:{zhou['id']}", "member_confirm", 200, "WJ017")]
    assert [r.action for r in rows if not r.actor.startswith("member:")][-3:] == ["invite", "view", "member_accept"]
    written = log.getvalue() + json.dumps([(r.detail, r.target) for r in rows], ensure_ascii=False)
    for secret in (ZHOU["id_number"], zhou["token"], "13800001111", ZHOU["id_number"][-6:]):
        assert secret not in written


def test_a_link_is_rate_limited(tmp_path):
    app = make_app(tmp_path, LIMIT_MEMBER_PER_INVITATION="3 per minute")
    client = app.test_client()
    assert client.put("/api/v1/branches/WJ017/dataset", json=SAMPLE).status_code == 201
    zhou = invite(client)[ZHOU["name"]]
    chen = invite(client, {"id_numbers": [CHEN["id_number"]]})[CHEN["name"]]
    assert [me(app, zhou, check_of(ZHOU)).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert me(app, chen, check_of(CHEN)).status_code == 200  # per link
