"""ID numbers and phone numbers never reach the logs, whatever path a request takes."""
from __future__ import annotations

import json
import logging

from service.intake.workbook import filled_workbook
from tests.conftest import post, upload_file


def secrets_of(data: dict) -> set[str]:
    found = {data["org"]["contact_phone"]}
    for m in data["members"]:
        found.add(m["id_number"])
        if m.get("phone"):
            found.add(m["phone"])
    return found


def personal_data(data: dict) -> set[str]:
    """What of a branch's members no log may hold: ID numbers, phones, and names and addresses too
    (which no mask would catch, so a logged body or document shows here)."""
    found = secrets_of(data)
    for m in data["members"]:
        found |= {m["name"], m["id_number"][-8:]} | ({m["home_address"]} if m.get("home_address") else set())
    return found


def test_no_personal_data_in_logs(client, sample_data, caplog):
    caplog.set_level(logging.DEBUG)
    secrets = secrets_of(sample_data)
    post(client, "/api/v1/validate", sample_data)
    post(client, "/api/v1/packages/all", sample_data)
    post(client, "/api/v1/documents/work_plan?format=pdf", sample_data)  # 503: logged as a warning
    broken = json.loads(json.dumps(sample_data))
    broken["members"][0]["id_number"] = broken["members"][0]["id_number"][:-1] + "0"
    broken["members"][1]["id_number"] = broken["members"][2]["id_number"]
    post(client, "/api/v1/documents/member_roster", broken)
    upload_file(client, filled_workbook(broken), "表.xlsx")
    assert caplog.records, "the requests above should have logged something"
    text = caplog.text
    leaked = sorted(s for s in secrets | {broken["members"][0]["id_number"]} if s in text)
    assert leaked == []


def test_the_service_log_holds_no_personal_data_and_no_result_token(app, sample_data, service_log):
    """What the service really writes (JSON lines) while the sample branch is rendered and uploaded,
    its result page opened and every kind of download made."""
    from tests.http.routes import upload

    log = service_log()
    client = app.test_client()
    for path in ("/api/v1/validate", "/api/v1/documents/member_register", "/api/v1/packages/all",
                 "/api/v1/workbook", "/api/v1/documents/work_plan?format=pdf"):
        assert post(client, path, sample_data).status_code in (200, 503)
    token = upload(client, sample_data)
    for path in ("", "/original", "/documents/member_roster?format=xlsx", "/packages/tables",
                 "/documents/work_plan?format=pdf", "/nowhere"):
        assert client.get(f"/result/{token}{path}").status_code in (200, 404, 503)
    broken = json.loads(json.dumps(sample_data))
    broken["members"][0]["id_number"] = broken["members"][0]["id_number"][:-1] + "0"
    token_broken = upload(client, broken)
    client.get(f"/result/{token_broken}")
    client.get(f"/result/{token_broken}/marked")
    text = log.getvalue()
    assert text.count('"logger": "paicha.access"') == 15  # every request above was logged …
    leaked = sorted(s for s in personal_data(sample_data) | {token, token_broken, broken["members"][0]["id_number"]}
                    if s in text)
    assert leaked == []  # … and nothing of the branch's members, nor a token that opens their data
