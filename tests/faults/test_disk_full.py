"""Disk full while writing an artifact: PAICHA_ARTIFACT_DIR on a tmpfs of 256 KiB, filled so that a
package's zip is cut off part-way (ENOSPC), then room made again.

A batch, whose result is the kept file, fails the branch with a Chinese reason naming the full
directory (after its tries); a clerk's or district's download of a stored version still gets its
file (keeping it is only for reuse). Either way no artifact row is written and no partial file is
left in the directory; once there is room, the same requests keep their files, whole. The batch's
zip, written to the temporary directory, answers 507 storage_full when that one is full.
"""
from __future__ import annotations

import hashlib
import io
import os
import subprocess
import tempfile
import zipfile

import pytest

from service.store import database
from service.store.models import Artifact
from tests.conftest import make_app
from tests.databases import count_rows
from tests.jobs.district import run_batch, seed


@pytest.fixture
def small_disk(tmp_path):
    """A 256 KiB tmpfs mounted for this test (root only), unmounted at the end."""
    where = tmp_path / "small"
    where.mkdir()
    if os.geteuid() != 0:  # CI runs .ci/run as root and never skips this
        (pytest.fail if os.environ.get("CI") else pytest.skip)("mounting a small tmpfs needs root (.ci/run runs as root)")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k,mode=0755", "tmpfs", str(where)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        (pytest.fail if os.environ.get("CI") else pytest.skip)(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    yield where
    subprocess.run(["umount", "-l", str(where)], check=True)


def fill(where, leave: int) -> None:
    """Fill the filesystem until only about `leave` bytes are free."""
    stat = os.statvfs(where)
    free = stat.f_bavail * stat.f_frsize
    with open(where / "filler", "wb") as out:
        out.write(b"\0" * max(0, free - leave))


def files_in(where) -> list[str]:
    return sorted(str(p.relative_to(where)) for p in where.rglob("*") if p.is_file() and p.name != "filler")


TABLES = {"packages": ["tables"], "format": "office"}  # the branches' 附件4–9 tables, as Word/Excel


def test_a_full_artifact_directory_is_a_clear_error_and_nothing_half_kept(tmp_path, small_disk):
    app = make_app(tmp_path, ARTIFACT_DIR=str(small_disk), BATCH_THREADS=1, BATCH_ATTEMPTS=2)
    db = database(app)
    seed(db, 1)  # T000, 30 members: its tables zip is larger than the room left
    client = app.test_client()
    fill(small_disk, leave=8 * 1024)

    state = run_batch(client, TABLES)
    [branch] = state["branches"]
    assert (state["done"], state["failed"], branch["state"]) == (0, 1, "failed"), state
    assert "空间已满" in branch["error"] and "PAICHA_ARTIFACT_DIR" in branch["error"], branch
    assert count_rows(db, Artifact) == 0 and files_in(small_disk) == []

    sent = client.get("/api/v1/branches/T000/packages/tables")
    assert sent.status_code == 200 and zipfile.ZipFile(io.BytesIO(sent.data)).testzip() is None  # the file, whole
    assert count_rows(db, Artifact) == 0 and files_in(small_disk) == []  # but not kept: no row, no partial file

    (small_disk / "filler").unlink()  # room again
    again = client.get("/api/v1/branches/T000/packages/tables")
    assert again.status_code == 200 and again.data == sent.data
    [kept] = files_in(small_disk)
    assert count_rows(db, Artifact) == 1 and (small_disk / kept).read_bytes() == sent.data
    assert kept.endswith(hashlib.sha256(sent.data).hexdigest() + ".zip")
    state = run_batch(client, TABLES)
    assert (state["skipped"], state["failed"]) == (1, 0), state  # the download kept it: nothing to make
    assert client.get(state["download"]).status_code == 200


def test_a_full_temporary_directory_makes_the_batch_zip_a_507(tmp_path, small_disk, monkeypatch):
    app = make_app(tmp_path, BATCH_THREADS=1)
    seed(database(app), 1)
    client = app.test_client()
    state = run_batch(client, TABLES)
    assert state["done"] == 1, state
    monkeypatch.setattr(tempfile, "tempdir", str(small_disk))  # the zip is spooled where there is no room
    fill(small_disk, leave=4 * 1024)
    resp = client.get(state["download"])
    body = resp.get_json()
    assert (resp.status_code, body["code"]) == (507, "storage_full"), body
    assert "空间已满" in body["message"] and "临时目录" in body["message"]
    (small_disk / "filler").unlink()
    assert client.get(state["download"]).status_code == 200
