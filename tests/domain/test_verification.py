"""The 校验码: the same content gives the same code however it was typed; any change gives another."""
from __future__ import annotations

import copy
import re

import pytest

from schemas import dump_dataset, load_dataset
from service.domain.verification import canonical, parse, printed, verification_code

CODE = re.compile(r"^[0-9A-F]{4}-[0-9A-F]{4}$")


def code_of(data: dict) -> str:
    return verification_code(load_dataset(data))


def test_code_is_eight_hex_digits_and_printed_with_its_label(sample_dataset):
    code = verification_code(sample_dataset)
    assert CODE.match(code)
    assert printed(code) == f"校验码 {code}"


def test_same_content_same_code_however_typed(sample_data):
    first = code_of(sample_data)
    assert code_of(copy.deepcopy(sample_data)) == first
    assert code_of(dump_dataset(load_dataset(sample_data))) == first  # the round trip through the contract
    reordered = dict(reversed(list(sample_data.items())))  # key order of the JSON object
    assert code_of(reordered) == first
    typed = copy.deepcopy(sample_data)
    member = next(m for m in typed["members"] if m.get("phone"))
    digits = re.sub(r"\D", "", member["phone"])
    member["phone"] = f"{digits[:3]} {digits[3:7]} {digits[7:]}" if len(digits) == 11 else f"({digits[:4]}){digits[4:]}"
    assert code_of(typed) == first  # a phone typed with spaces is the same printed phone


@pytest.mark.parametrize("change", [
    lambda d: d["members"][0].update(name=d["members"][0]["name"] + "甲"),
    lambda d: d["members"][1].update(remarks="新备注"),
    lambda d: d["members"].pop(),
    lambda d: d["members"].reverse(),  # 序号 moves, so the paper differs
    lambda d: d["org"].update(full_name=d["org"]["full_name"] + "（新）"),
    lambda d: d["org"].update(fill_date="2023-07-02"),
])
def test_any_change_gives_another_code(sample_data, change):
    sample_data["org"]["fill_date"] = "2023-07-01"
    before = code_of(sample_data)
    change(sample_data)
    assert code_of(sample_data) != before


def test_canonical_form_is_sorted_compact_json(sample_dataset):
    text = canonical(sample_dataset).decode("utf-8")
    assert text.startswith("{") and ", " not in text and "\n" not in text
    assert '"fill_date":"' in text


@pytest.mark.parametrize("typed, expected", [
    ("7F3A-92C1", "7F3A-92C1"), ("7f3a92c1", "7F3A-92C1"), (" 7F3A 92C1 ", "7F3A-92C1"),
    ("校验码 7F3A-92C1", "7F3A-92C1"), ("７Ｆ３Ａ－９２Ｃ１", "7F3A-92C1"), ("7F3A—92C1", "7F3A-92C1"),
    ("7F3A-92C", None), ("7F3A-92CG", None), ("", None), ("7F3A-92C1-0", None),
])
def test_typed_codes_are_read_back(typed, expected):
    assert parse(typed) == expected
