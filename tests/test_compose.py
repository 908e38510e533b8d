"""The scaled-out set-up, docker-compose.yml, checked without a Docker engine (none runs here): valid
against the Compose Specification's JSON schema and as Debian's docker-compose reads it, and wired
together — every Paicha service from the Dockerfile's image with one database, one Redis and one
shared artifact volume, the schema upgraded once before the web service and the workers start,
health checks on every long-running service. What it cannot show is the images building and the
containers answering: that needs an engine (docs/operations.md, "docker compose").

tests/fixtures/compose-spec.json is schema/compose-spec.json of the compose-spec/compose-spec
repository (Apache-2.0), as published.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import jsonschema_rs
import pytest
import yaml

from service import config

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = ROOT / "docker-compose.yml"
DOC = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))  # the << merge keys resolved
SERVICES = DOC["services"]
PAICHA = ("migrate", "web", "worker")  # built from the Dockerfile
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
VARIABLE = re.compile(r"\$\{(\w+)(?::?[-?][^}]*)?\}")


def test_the_file_follows_the_compose_specification():
    schema = json.loads((ROOT / "tests" / "fixtures" / "compose-spec.json").read_text(encoding="utf-8"))
    errors = [str(e) for e in jsonschema_rs.validator_for(schema).iter_errors(DOC)]
    assert errors == []


def compose(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(["docker-compose", "-f", str(COMPOSE), *args], capture_output=True, text=True,
                          timeout=60, env={"PATH": os.environ["PATH"], **env}, cwd=ROOT)


@pytest.mark.skipif(not shutil.which("docker-compose") and not os.environ.get("CI"),
                    reason="Debian's docker-compose not installed (tools/install_system.sh --with-test-tools)")
def test_debians_docker_compose_reads_it_and_wants_a_database_password():
    done = compose("config", env={"POSTGRES_PASSWORD": "s3cret"})
    assert done.returncode == 0, done.stderr
    read = yaml.safe_load(done.stdout)
    assert read["services"]["worker"]["environment"]["DATABASE_URL"] == \
        "postgresql+psycopg://paicha:s3cret@postgres:5432/paicha"
    assert read["services"]["worker"]["environment"]["PAICHA_PDF_POOL_SIZE"] == "1"
    missing = compose("config", "-q", env={})
    assert missing.returncode != 0 and "set POSTGRES_PASSWORD" in missing.stderr


def test_paicha_services_run_the_dockerfiles_image():
    for name in PAICHA:
        service = SERVICES[name]
        assert service["build"] == {"context": ".", "dockerfile": "Dockerfile"}, name
        assert service["image"] == SERVICES["web"]["image"], name
    assert "command" not in SERVICES["web"]  # the image's CMD: gunicorn with the service's settings
    assert SERVICES["migrate"]["command"] == ["paicha", "db", "upgrade"]
    assert SERVICES["worker"]["command"] == ["paicha", "worker"]
    assert SERVICES["web"]["ports"] == ["${WEB_PORT:-8000}:8000"] and "EXPOSE 8000" in DOCKERFILE


def test_one_database_one_queue_one_artifact_volume():
    db = SERVICES["postgres"]["environment"]
    url = (f"postgresql+psycopg://{db['POSTGRES_USER']}:${{POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}}"
           f"@postgres:5432/{db['POSTGRES_DB']}")
    assert db["POSTGRES_PASSWORD"] == "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}"  # no default password
    for name in PAICHA:
        env = SERVICES[name]["environment"]
        assert env["DATABASE_URL"] == url, name
        assert env["REDIS_URL"] == "redis://redis:6379/0", name
        directory = env["PAICHA_ARTIFACT_DIR"]
        assert SERVICES[name]["volumes"] == [f"artifacts:{directory}"], name
    assert set(DOC["volumes"]) == {"pgdata", "redisdata", "artifacts"}
    assert "/var/lib/paicha/artifacts" in DOCKERFILE  # made in the image: the volume starts owned by paicha
    assert SERVICES["postgres"]["volumes"] == ["pgdata:/var/lib/postgresql/data"]
    assert SERVICES["redis"]["volumes"] == ["redisdata:/data"] and "--appendonly" in SERVICES["redis"]["command"]


def test_every_setting_named_is_one_the_service_knows():
    known = {name for s in config.SETTINGS for name in config.variables(s)}
    for name in PAICHA:
        for variable in SERVICES[name]["environment"]:
            assert variable in known, (name, variable)


def test_the_schema_is_upgraded_once_before_web_and_workers_start():
    assert SERVICES["migrate"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert SERVICES["migrate"]["restart"] == "no"
    for name in ("web", "worker"):
        assert SERVICES[name]["depends_on"] == {"migrate": {"condition": "service_completed_successfully"},
                                                "redis": {"condition": "service_healthy"}}, name


def test_every_long_running_service_has_a_health_check():
    for name in ("postgres", "redis", "web", "worker"):
        check = SERVICES[name]["healthcheck"]
        assert check["test"][0] == "CMD" and check["interval"] and check["timeout"], name
    assert "/readyz" in " ".join(SERVICES["web"]["healthcheck"]["test"])  # database and PDF pool
    assert SERVICES["worker"]["healthcheck"]["test"] == ["CMD", "paicha", "db", "current"]
    assert SERVICES["migrate"]["healthcheck"] == {"disable": True}  # not the image's web check


def test_workers_scale_and_stop_after_their_branch():
    worker = SERVICES["worker"]
    assert worker["deploy"]["replicas"] == "${BATCH_WORKERS:-2}"
    assert worker["environment"]["PAICHA_PDF_POOL_SIZE"] == "${WORKER_PDF_POOL_SIZE:-1}"
    assert worker["stop_grace_period"]


def test_the_operations_page_names_every_variable_the_file_reads():
    page = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    for variable in sorted(set(VARIABLE.findall(COMPOSE.read_text(encoding="utf-8")))):
        assert f"`{variable}`" in page, variable
