"""File names of forms.md §1: exact, Windows-safe, with a meaningful ASCII fallback."""
from __future__ import annotations

import re

import pytest

from service.domain import catalog, naming

from .test_builders import org

EXPECTED = {
    "work_plan": ("WJ017-星河实验小学党支部-党员组织关系排查工作方案.docx", "WJ017-work-plan.docx"),
    "tables": ("WJ017-星河实验小学党支部-党员组织关系排查相关表格.zip", "WJ017-tables.zip"),
    "stage_summary": ("WJ017-星河实验小学党支部-阶段性小结.docx", "WJ017-stage-summary.docx"),
    "final_report": ("WJ017-星河实验小学党支部-党员组织关系排查工作总结.pdf", "WJ017-final-report.pdf"),
    "member_register": ("WJ017-星河实验小学党支部-附件3-党员基本情况登记表.docx", "WJ017-att3-member-register.docx"),
    "member_roster": ("WJ017-星河实验小学党支部-附件4-党员名册.xlsx", "WJ017-att4-member-roster.xlsx"),
    "outgoing_roster": ("WJ017-星河实验小学党支部-附件5-外出流动党员名册.xlsx", "WJ017-att5-outgoing-roster.xlsx"),
    "outgoing_summary": ("WJ017-星河实验小学党支部-附件6-外出流动党员情况汇总表.xlsx", "WJ017-att6-outgoing-summary.xlsx"),
    "recontacted_register": ("WJ017-星河实验小学党支部-附件7-经排查取得联系党员登记表.xlsx",
                             "WJ017-att7-recontacted-register.xlsx"),
    "unreachable_register": ("WJ017-星河实验小学党支部-附件8-经排查无法取得联系党员登记表.xlsx",
                             "WJ017-att8-unreachable-register.xlsx"),
    "campaign_summary": ("WJ017-星河实验小学党支部-附件9-党员组织关系排查工作情况汇总表.pdf",
                         "WJ017-att9-campaign-summary.pdf"),
    "verification_report": ("WJ017-星河实验小学党支部-核查情况.docx", "WJ017-verification-report.docx"),
    "print": ("WJ017-星河实验小学党支部-附件4-9打印版.pdf", "WJ017-att4-9-print.pdf"),
    "all": ("WJ017-星河实验小学党支部-党员组织关系排查全部材料.zip", "WJ017-all-documents.zip"),
}


@pytest.mark.parametrize("key", list(EXPECTED))
def test_every_key(key):
    name, ascii_ = EXPECTED[key]
    ext = name.rsplit(".", 1)[1]
    assert naming.file_name(org(), key, ext) == name
    assert naming.ascii_name(org(), key, ext) == ascii_
    assert ascii_.isascii()


def test_attachment_numbers():
    assert {d: catalog.DOCUMENTS[d].attachment for d in catalog.TABLE_IDS} == {
        "member_register": 3, "member_roster": 4, "outgoing_roster": 5, "outgoing_summary": 6,
        "recontacted_register": 7, "unreachable_register": 8, "campaign_summary": 9}


def test_extension_with_dot_is_accepted():
    assert naming.file_name(org(), "tables", ".ZIP").endswith("相关表格.zip")


def test_unknown_key():
    with pytest.raises(KeyError):
        naming.file_name(org(), "nope", "pdf")
    with pytest.raises(KeyError):
        naming.ascii_name(org(), "nope", "pdf")


def test_odd_characters_are_made_windows_safe():
    odd = org(code="WJ/01", name='星河\\实验:小学*党?支"部<一>|\x07 . ')
    name = naming.file_name(odd, "member_roster", "xlsx")
    assert not re.search(r'[\\/:*?"<>|\x00-\x1f]', name)
    assert name == "WJ_01-星河_实验_小学_党_支_部_一___-附件4-党员名册.xlsx"
    assert naming.ascii_name(odd, "member_roster", "xlsx") == "WJ01-att4-member-roster.xlsx"


def test_trailing_dots_and_spaces_are_dropped_from_parts():
    assert naming.file_name(org(name="实验小学党支部. . "), "stage_summary", "pdf") == "WJ017-实验小学党支部-阶段性小结.pdf"


def test_long_names_keep_title_and_extension():
    long = org(name="很长的党组织名称" * 40)
    name = naming.file_name(long, "unreachable_register", "xlsx")
    assert len(name) <= naming.MAX_LENGTH
    assert name.endswith("-附件8-经排查无法取得联系党员登记表.xlsx") and name.startswith("WJ017-很长的")


def test_names_outside_the_bmp_survive():
    assert naming.file_name(org(name="𠀀实验小学党支部"), "tables", "zip").startswith("WJ017-𠀀实验")
