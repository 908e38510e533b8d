"""HTTP request metrics at /metrics: counted by method, URL rule and status, timed by URL rule —
never labelled with a raw path, so no token or id becomes a label."""
from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import make_app
from tests.http.routes import upload


def samples(client) -> dict[tuple, float]:
    """(sample name, sorted labels) → value, as a Prometheus server would read /metrics."""
    resp = client.get("/metrics")
    assert resp.status_code == 200 and resp.mimetype == "text/plain"
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(resp.get_data(as_text=True)) for s in family.samples}


def count(before: dict, after: dict, method: str, route: str, status: str) -> float:
    key = ("paicha_http_requests_total", (("method", method), ("route", route), ("status", status)))
    return after.get(key, 0) - before.get(key, 0)


def test_requests_are_counted_and_timed_by_url_rule(tmp_path, sample_data):
    client = make_app(tmp_path).test_client()
    token = upload(client, sample_data)
    before = samples(client)
    for _ in range(3):
        assert client.get(f"/result/{token}").status_code == 200
    client.get(f"/result/{token}/documents/member_roster?format=xlsx")
    client.get("/result/AbCdEfGhIjKlMnOpQrSt12/nowhere")
    client.post("/api/v1/documents/member_roster", json=sample_data)
    client.delete("/api/v1/validate")
    after = samples(client)
    assert count(before, after, "GET", "/result/<token>", "200") == 3
    assert count(before, after, "GET", "/result/<token>/documents/<doc_id>", "200") == 1
    assert count(before, after, "GET", "unmatched", "404") == 1
    assert count(before, after, "POST", "/api/v1/documents/<doc_id>", "200") == 1
    assert count(before, after, "DELETE", "unmatched", "405") == 1
    latency = ("paicha_http_request_duration_seconds_count", (("route", "/result/<token>"),))
    assert after[latency] - before.get(latency, 0) == 3
    inf = ("paicha_http_request_duration_seconds_bucket", (("le", "+Inf"), ("route", "/result/<token>")))
    assert after[inf] - before.get(inf, 0) == 3
    labels = {value for (_, pairs) in after for _, value in pairs}
    assert not any(token in value or "AbCdEf" in value or "member_roster" in value for value in labels)
