"""The sample branch's roster as a school keeps it, for the roster page tests: a title row, a two-row
header (联系电话 over 手机号 and 固定电话), 周建华's post changed, 王丽萍's landline given, a new member."""
from __future__ import annotations

from tests.intake.roster.builders import id_number, xlsx

NEW = id_number("19950101", 7, True)
HEADER = [["星河实验小学党员花名册"],
          ["序号", "姓名", "公民身份号码", "工作岗位", "联系电话", None, "学历"],
          [None, None, None, None, "手机号", "固定电话", None]]
MERGES = ("A1:G1", "A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:F2", "G2:G3")


def school_roster(data: dict) -> bytes:
    zhou, chen, wang = data["members"][:3]
    rows = [[1, zhou["name"], zhou["id_number"], "校长", zhou["phone"], None, "硕士研究生"],
            [2, chen["name"], chen["id_number"], chen["job_post"], chen["phone"], None, "本科"],
            [3, wang["name"], wang["id_number"], wang["job_post"], None, "0519-86310612", None],
            [4, "新党员", NEW, "专任教师", "13912345678", None, "大专"],
            [5, "李四", float(id_number("19880808", 3, True)), "教师", None, None, None]]
    return xlsx(HEADER + rows, merges=MERGES, title="党员名册")
