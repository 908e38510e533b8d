"""A small district in the store for the district pages' tests: six branches, stored through the
store's submissions module at chosen moments (some late, one with errors, one with “失联” members,
one with two versions, one that never sent a valid dataset). Not a conftest: the modules import it."""
from __future__ import annotations

import json
from dataclasses import dataclass

from service.domain.catalog import DELIVERABLE_IDS
from service.intake.received import from_json_body
from service.store import branches, deliveries, submissions
from tests.conftest import beijing
from tools.synthetic import synthetic_branch

CODES = ("D001", "D002", "D003", "D004", "D005", "D006")
VALID = ("D001", "D002", "D003", "D004", "D005")  # D006 never sent a valid dataset
NAMES = {code: f"湖塘第{int(code[1:])}实验小学党支部" for code in CODES}


def branch(code: str, members: int = 6) -> dict:
    """A valid synthetic branch under its own code and name (6 members: no one 失联; 30: some)."""
    data = synthetic_branch(members, seed=2000 + int(code[1:]))
    data["org"].update(code=code, name=NAMES[code], full_name=f"中共常州市武进区{NAMES[code][:-3]}支部委员会")
    data["stage_summary"] = {"checks": "逐人核对了三查三核。", "plan": "对失联党员按规定处置。"}
    data["final_report"] = {"work_done": "整改规范阶段补齐了组织关系。", "long_term_measures": ["每季度核对一次名册"]}
    return data


@dataclass
class District:
    tokens: dict  # (code, version) → the clerk's result-page token
    codes: dict  # (code, version) → 校验码 (valid versions)


def fill(db) -> District:
    """Store the six branches, each valid version 报送 as all four deliverables when it arrives (the
    second of D005 replaces the first: 已重新报送); their result-page tokens and 校验码."""
    plan = [
        ("D001", branch("D001"), beijing(2023, 6, 15, 9, 0)),  # on time
        ("D002", branch("D002"), beijing(2023, 7, 20, 10, 30)),  # 工作方案 and 附件3—9 late
        ("D003", branch("D003"), beijing(2023, 6, 16, 9, 0)),
        ("D003", {**branch("D003"), "members": []}, beijing(2023, 7, 1, 9, 0)),  # newest version rejected
        ("D004", branch("D004", 30), beijing(2023, 6, 18, 9, 0)),  # members 失联
        ("D005", branch("D005"), beijing(2023, 6, 10, 9, 0)),
        ("D005", branch("D005", 7), beijing(2023, 6, 19, 16, 45)),  # one member more, a new contact
        ("D006", {**branch("D006"), "members": []}, beijing(2023, 6, 12, 9, 0)),  # never valid: overdue
    ]
    district = District({}, {})
    for code, data, when in plan:
        raw = json.dumps(data, ensure_ascii=False).encode()
        kept = submissions.submit(db, from_json_body(raw), "api", when, actor=f"{NAMES[code]} 党务干事")
        district.tokens[(code, kept.version)] = kept.token
        if kept.valid:
            district.codes[(code, kept.version)] = kept.verification_code
            with db.writing() as session:
                at = branches.get(session, code)
                sub = deliveries.pick(session, at, kept.version)
                for deliverable in DELIVERABLE_IDS:
                    deliveries.deliver(session, at, deliverable, sub, f"{NAMES[code]} 党务干事", "api", when)
    return district
