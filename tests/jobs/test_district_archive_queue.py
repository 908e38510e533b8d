"""The archive job on RQ: POST /api/v1/district/archive with REDIS_URL set queues one job under the
function `paicha worker` runs (service.jobs.district_archive.run) with the archive's id, and nothing
runs in the web process; the job without a worker's context refuses to run rather than guess one."""
from __future__ import annotations

import secrets

import pytest
from rq import Queue
from rq.serializers import JSONSerializer

from service.jobs import district_archive
from service.jobs.queue import runner_for
from service.store import database
from tests.redis_server import REDIS, answering_client
from tests.web.district_data import fill


@pytest.fixture
def queue_name():
    return f"paicha-test-archive-{secrets.token_hex(4)}"


@pytest.fixture
def app_settings(queue_name):
    return {"REDIS_URL": REDIS, "BATCH_QUEUE": queue_name}


def test_the_archive_is_one_job_on_the_batch_queue(client, app, queue_name):
    connection = answering_client()
    fill(database(app))
    try:
        resp = client.post("/api/v1/district/archive")
        assert resp.status_code == 202, resp.get_json()
        token = resp.get_json()["id"]
        queue = Queue(queue_name, connection=connection, serializer=JSONSerializer)
        jobs = queue.get_jobs()
        assert [(job.func_name, list(job.args)) for job in jobs] == [(district_archive.JOB, [token])]
        assert client.get(resp.headers["Location"]).get_json()["state"] == "building"  # no worker yet
        with pytest.raises(RuntimeError, match="paicha worker"):
            district_archive.run(token)
    finally:
        Queue(queue_name, connection=connection, serializer=JSONSerializer).empty()
        runner_for(app).stop()
