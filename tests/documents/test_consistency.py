"""Every table is a projection of one member list: the rows of each file agree with the figures.

Rendered files are opened back (openpyxl, python-docx) and read the way a district reviewer would
cross-check them: 附件4 rows = A1, 附件5 rows = (1) = C1, 附件7 rows = E2, 附件8 rows = E3,
附件3 pages = A1; and every in-scope name, including `·`, 喆/堃/昇/玥 and a non-BMP character,
arrives intact wherever that member belongs.
"""
from __future__ import annotations

import io

import openpyxl
import pytest
from docx import Document

import schemas
from service.documents import render
from service.domain import figures, scope
from tools.synthetic import synthetic_branch


@pytest.fixture(scope="module", params=[60, 27])
def branch(request):
    return schemas.load_dataset(synthetic_branch(request.param, seed=request.param))


def sheet_names(ds, doc_id: str) -> list[str]:
    """The 姓名 column of a rendered roster, top to bottom (rows under the header with a 序号)."""
    ws = openpyxl.load_workbook(io.BytesIO(render.render_document(ds, doc_id).data)).worksheets[0]
    names, name_col = [], None
    for row in ws.iter_rows(values_only=True):
        if name_col is None and "姓名" in row:
            name_col = row.index("姓名")
            continue
        if name_col is not None and isinstance(row[0], int):
            names.append(row[name_col])
    return names


def test_roster_rows_are_the_in_scope_members_in_input_order(branch):
    assert sheet_names(branch, "member_roster") == [m.name for m in scope.in_scope(branch)]
    assert len(sheet_names(branch, "member_roster")) == figures.campaign_summary(branch)["A1"]


def test_sub_registers_agree_with_the_summary_figures(branch):
    fig, out = figures.campaign_summary(branch), figures.outgoing_summary(branch)
    outgoing = sheet_names(branch, "outgoing_roster")
    assert outgoing == [m.name for m in scope.in_scope(branch) if m.outgoing]
    assert len(outgoing) == out["1"] == fig["C1"]
    recontacted = sheet_names(branch, "recontacted_register")
    unreachable = sheet_names(branch, "unreachable_register")
    assert len(recontacted) == fig["E2"] and len(unreachable) == fig["E3"]
    assert len(recontacted) + len(unreachable) == fig["E1"]


def test_register_has_one_form_per_in_scope_member_with_names_intact(branch):
    doc = Document(io.BytesIO(render.render_document(branch, "member_register").data))
    texts = [{c.text for r in t.rows for c in r.cells} for t in doc.tables]
    members = scope.in_scope(branch)
    forms = [t for t in texts if "公民身份号码" in t]
    assert len(forms) == len(members)
    for form, member in zip(forms, members):
        assert member.name in form and member.id_number in form


def test_rare_and_non_bmp_names_survive(branch):
    names = {m.name for m in scope.in_scope(branch)}
    for special in ("阿依古丽·买买提", "张喆", "王堃", "刘昇", "陈玥", "李𠮷"):
        assert special in names, special
    assert set(sheet_names(branch, "member_roster")) == names


def test_late_joiners_appear_in_no_table(branch):
    late = {m.name for m in scope.excluded(branch)}
    assert late
    for doc_id in ("member_roster", "outgoing_roster", "recontacted_register", "unreachable_register"):
        assert not late & set(sheet_names(branch, doc_id))
