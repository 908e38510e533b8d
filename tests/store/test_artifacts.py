"""Rendered files are kept once per dataset and templates, whole or not at all, and reused."""
from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from service.documents import stored
from service.documents.fingerprint import templates_hash
from service.intake.received import from_json_body
from service.store import submissions
from service.store.artifacts import Artifacts, File, Key
from service.store.models import Artifact
from tests.conftest import FakeConverter

NOW = datetime(2023, 7, 1, tzinfo=timezone.utc)
KEY = Key("a" * 64, "b" * 64, "package", "tables", "office")
FILE = File(b"PK\x03\x04 not really a zip" * 100, "WJ017-星河实验小学党支部-党员组织关系排查相关表格.zip", "WJ017-tables.zip",
            "application/zip")


@pytest.fixture(params=["database", "directory"])
def artifacts(request, tmp_path):
    return Artifacts(str(tmp_path / "artifacts") if request.param == "directory" else None)


def test_a_kept_file_comes_back_whole_under_its_key_only(db, artifacts):
    with db.writing() as session:
        row = artifacts.save(session, KEY, FILE, NOW)
        assert row.content_hash == hashlib.sha256(FILE.data).hexdigest() and row.size == len(FILE.data)
    with db.reading() as session:
        assert artifacts.find(session, KEY) == FILE
        assert artifacts.find(session, Key("a" * 64, "c" * 64, "package", "tables", "office")) is None
        assert artifacts.find(session, Key("a" * 64, "b" * 64, "package", "tables", "pdf")) is None


def test_the_directory_holds_the_bytes_under_their_hash_and_no_partial_file(db, tmp_path):
    artifacts = Artifacts(str(tmp_path / "artifacts"))
    with db.writing() as session:
        row = artifacts.save(session, KEY, FILE, NOW)
    digest = hashlib.sha256(FILE.data).hexdigest()
    assert (row.storage, row.location, row.data) == ("directory", f"{digest[:2]}/{digest}.zip", None)
    files = [p for p in (tmp_path / "artifacts").rglob("*") if p.is_file()]
    assert [p.relative_to(tmp_path / "artifacts").as_posix() for p in files] == [row.location]


def test_a_damaged_or_missing_file_is_not_served_and_is_replaced_when_kept_again(db, tmp_path, caplog):
    artifacts = Artifacts(str(tmp_path / "artifacts"))
    with db.writing() as session:
        location = artifacts.save(session, KEY, FILE, NOW).location
    path = tmp_path / "artifacts" / location
    path.write_bytes(FILE.data[:-1] + b"X")  # same size, other content
    with db.reading() as session:
        assert artifacts.find(session, KEY) is None
    assert "damaged" in caplog.text
    path.unlink()
    with db.reading() as session:
        assert artifacts.find(session, KEY) is None
    with db.writing() as session:
        artifacts.save(session, KEY, FILE, NOW)
    with db.reading() as session:
        assert artifacts.find(session, KEY) == FILE
        assert len(session.scalars(select(Artifact)).all()) == 1  # the row was repaired, not doubled


def test_a_second_download_of_a_stored_version_renders_and_converts_nothing(db, artifacts, sample_data, monkeypatch):
    sub = submissions.submit(db, from_json_body(json.dumps(sample_data).encode()), "api", NOW)
    with db.reading() as session:
        row = submissions.by_token(session, sub.token)
    rendered = []
    real = stored.packages.render_package
    monkeypatch.setattr(stored.packages, "render_package", lambda *a, **k: rendered.append(a[1]) or real(*a, **k))
    converter = FakeConverter()

    def fetch(package_id, fmt):
        return stored.package_output(db, artifacts, row.content_hash, stored.loader(lambda: row.dataset),
                                     package_id, fmt, converter, NOW)

    first = fetch("tables", "office")
    pdf = fetch("print", None)
    calls = len(converter.calls)
    assert rendered == ["tables", "print"] and calls > 0
    again, pdf_again = fetch("tables", "office"), fetch("print", "pdf")
    assert rendered == ["tables", "print"] and len(converter.calls) == calls
    assert (again.data, again.filename, again.mimetype) == (first.data, first.filename, first.mimetype)
    assert pdf_again.data == pdf.data and pdf_again.filename.endswith("附件4-9打印版.pdf")
    assert len(zipfile.ZipFile(io.BytesIO(again.data)).namelist()) == 7
    with db.reading() as session:
        keys = {(a.target, a.format, a.templates_hash) for a in session.scalars(select(Artifact))}
    assert keys == {("tables", "office", templates_hash()), ("print", "pdf", templates_hash())}
