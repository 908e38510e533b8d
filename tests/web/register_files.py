"""The district's list of branches as its office keeps it: a title row, then the header, one branch a row."""
from __future__ import annotations

import io

import openpyxl

HEADER = ["序号", "编号", "简称", "全称", "单位名称", "党组织类型", "联系人", "联系电话", "电子邮箱", "状态"]
GOOD = [
    [1, "WJ001", "湖塘桥实验小学党支部", "中共常州市武进区湖塘桥实验小学支部委员会", "常州市武进区湖塘桥实验小学", "党支部",
     "王芳", "0519-86310611", "a@example.edu.cn; b@example.edu.cn", "在册"],
    [2, "WJ002", "星河小学党支部", None, None, "党支部", None, 13912345678, None, None],
]
BAD = GOOD + [[3, "WJ001", "重复的", None, None, None, None, None, None, None],
              [4, "WJ-4", "", None, None, "党小组", None, "12345", "not-an-email", None]]


def register_workbook(rows, title: str | None = "武进区教育系统直属党组织名单") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
