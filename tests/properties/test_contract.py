"""Properties of the input contract, over datasets hypothesis builds from it (strategies.py).

- Every valid dataset validates, and every Word and Excel document renders from it (in-process, no
  LibreOffice) and reads back with its key values: the branch's full name, every listed member's
  name and ID number, and in 附件4 the member's phone as the service prints it.
- A valid dataset with one rule broken fails validation, every error names a path that exists in
  the input (a missing field: its parent object does), and one of them names the broken place.
"""
from __future__ import annotations

import copy
import io
import re
import zipfile

import docx
import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import schemas
from schemas.objects import SHORT
from service.documents import render
from service.domain import catalog, scope

from .strategies import datasets

PROPERTY = settings(max_examples=25, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
_SEGMENT = re.compile(r"\[(\d+)\]|\.?([^.\[\]]+)")


def segments(path: str) -> list:
    """"members[3].lost_contact.since" → ["members", 3, "lost_contact", "since"]."""
    out = []
    for index, key in _SEGMENT.findall(path):
        out.append(int(index) if index else key)
    assert path == "".join(f"[{s}]" if isinstance(s, int) else (f".{s}" if i else s)
                           for i, s in enumerate(out)), f"unparsed path {path!r}"
    return out


def resolves(data, path: str) -> bool:
    """The path names a place in data; the last key may be missing from an object that exists."""
    node = data
    parts = segments(path)
    for i, seg in enumerate(parts):
        last = i == len(parts) - 1
        if isinstance(seg, int):
            if not isinstance(node, list) or seg >= len(node):
                return False
        elif not isinstance(node, dict) or (seg not in node and not last):
            return False
        elif seg not in node:
            return True  # a missing field: its object exists
        node = node[seg]
    return True


def office_text(data: bytes, kind: str) -> str:
    """Every text a DOCX (paragraphs and table cells) or an XLSX (cell values) holds, joined."""
    if kind == "docx":
        document = docx.Document(io.BytesIO(data))
        cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    book = openpyxl.load_workbook(io.BytesIO(data))
    return "\n".join(str(v) for ws in book for row in ws.iter_rows(values_only=True) for v in row if v is not None)


@PROPERTY
@given(datasets())
def test_every_valid_dataset_validates_and_renders_every_office_document(data):
    dataset, errors = schemas.validate(data)
    assert errors == []
    texts = {}
    for doc in catalog.DOCUMENT_LIST:
        out = render.render_document(dataset, doc.id)
        assert zipfile.is_zipfile(io.BytesIO(out.data)) and out.filename.endswith(doc.kind)
        texts[doc.id] = office_text(out.data, doc.kind)
    listed = scope.in_scope(dataset)
    assert dataset.org.full_name in texts["member_roster"] and dataset.org.full_name in texts["member_register"]
    for member in listed:
        for doc_id in ("member_roster", "member_register"):
            assert member.name in texts[doc_id] and member.id_number in texts[doc_id], (doc_id, member.name)
        if member.phone:
            assert member.phone in texts["member_roster"]
    assert schemas.validate(schemas.dump_dataset(dataset))[1] == []  # the dump keeps the contract too


# ---- one rule broken ---------------------------------------------------------------------------

def _member(data, draw) -> tuple[int, dict]:
    i = draw(st.integers(0, len(data["members"]) - 1))
    return i, data["members"][i]


def wrong_type(data, draw):
    i, m = _member(data, draw)
    key = draw(st.sampled_from(("name", "gender", "join_date", "verified", "corrections", "education")))
    m[key] = {"verified": "yes", "corrections": "一条"}.get(key, 20230701)
    return f"members[{i}].{key}"


def missing_required(data, draw):
    if draw(st.booleans()):
        key = draw(st.sampled_from(("code", "name", "full_name", "org_type", "contact_phone")))
        del data["org"][key]
        return f"org.{key}"
    i, m = _member(data, draw)
    key = draw(st.sampled_from(("name", "gender", "ethnicity", "id_number", "education", "member_type",
                                "join_date", "person_category")))
    del m[key]
    return f"members[{i}].{key}"


def over_long(data, draw):
    i, m = _member(data, draw)
    key, limit = draw(st.sampled_from((("name", 30), ("job_post", SHORT), ("home_address", 60), ("remarks", 100))))
    m[key] = "长" * (limit + draw(st.integers(1, 5)))
    return f"members[{i}].{key}"


def bad_id_checksum(data, draw):
    i, m = _member(data, draw)
    number = m["id_number"].upper()
    m["id_number"] = number[:17] + draw(st.sampled_from([c for c in "0123456789X" if c != number[17]]))
    return f"members[{i}].id_number"


def bad_phone(data, draw):
    bad = draw(st.sampled_from(("12345", "86310611", "2391234567", "1391234567a", "电话", "0519-1234")))
    if draw(st.booleans()):
        data["org"]["contact_phone"] = bad
        return "org.contact_phone"
    i, m = _member(data, draw)
    m["phone"] = bad
    return f"members[{i}].phone"


def broken_iff(data, draw):
    i, m = _member(data, draw)
    rule = draw(st.sampled_from(["full_member_date"] + [k for k in ("hanging", "lost_contact") if k in m]))
    if rule == "full_member_date":  # iff 正式党员
        if m["member_type"] == "正式党员":
            del m["full_member_date"]
        else:
            m["full_member_date"] = "2023-06-30"
        return f"members[{i}].full_member_date"
    if rule == "hanging":  # resolution and resolved_date iff resolved
        h = m["hanging"]
        if h["resolved"]:
            del h["resolution"]
            return f"members[{i}].hanging.resolution"
        h["resolved_date"] = "2023-07-01"
        return f"members[{i}].hanging.resolved_date"
    lc = m["lost_contact"]  # contacted_date iff 取得联系
    if lc["outcome"] == "取得联系":
        del lc["contacted_date"]
    else:
        lc["contacted_date"] = "2023-07-01"
    return f"members[{i}].lost_contact.contacted_date"


def bad_date(data, draw):
    i, m = _member(data, draw)
    m["join_date"] = draw(st.sampled_from(("2023-02-30", "2023/07/01", "20230701", "2023-13-01", "昨天")))
    return f"members[{i}].join_date"


def unknown_key(data, draw):
    i, m = _member(data, draw)
    m["nmae"] = "张三"
    return f"members[{i}].nmae"


MUTATIONS = [wrong_type, missing_required, over_long, bad_id_checksum, bad_phone, broken_iff, bad_date,
             unknown_key]


@PROPERTY
@given(datasets(max_members=4), st.sampled_from(MUTATIONS), st.data())
def test_one_broken_rule_is_named_with_paths_that_exist_in_the_input(valid, mutate, data):
    broken = copy.deepcopy(valid)
    expected = mutate(broken, data.draw)
    dataset, errors = schemas.validate(broken)
    assert dataset is None and errors, mutate.__name__
    paths = [e["path"] for e in errors]
    assert all(resolves(broken, p) for p in paths), paths
    assert expected in paths, (mutate.__name__, expected, errors)
    assert all(e["message"] for e in errors)


def test_resolves_tells_a_path_in_the_input_from_one_that_is_not():
    data = {"org": {"code": "A"}, "members": [{"name": "王", "lost_contact": {"outcome": "取得联系"}}]}
    assert resolves(data, "members[0].lost_contact.contacted_date")  # missing, in an object that exists
    assert resolves(data, "members[0].lost_contact") and resolves(data, "org.code") and resolves(data, "")
    assert not resolves(data, "members[1].name")  # no second member
    assert not resolves(data, "members[0].outgoing.left_date")  # no outgoing object to miss it from
    assert not resolves(data, "org.code.x") and not resolves(data, "members.name")
