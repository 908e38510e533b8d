"""What the roster pages show, built from a reading and a merge: plain rows for the templates, every
ID number and phone masked, fields named as the 数据采集表 names them. No Flask."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from service.intake.roster.labels import FIELD_LABELS, FIELD_TITLES
from service.intake.roster.merged import TITLES
from service.intake.roster.samples import SENSITIVE, masked

CHOICES = [("", "不导入")] + list(FIELD_TITLES.items())
KEY_FIELDS = ("name", "id_number")
NO_KEY = "请至少为「姓名」或「公民身份号码」选择一列：党员按公民身份号码对应到现有数据，没有时按姓名"


@dataclass
class MappingRow:
    letter: str
    header: str
    samples: list[str]
    field: Optional[str]
    why: str
    error: Optional[str] = None


@dataclass
class MappingForm:
    """The clerk's choice of field for each column, and what is wrong with it, by column."""

    mapping: dict[str, Optional[str]]
    errors: dict[str, str] = field(default_factory=dict)
    error: Optional[str] = None  # about the whole table


def mapping_rows(columns: list[dict], samples: dict[str, list[str]], form: Optional[MappingForm] = None) -> list[MappingRow]:
    chosen = form.mapping if form else {}
    return [MappingRow(c["column"], c["header"] or "（无列名）", samples.get(c["column"], []),
                       chosen.get(c["column"], c["field"]), c["why"], form.errors.get(c["column"]) if form else None)
            for c in columns]


def read_form(values: dict, columns: list[dict]) -> MappingForm:
    """The mapping table as posted ({"map-D": "id_number", …}); each field chosen by one column at most."""
    mapping, errors = {}, {}
    for column in columns:
        letter = column["column"]
        raw = values.get(f"map-{letter}", column["field"] or "")
        if raw and raw not in FIELD_LABELS:
            errors[letter] = "请从列表中选择要对应的信息"
            raw = ""
        mapping[letter] = raw or None
    taken: dict[str, list[str]] = {}
    for letter, chosen in mapping.items():
        if chosen:
            taken.setdefault(chosen, []).append(letter)
    for chosen, letters in taken.items():
        if len(letters) > 1:
            for letter in letters:
                others = "、".join(f"{x} 列" for x in letters if x != letter)
                errors[letter] = f"「{FIELD_TITLES[chosen]}」同时选给了{others}：每项信息只能对应一列，请改选或选「不导入」"
    error = None if any(f in KEY_FIELDS for f in mapping.values()) else NO_KEY
    return MappingForm(mapping, errors, error)


def shown(field_name: str, value) -> str:
    if value is None or value == "":
        return "（空）"
    text = str(value)
    return masked(text) if field_name in SENSITIVE and "*" not in text else text


@dataclass
class ChangeRow:
    who: str
    row: Optional[int]
    title: str
    before: str
    after: str


def added_rows(added: list[dict]) -> list[dict]:
    """Each new member: the roster row, the name, the masked ID number and what else the roster gave."""
    return [{"row": m.get("row"), "name": m.get("name") or "（无姓名）", "id_number": m.get("id_number") or "—",
             "facts": "；".join(f"{TITLES.get(k, k)}：{shown(k, v)}" for k, v in m.items()
                               if k not in ("row", "name", "id_number"))}
            for m in added]


def change_rows(changed: list[dict]) -> list[ChangeRow]:
    """One row per changed field: the member, the field, before → after."""
    out = []
    for item in changed:
        member = item["member"]
        who = f"{member.get('name') or '（无姓名）'}（{member.get('id_number') or '无公民身份号码'}）"
        for change in item["fields"]:
            out.append(ChangeRow(who, member.get("row"), TITLES.get(change["field"], change["field"]),
                                 shown(change["field"], change["before"]), shown(change["field"], change["after"])))
    return out


_WHO = re.compile(r"^(?:党员)?(「[^」]*」|第\d+名党员)(（花名册[^）]*）)(?:的(「[^」]+」(?:（[^）]*）)?))?：(.*)$")


def grouped_errors(errors: list[dict]) -> list[tuple[str, list[str]]]:
    """The merged dataset's errors by member: 「性别」「民族」：缺少必填项 once per member, not once per field."""
    groups: dict[str, dict[str, list[str]]] = {}
    for error in errors:
        found = _WHO.match(error["detail"])
        who, what, message = (found[1] + found[2], found[3] or "", found[4]) if found else ("支部信息", "", error["detail"])
        groups.setdefault(who, {}).setdefault(message, []).append(what)
    return [(who, [f"{''.join(fields)}{'：' if any(fields) else ''}{message}" for message, fields in by_message.items()])
            for who, by_message in groups.items()]


def based_on_text(base: Optional[dict]) -> str:
    if base is None:
        return "本支部还没有任何数据：导入后，支部信息（组织名称、书记、联系人等）和工作安排还要另行填写，见下方列表"
    state = "通过校验" if base["valid"] else "未通过校验"
    return f"以本支部现有的第 {base['version']} 版数据（{state}）为基础：花名册中有的信息更新，没有的保留"
