"""The 随机抽查清单's context: a drawn sample as templates_docx/spot_check.docx prints it.

One section per drawn branch, its members with masked ID numbers and what the branch reported on
each 三查 item, a box to tick beside each; the page header says which district drew it, with
which seed (so anyone can draw the same sample again), how, by whom and when.
"""
from __future__ import annotations

from datetime import datetime

from . import catalog
from .calendar import chinese_date
from .check_items import CHECK_ITEMS
from .sampling import DrawnBranch, Sample

TITLE = "党员组织关系排查随机抽查清单"
SIGNATURE = "核查人（签名）：" + "　" * 10 + "核查日期：" + "　" * 3 + "年" + "　" * 2 + "月" + "　" * 2 + "日"


def context(sample: Sample, drawn_by: str, drawn_at: datetime) -> dict:
    """What spot_check.docx prints; `drawn_at` as the district's wall clock shows it."""
    how = "按“三查三核”提示条数加权抽取" if sample.weighted else "等概率抽取"
    when = f"{chinese_date(drawn_at)} {drawn_at:%H:%M}"
    return {
        "title": TITLE,
        "header": (f"{catalog.DISTRICT.full_name}　随机抽查　随机种子：{sample.seed}（{how}）　"
                   f"抽取人：{drawn_by}　抽取时间：{when}"),
        "items": [item.heading for item in CHECK_ITEMS],
        "signature": SIGNATURE,
        "branches": [_branch(b, sample) for b in sample.branches],
    }


def _branch(b: DrawnBranch, sample: Sample) -> dict:
    drawn = len(b.members)
    line = f"在册党员 {b.in_scope} 名，抽取 {drawn} 名"
    if drawn < sample.members_asked:
        line += f"（要求每个党组织抽取 {sample.members_asked} 名，不足的全部列入）"
    line += f"；“三查三核”提示 {b.findings} 条。逐项核对党员档案、党费和组织生活记录、接转材料，相符的在□内打“√”，不符的在备注中写明。"
    return {
        "heading": f"党组织：{b.code}　{b.name}",
        "line": line,
        "rows": [{"no": i, "name": m.name, "id": m.masked_id, "category": m.person_category,
                  "facts": list(m.facts)} for i, m in enumerate(b.members, 1)],
    }
