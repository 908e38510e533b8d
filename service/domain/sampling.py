"""随机抽查: k branches, and m members in each, drawn reproducibly from a seed (the notice's 「采取随机抽查」).

The algorithm, fixed so that a seed printed on a checklist draws the same sample again, anywhere:

1. Candidates are sorted by branch code, a branch's members (those in scope, the rows of every
   table) by ID number: the order they come in does not matter.
2. Every candidate gets a key u ** (1 / w) with u from the generator's random(), in that order
   (Efraimidis–Spirakis weighted sampling without replacement); the k largest keys are drawn.
   Unweighted, w = 1 for all: the k largest of uniform keys, a uniform sample. Weighted, a branch's
   w = 1 + its 三查三核 findings (the 提示 the district's findings page counts), so a branch with
   findings is drawn more often and a branch without any can still be drawn.
3. The branches are drawn with random.Random(f"{seed}/branches"), the members of branch C with
   random.Random(f"{seed}/members/{C}"): a branch's members depend only on the seed and that
   branch. A str seed (hashed with SHA-512) and random() are what the random module promises to
   keep the same across Python versions; nothing else of it is used.

k larger than the candidates draws all of them; m larger than a branch's members draws all of its.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from . import check_items, idcard, rules, scope
from .model import Dataset

_MEMBER_INDEX = re.compile(r"^members\[(\d+)\]")


@dataclass(frozen=True)
class Candidate:
    """A branch that may be drawn: one with a valid dataset."""

    code: str
    name: str
    findings: int = 0  # its 三查三核 findings (weights the draw when asked)


@dataclass(frozen=True)
class DrawnMember:
    name: str
    masked_id: str  # 3204**********123X: never the full number
    person_category: str
    member_type: str
    facts: tuple[str, ...]  # what the data says on each of check_items.CHECK_ITEMS, in order

    def as_dict(self) -> dict:
        return {"name": self.name, "id_number": self.masked_id, "person_category": self.person_category,
                "member_type": self.member_type,
                "facts": {item.key: text for item, text in zip(check_items.CHECK_ITEMS, self.facts)}}


@dataclass(frozen=True)
class DrawnBranch:
    code: str
    name: str
    findings: int
    in_scope: int  # members it could have been drawn from
    members: tuple[DrawnMember, ...]  # by ID number

    def as_dict(self) -> dict:
        return {"code": self.code, "name": self.name, "findings": self.findings, "in_scope": self.in_scope,
                "members": [m.as_dict() for m in self.members]}


@dataclass(frozen=True)
class Sample:
    seed: int
    weighted: bool
    branches_asked: int
    members_asked: int
    candidates: int  # branches it was drawn from
    branches: tuple[DrawnBranch, ...]  # by code

    def as_dict(self) -> dict:
        return {"seed": self.seed, "weighted": self.weighted, "branches_asked": self.branches_asked,
                "members_asked": self.members_asked, "candidates": self.candidates,
                "branches": [b.as_dict() for b in self.branches]}


def draw(candidates: Iterable[Candidate], branches: int, members: int, seed: int,
         load: Callable[[str], Dataset], weighted: bool = False) -> Sample:
    """The sample: `load` gives a drawn branch's dataset (only drawn ones are loaded)."""
    pool = sorted(candidates, key=lambda c: c.code)
    weights = [1 + max(0, c.findings) if weighted else 1 for c in pool]
    chosen = _largest_keys(random.Random(f"{seed}/branches"), weights, branches)
    drawn = tuple(_drawn_branch(pool[i], load(pool[i].code), members, seed) for i in sorted(chosen))
    return Sample(seed, weighted, branches, members, len(pool), drawn)


def candidate(ds: Dataset) -> Candidate:
    """A branch as a candidate, its findings counted from its dataset."""
    return Candidate(ds.org.code, ds.org.name, len(rules.findings(ds)))


def _largest_keys(rng: random.Random, weights: Sequence[float], k: int) -> list[int]:
    """Indexes of the k largest keys u ** (1 / w), one u per weight in order; all when k ≥ len."""
    keys = [rng.random() ** (1.0 / w) for w in weights]
    return sorted(range(len(keys)), key=lambda i: (-keys[i], i))[:max(0, k)]


def _drawn_branch(cand: Candidate, ds: Dataset, m: int, seed: int) -> DrawnBranch:
    members = sorted(scope.indexed_in_scope(ds), key=lambda im: im[1].id_number)
    chosen = _largest_keys(random.Random(f"{seed}/members/{cand.code}"), [1] * len(members), m)
    by_member: dict[int, list[rules.Finding]] = {}
    for f in rules.findings(ds):
        hit = _MEMBER_INDEX.match(f.path)
        if hit:
            by_member.setdefault(int(hit.group(1)), []).append(f)
    drawn = []
    for j in sorted(chosen):
        index, member = members[j]
        texts = check_items.facts(member, check_items.hints_of(by_member.get(index, [])))
        drawn.append(DrawnMember(member.name, idcard.mask(member.id_number), member.person_category,
                                 member.member_type, tuple(texts[item.key] for item in check_items.CHECK_ITEMS)))
    return DrawnBranch(cand.code, cand.name or ds.org.name, cand.findings, len(members), tuple(drawn))
