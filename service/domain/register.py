"""The district's campaign and its register of branches, as pure facts: the states a registered branch
can be in, the columns of the district's list, and the notices a stored dataset gets when it does not
fit the campaign or the register (issue 18 part 1).

A registered branch is 在册 (active), 撤销 (withdrawn) or 合并 (merged, into another code). The
register only adds and updates: a branch with stored versions is never deleted, only marked.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from typing import Optional

from .catalog import DELIVERABLE_LABELS
from .model import Campaign as DatasetCampaign
from .model import Deadlines

ACTIVE, WITHDRAWN, MERGED = "active", "withdrawn", "merged"
STATES = (ACTIVE, WITHDRAWN, MERGED)
STATE_LABELS = {ACTIVE: "在册", WITHDRAWN: "撤销", MERGED: "合并"}
STATE_BY_LABEL = {label: key for key, label in STATE_LABELS.items()}

NAME_MAX, FULL_MAX, TYPE_MAX, CONTACT_MAX, EMAILS_MAX, CAMPAIGN_NAME_MAX = 30, 50, 10, 30, 10, 100
DEFAULT_NAME = "党员组织关系排查"

# the register's fields as the district's spreadsheet heads them (first: the label shown in errors)
COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("编号", "学校党组织编号", "党组织编号", "支部编号", "代码"),
    "name": ("简称", "学校党组织名", "党组织简称", "名称"),
    "full_name": ("全称", "党组织全称"),
    "unit_name": ("单位名称", "学校名称", "单位"),
    "org_type": ("党组织类型", "党组织类别", "类型", "类别"),
    "contact": ("联系人", "党务干事"),
    "phone": ("联系电话", "电话", "手机", "手机号"),
    "emails": ("电子邮箱", "邮箱", "电子邮件", "e-mail", "email"),
    "state": ("状态", "在册状态"),
    "merged_into": ("并入", "合并至", "并入编号"),
}
LABELS = {field: names[0] for field, names in COLUMNS.items()}

# notices stored with a dataset's warnings (beside the 三查三核 findings; the rule id says which)
NOT_REGISTERED = "not_registered"
CAMPAIGN_DIFFERS = "campaign_differs"
NOTICE_RULES = (NOT_REGISTERED, CAMPAIGN_DIFFERS)
NOT_REGISTERED_TEXT = "编号不在区委教育工委的党组织名单中"


@dataclass(frozen=True)
class DistrictCampaign:
    """The campaign as the district defines it once: its name, 统计截止日期 and the four deadlines."""

    name: str = DEFAULT_NAME
    stats_date: date = DatasetCampaign().stats_date
    deadlines: Deadlines = field(default_factory=Deadlines)

    def as_dict(self) -> dict:
        return {"name": self.name, "stats_date": self.stats_date.isoformat(),
                "deadlines": {f.name: getattr(self.deadlines, f.name).isoformat() for f in fields(Deadlines)}}


def notice(rule: str, path: str, message: str) -> dict:
    """A notice in the shape of a 三查三核 finding (FindingSchema), so every list of warnings takes it."""
    return {"rule": rule, "severity": "W", "path": path, "message": message}


def not_registered(code: str) -> dict:
    return notice(NOT_REGISTERED, "org.code",
                  f"学校党组织编号「{code}」：{NOT_REGISTERED_TEXT}。数据已保存；请核对编号，或请区委教育工委把本支部加入名单")


def _day(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def given(block) -> set[str]:
    """What a dataset's own campaign block (as sent) gives of what the district sets: stats_date and the
    deadlines' names; what it leaves out takes the district's, so it cannot differ."""
    if not isinstance(block, dict):
        return set()
    out = {"stats_date"} & set(block)
    if isinstance(block.get("deadlines"), dict):
        out |= set(DELIVERABLE_LABELS) & set(block["deadlines"])
    return out


def campaign_differences(district: DistrictCampaign, own: DatasetCampaign, sent: set[str]) -> list[str]:
    """What the dataset's campaign block (the `sent` parts of it) says differently from the district's."""
    out = []
    if "stats_date" in sent and own.stats_date != district.stats_date:
        out.append(f"统计截止日期为{_day(own.stats_date)}，区里为{_day(district.stats_date)}")
    for name, label in DELIVERABLE_LABELS.items():
        mine, theirs = getattr(own.deadlines, name), getattr(district.deadlines, name)
        if name in sent and mine != theirs:
            out.append(f"{label}报送期限为{_day(mine)}，区里为{_day(theirs)}")
    return out


def campaign_notice(district: DistrictCampaign, own: DatasetCampaign, block) -> Optional[dict]:
    """The warning of a dataset whose own campaign block (`block`, as sent) differs from the district's;
    None when it agrees or gives none."""
    differences = campaign_differences(district, own, given(block))
    if not differences:
        return None
    return notice(CAMPAIGN_DIFFERS, "campaign",
                  f"数据包的排查工作安排（campaign）与区委教育工委设定的「{district.name}」不一致："
                  + "；".join(differences) + "。报送期限以区里设定的为准")
