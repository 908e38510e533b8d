"""The zips as the clerk's tools list them: Info-ZIP unzip, 7-Zip and bsdtar show the exact Chinese names.

Python's zipfile reads its own zips back whatever they say about themselves, so these tests ask
the tools people open the downloads with. Info-ZIP's unzip translates names of entries that
claim MS-DOS origin from a DOS code page even with the UTF-8 flag set; the control test proves
the listing would catch that. The tools come from `tools/install_system.sh --with-test-tools`;
off CI a missing tool skips its tests, on CI (CI set) it fails them.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from service.domain import catalog, naming
from service.documents.packages import render_package, zip_bytes

# the listing a user sees in a UTF-8 terminal (bsdtar refuses non-ASCII names in the C locale)
UTF8 = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}


def _tool(name: str, package: str):
    return pytest.mark.skipif(shutil.which(name) is None and not os.environ.get("CI"),
                              reason=f"{name} not installed (apt-get install {package})")


def _run(args: list[str]) -> str:
    result = subprocess.run(args, capture_output=True, env=UTF8, timeout=60)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    return result.stdout.decode("utf-8")


def unzip_names(path: Path) -> list[str]:
    """`unzip -l`: the rows between the two dashed rules, name after length, date and time."""
    rows = _run(["unzip", "-l", str(path)]).splitlines()
    rules = [i for i, row in enumerate(rows) if row.lstrip().startswith("---------")]
    assert len(rules) == 2, rows
    return [row.split(None, 3)[3] for row in rows[rules[0] + 1:rules[1]]]


def sevenzip_names(path: Path) -> list[str]:
    """`7z l -slt`: a `Path = …` line per entry after the archive's own block."""
    out = _run(["7z", "l", "-slt", str(path)])
    entries = out.split("\n----------\n", 1)[1]
    return [line[len("Path = "):] for line in entries.splitlines() if line.startswith("Path = ")]


def bsdtar_names(path: Path) -> list[str]:
    return _run(["bsdtar", "-tf", str(path)]).splitlines()


LISTERS = [
    pytest.param(unzip_names, marks=_tool("unzip", "unzip"), id="unzip"),
    pytest.param(sevenzip_names, marks=_tool("7z", "p7zip-full"), id="7z"),
    pytest.param(bsdtar_names, marks=_tool("bsdtar", "libarchive-tools"), id="bsdtar"),
]


def expected_names(ds, package_id: str) -> list[str]:
    """The entries a package zip holds, in order: each document by its kind, each sub-package a zip."""
    names = []
    for member in catalog.PACKAGES[package_id].members:
        ext = catalog.DOCUMENTS[member].kind if member in catalog.DOCUMENTS else "zip"
        names.append(naming.file_name(ds.org, member, ext))
    return names


@pytest.fixture(scope="module")
def zips(tmp_path_factory):
    """The tables and all packages of the sample branch, written to disk; plus the inner tables zip."""
    from tests.conftest_pdf import sample_dataset_once

    ds = sample_dataset_once()
    out = tmp_path_factory.mktemp("zips")
    paths = {}
    for package_id in ("tables", "all"):
        output = render_package(ds, package_id)
        assert output.filename == naming.file_name(ds.org, package_id, "zip")
        paths[package_id] = out / output.filename
        paths[package_id].write_bytes(output.data)
    with zipfile.ZipFile(paths["all"]) as zf:  # the tables zip as it sits inside `all`
        inner = naming.file_name(ds.org, "tables", "zip")
        paths["all/tables"] = out / "inner.zip"
        paths["all/tables"].write_bytes(zf.read(inner))
    return ds, paths


@pytest.mark.parametrize("lister", LISTERS)
@pytest.mark.parametrize("package_id", ["tables", "all"])
def test_tools_list_the_exact_chinese_names(zips, lister, package_id):
    ds, paths = zips
    names = lister(paths[package_id])
    assert names == expected_names(ds, package_id)
    assert all(not name.isascii() for name in names)  # every name carries Chinese, so this proves something
    with zipfile.ZipFile(paths[package_id]) as zf:  # what the tools go by: Unix origin, UTF-8 flag
        assert {(i.create_system, bool(i.flag_bits & 0x800)) for i in zf.infolist()} == {(3, True)}


@pytest.mark.parametrize("lister", LISTERS)
def test_the_tables_zip_inside_all_lists_the_same(zips, lister):
    ds, paths = zips
    assert lister(paths["all/tables"]) == lister(paths["tables"]) == expected_names(ds, "tables")


def test_names_read_as_forms_md_spells_them(zips):
    """The expected names are not just naming's output read back: a few are spelled out here."""
    ds, paths = zips
    names = expected_names(ds, "tables")
    assert [n.split("-", 2)[2] for n in names] == [
        "附件3-党员基本情况登记表.docx", "附件4-党员名册.xlsx", "附件5-外出流动党员名册.xlsx",
        "附件6-外出流动党员情况汇总表.xlsx", "附件7-经排查取得联系党员登记表.xlsx",
        "附件8-经排查无法取得联系党员登记表.xlsx", "附件9-党员组织关系排查工作情况汇总表.xlsx",
    ]
    assert expected_names(ds, "all")[1].endswith("-党员组织关系排查相关表格.zip")


@_tool("unzip", "unzip")
def test_unzip_would_show_a_dos_made_entry_garbled(tmp_path):
    """Control: the same name in an entry claiming MS-DOS origin does not list as written."""
    name = "WJ017-第一支部-附件4-党员名册.xlsx"
    good, dos = tmp_path / "unix.zip", tmp_path / "dos.zip"
    good.write_bytes(zip_bytes([(name, b"x")]))
    with zipfile.ZipFile(dos, "w") as zf:
        info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
        info.create_system = 0
        zf.writestr(info, b"x")
    assert unzip_names(good) == [name]
    raw = subprocess.run(["unzip", "-l", str(dos)], capture_output=True, env=UTF8, timeout=60).stdout
    assert name.encode("utf-8") not in raw
