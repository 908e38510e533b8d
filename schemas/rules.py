"""Cross-field checks: the contract's "iff" conditions and the E rules of forms.md §4 (ID, AGE,
PROB, LOST).

Every function works on the partially loaded data marshmallow hands over (fields that failed are
absent) and on the raw input, so a check runs whenever the fields it needs parsed and stays quiet
when one of them already has its own error. Results are marshmallow-shaped error dicts.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date

from marshmallow import ValidationError

from service.domain import idcard
from service.domain.calendar import add_years, duration_text, months_between
from service.domain.model import Campaign

from .vocab import CONTACTED, FILE_NAME_FORBIDDEN, LOST_HANDLING, UNREACHABLE

MAX_NAME = 30
LOST_MIN_MONTHS = 6


def _given(raw, key: str) -> bool:
    """The input carries a value for key (null and blank text count as absent)."""
    if not isinstance(raw, Mapping):
        return False
    value = raw.get(key)
    return value is not None and not (isinstance(value, str) and not value.strip())


def _failed(data: Mapping, raw, key: str) -> bool:
    """key was given but did not parse: its own error is already reported."""
    return _given(raw, key) and data.get(key) is None


def _dict(errors: dict) -> dict:
    return {k: v for k, v in errors.items() if v}


# ---- field validators ------------------------------------------------------------------------

def name_length(value: str) -> None:
    if len(value) > MAX_NAME:
        raise ValidationError(f"姓名不能超过{MAX_NAME}个字符，现为{len(value)}个")


def file_name_safe(value: str) -> None:
    bad = sorted({ch for ch in value if ch in FILE_NAME_FORBIDDEN}, key=value.index)
    if bad:
        shown = "」「".join(bad)
        raise ValidationError(
            f"党组织名不能含有字符「{shown}」（该名称用于文件名，不能含 \\ / : * ? \" < > |）"
        )


# ---- object conditions -----------------------------------------------------------------------

def destination_errors(data: Mapping, raw) -> dict:
    if not isinstance(raw, Mapping) or _failed(data, raw, "country"):
        return {}
    if (data.get("country") or "中国") == "中国" and not _given(raw, "province"):
        return {"province": ["缺少必填项：国内的外出地点须填写省份（province）"]}
    return {}


def lost_contact_errors(data: Mapping, raw) -> dict:
    if not isinstance(raw, Mapping):
        return {}
    errors: dict[str, list] = defaultdict(list)
    situation = data.get("situation")
    if situation == "其他" and not _given(raw, "situation_note"):
        errors["situation_note"].append("缺少必填项：失去联系情形为「其他」时须填写具体情形（situation_note）")
    elif situation and situation != "其他" and _given(raw, "situation_note"):
        errors["situation_note"].append(
            f"失去联系情形为「{situation}」时不应填写情形说明（situation_note）：只有情形为「其他」时才填写")
    outcome = data.get("outcome")
    if outcome == CONTACTED and not _given(raw, "contacted_date"):
        errors["contacted_date"].append("缺少必填项：取得联系的须填写取得联系时间（contacted_date）")
    if outcome == CONTACTED and _records(raw):
        errors["search_record"].append(
            "结果为「取得联系」时不应填写查找记录（search_record）：查找记录只填无法取得联系的党员；"
            "请删去该党员的查找记录，或改正排查结果")
    if outcome == UNREACHABLE:
        if _given(raw, "contacted_date"):
            errors["contacted_date"].append("结果为「无法取得联系」时不应填写取得联系时间")
        if not data.get("search_record") and not _failed(data, raw, "search_record"):
            errors["search_record"].append(
                "缺少必填项：无法取得联系的须填写至少一条查找记录（date、method、result）"
            )
    handling = data.get("handling")
    if handling and outcome and handling not in LOST_HANDLING[outcome]:
        allowed = "、".join(LOST_HANDLING[outcome])
        errors["handling"].append(f"「{handling}」不是「{outcome}」的处理情况，应为：{allowed}")
    return _dict(errors)


def _records(raw: Mapping) -> bool:
    """The input lists at least one search attempt (an empty list is no record)."""
    records = raw.get("search_record")
    return isinstance(records, list) and bool(records)


def hanging_errors(data: Mapping, raw) -> dict:
    if not isinstance(raw, Mapping) or "resolved" not in data:
        return {}
    errors = {}
    labels = {"resolution": "理顺情况（resolution）", "resolved_date": "理顺日期（resolved_date）"}
    for key, label in labels.items():
        if data["resolved"] and not _given(raw, key):
            errors[key] = [f"缺少必填项：已理顺的须填写{label}"]
        elif not data["resolved"] and _given(raw, key):
            errors[key] = [f"未理顺（resolved 为 false）时不应填写{label}"]
    return errors


def phase_errors(data: Mapping) -> dict:
    start, end = data.get("start"), data.get("end")
    if start and end and end < start:
        return {"end": [f"结束日期 {end} 早于开始日期 {start}"]}
    return {}


# ---- the E rules over the member list ----------------------------------------------------------

def dataset_errors(data: Mapping, raw) -> dict:
    """ID, AGE, PROB and LOST for every member whose relevant fields parsed, plus ID uniqueness."""
    members = data.get("members")
    if not isinstance(members, list) or not isinstance(raw, Mapping):
        return {}
    raw_members = raw.get("members") if isinstance(raw.get("members"), list) else []
    search_end = _campaign_search_end(data, raw)
    found: dict[int, dict] = {}
    for i, member in enumerate(members):
        raw_member = raw_members[i] if i < len(raw_members) else {}
        if isinstance(member, Mapping) and isinstance(raw_member, Mapping):
            errors = member_errors(member, raw_member, search_end)
            if errors:
                found[i] = errors
    for i, message in duplicate_ids(members):
        found.setdefault(i, {}).setdefault("id_number", []).append(message)
    return {"members": found} if found else {}


def _campaign_search_end(data: Mapping, raw: Mapping) -> date | None:
    campaign = data.get("campaign") or {}
    if _failed(campaign, raw.get("campaign"), "search_end_date"):
        return None
    return campaign.get("search_end_date") or Campaign().search_end_date


def member_errors(m: Mapping, raw: Mapping, search_end: date | None) -> dict:
    errors: dict[str, list] = defaultdict(list)
    birth = _identity(m, errors)
    _dates(m, raw, birth, errors)
    lost = _lost(m, raw, search_end)
    result = _dict(errors)
    if lost:
        result["lost_contact"] = lost
    return result


def _identity(m: Mapping, errors: dict) -> date | None:
    """Gender parity and birth date against the ID number; returns the birth date to use."""
    idn, gender = m.get("id_number"), m.get("gender")
    if idn and gender and idcard.gender(idn) != gender:
        parity = "奇数，应为男" if int(idn[16]) % 2 else "偶数，应为女"
        errors["gender"].append(f"性别「{gender}」与公民身份号码不符：第17位为 {idn[16]}（{parity}）")
    id_birth = idcard.birth_date(idn) if idn else None
    given = m.get("birth_date")
    if given and id_birth and given != id_birth:
        errors["birth_date"].append(f"出生日期 {given} 与公民身份号码中的出生日期 {id_birth} 不符")
    return id_birth or given


def _years_later(d: date, years: int) -> date | None:
    """add_years, or None past 9999-12-31: later than any date a dataset can hold."""
    try:
        return add_years(d, years)
    except ValueError:
        return None


def _dates(m: Mapping, raw: Mapping, birth: date | None, errors: dict) -> None:
    """AGE and PROB."""
    join, full, kind = m.get("join_date"), m.get("full_member_date"), m.get("member_type")
    adult = _years_later(birth, 18) if birth else None
    if birth and join and (adult is None or join < adult):
        adult_text = adult or f"{birth.year + 18}-{birth.month:02d}-{birth.day:02d}"
        errors["join_date"].append(
            f"入党时间 {join} 时未满18周岁（出生日期 {birth}，{adult_text} 年满18周岁）"
        )
    if kind == "预备党员" and _given(raw, "full_member_date"):
        errors["full_member_date"].append("预备党员不应填写转正时间")
        return
    if kind == "正式党员" and not _given(raw, "full_member_date"):
        errors["full_member_date"].append("缺少必填项：正式党员须填写转正时间")
    if join and full:
        if full <= join:
            errors["full_member_date"].append(f"转正时间 {full} 应晚于入党时间 {join}")
        elif (limit := _years_later(join, 2)) is not None and full > limit:
            errors["full_member_date"].append(
                f"转正时间 {full} 超过入党时间后2年（{limit}）：预备期1年，至多延长1年"
            )


def _lost(m: Mapping, raw: Mapping, search_end: date | None) -> dict:
    """LOST: from since (or the later of the last 组织生活 and 党费) to the end of the search."""
    lc, raw_lc = m.get("lost_contact"), raw.get("lost_contact")
    if not isinstance(lc, Mapping) or not isinstance(raw_lc, Mapping):
        return {}
    if _failed(lc, raw_lc, "since") or _failed(lc, raw_lc, "search_end_date"):
        return {}
    since = lc.get("since")
    if since is None:
        keys = ("last_org_life_date", "last_dues_date")
        if any(_failed(m, raw, k) for k in keys):
            return {}
        known = [m[k] for k in keys if m.get(k)]
        if not known:
            return {"since": [
                "缺少失去联系时间：未填写 since，也没有最后一次组织生活（last_org_life_date）"
                "或交纳党费（last_dues_date）的日期可推算"
            ]}
        since = max(known)
    end = lc.get("search_end_date") or search_end
    if end is None:
        return {}
    months = months_between(since, end)
    if months < LOST_MIN_MONTHS:
        span = f"{since} 至 {end}"
        length = "失去联系时间晚于查找结束日" if months < 0 else f"失去联系时长为{duration_text(months)}"
        return {"_schema": [f"{length}（{span}），不足6个月，不属于失联党员"]}
    return {}


def duplicate_ids(members: list) -> list[tuple[int, str]]:
    """(index, message) for every member whose ID number another member also has."""
    seen: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(members):
        if isinstance(m, Mapping) and m.get("id_number"):
            seen[m["id_number"]].append(i)
    out = []
    for indices in seen.values():
        for i in indices if len(indices) > 1 else ():
            others = "、".join(
                f"members[{j}]" + (f"（{members[j]['name']}）" if members[j].get("name") else "")
                for j in indices if j != i
            )
            out.append((i, f"公民身份号码重复：与 {others}相同"))
    return out
