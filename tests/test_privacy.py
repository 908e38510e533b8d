"""ID numbers and phone numbers never reach the logs, whatever path a request takes."""
from __future__ import annotations

import json
import logging

import pytest

from service import create_app
from service.intake.workbook import filled_workbook


def secrets_of(data: dict) -> set[str]:
    found = {data["org"]["contact_phone"]}
    for m in data["members"]:
        found.add(m["id_number"])
        if m.get("phone"):
            found.add(m["phone"])
    return found


@pytest.fixture
def client(tmp_path):
    return create_app({"TESTING": True, "INSTANCE_DIR": str(tmp_path), "PDF_ENABLED": False}).test_client()


def post(client, path, data):
    return client.post(path, data=json.dumps(data, ensure_ascii=False), content_type="application/json")


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
    client.post("/upload", data={"file": (__import__("io").BytesIO(filled_workbook(broken)), "表.xlsx")},
                content_type="multipart/form-data")
    assert caplog.records, "the requests above should have logged something"
    text = caplog.text
    leaked = sorted(s for s in secrets | {broken["members"][0]["id_number"]} if s in text)
    assert leaked == []
