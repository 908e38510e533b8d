"""Dates at the ends of the calendar are answered by the rules, never a 500."""
from __future__ import annotations

from datetime import date

import pytest

from service.domain import idcard
from service.domain.calendar import add_years


def test_add_years_saturates_at_the_ends_of_the_calendar():
    assert add_years(date(9999, 6, 1), 18) == date.max
    assert add_years(date(1, 6, 1), -5) == date.min
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)


@pytest.mark.parametrize("raw", ["32041219680214029²", "٣٢٠٤١٢١٩٦٨٠٢١٤٠٢٩١"])
def test_an_id_with_non_ascii_digits_is_a_problem_not_a_crash(raw):
    assert idcard.problem(raw)


@pytest.mark.parametrize("patch", [
    {"campaign": {"cutoff_date": "9999-12-31"}, "members": {0: {"join_date": "9999-06-01", "member_type": "预备党员"}}},
    {"campaign": {"stats_date": "9999-12-31"}, "members": {9: {"transfer_out": {"date": "9999-12-01"}}}},
    {"campaign": {"deadlines": {"work_plan": "0001-01-01"}}},
])
def test_validate_and_render_at_the_ends_of_the_calendar(client, sample_data, patch):
    data = sample_data
    for key, value in patch.items():
        if key == "members":
            for i, fields in value.items():
                m = data["members"][i]
                for f, v in fields.items():
                    if isinstance(v, dict) and isinstance(m.get(f), dict):
                        m[f].update(v)
                    else:
                        m[f] = v
                if m.get("member_type") == "预备党员":
                    m.pop("full_member_date", None)
        else:
            data[key] = {**data.get(key, {}), **{k: ({**data.get(key, {}).get(k, {}), **v} if isinstance(v, dict) else v)
                                                  for k, v in value.items()}}
    resp = client.post("/api/v1/validate", json=data)
    assert resp.status_code == 200 and resp.get_json()["valid"], resp.get_json()["errors"]
    assert client.post("/api/v1/documents/work_plan", json=data).status_code == 200
