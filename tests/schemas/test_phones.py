"""Phones the way clerks type them: every printed form of a Chinese mobile or landline is kept in one
canonical form (13912345678, 0519-86310611, 0519-86310611转8001); the OpenAPI pattern is the field's gate."""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from schemas import load_dataset, validate
from schemas.fields import PHONE_PATTERN, Phone, canonical_phone

PRINTED = [
    # mobiles
    ("13912345678", "13912345678"),
    ("139 1234 5678", "13912345678"),
    ("139-1234-5678", "13912345678"),
    ("139.1234.5678", "13912345678"),
    ("+86 139 1234 5678", "13912345678"),
    ("+8613912345678", "13912345678"),
    ("(+86)13912345678", "13912345678"),
    ("0086 139 1234 5678", "13912345678"),
    ("１３９１２３４５６７８", "13912345678"),
    ("＋８６　１３９　１２３４　５６７８", "13912345678"),
    ("17900001000", "17900001000"),  # phonenumbers would read 1790 as a carrier code: not here
    # landlines
    ("0519-86310611", "0519-86310611"),
    ("0519 86310611", "0519-86310611"),
    ("051986310611", "0519-86310611"),
    ("(0519)86310611", "0519-86310611"),
    ("(0519) 8631 0611", "0519-86310611"),
    ("（0519）86310611", "0519-86310611"),
    ("（０５１９）８６３１０６１１", "0519-86310611"),
    ("０５１９－８６３１０６１１", "0519-86310611"),
    ("0519-8631 0611", "0519-86310611"),
    ("0519—86310611", "0519-86310611"),
    ("0519.8631.0611", "0519-86310611"),
    ("+86-519-86310611", "0519-86310611"),
    ("+86 (0)519 86310611", "0519-86310611"),
    ("+86 (519) 86310611", "0519-86310611"),
    ("0086 519 8631 0611", "0519-86310611"),
    ("010-62345678", "010-62345678"),
    ("(010)62345678", "010-62345678"),
    ("+86 10 6234 5678", "010-62345678"),
    ("025-83591234", "025-83591234"),
    ("0391-2345678", "0391-2345678"),  # seven-digit subscriber numbers are still in use
    # extensions
    ("0519-86310611转8001", "0519-86310611转8001"),
    ("0519-86310611-8001", "0519-86310611转8001"),
    ("0519 86310611 转 8001", "0519-86310611转8001"),
    ("(0519)86310611分机8001", "0519-86310611转8001"),
    ("０５１９－８６３１０６１１转８００１", "0519-86310611转8001"),
    ("+86-519-86310611-8001", "0519-86310611转8001"),
    ("0391-2345678-12", "0391-2345678转12"),
]

BAD = [
    "12900087109",  # no mobile starts 12
    "1390008710",  # ten digits
    "139000871091",  # twelve
    "0519-863106",  # six-digit subscriber
    "519-86310611",  # area code without its 0
    "0519-06310611",  # subscriber numbers do not start with 0
    "13912345678转8001",  # mobiles have no extension
    "0519-86310611转1234567",  # extension longer than six digits
    "+1 415 555 0100",  # not a Chinese number
    "0519 86310611 8001",  # extension without 转 or a hyphen
    "0519)86310611",
    "电话0519-86310611",
    "0519-86310611;13912345678",  # two numbers in one field
    "86-139-1234-5678",  # 86 without + or 00: 86310611-8001 would be +86 0310-6118001
]

NO_AREA_CODE = ["86310611", "8631 0611", "2345678", "86310611转8001", "86310611-8001"]


@pytest.mark.parametrize("typed, canonical", PRINTED)
def test_printed_forms_are_kept_canonical(sample_data, typed, canonical):
    sample_data["members"][0]["phone"] = typed
    sample_data["org"]["contact_phone"] = typed
    ds = load_dataset(sample_data)
    assert ds.members[0].phone == canonical and ds.org.contact_phone == canonical


@pytest.mark.parametrize("typed, canonical", PRINTED)
def test_pattern_takes_every_printed_form(typed, canonical):
    assert re.search(PHONE_PATTERN, typed) and re.search(PHONE_PATTERN, canonical)
    assert canonical_phone(canonical) == canonical


@pytest.mark.parametrize("typed", BAD + NO_AREA_CODE)
def test_pattern_refuses_what_the_field_refuses(typed):
    assert not re.search(PHONE_PATTERN, typed)
    assert canonical_phone(typed) is None


@pytest.mark.parametrize("typed", BAD)
def test_bad_phone_says_what_is_accepted(sample_data, typed):
    sample_data["members"][2]["phone"] = typed
    dataset, errors = validate(sample_data)
    assert dataset is None
    assert len(errors) == 1 and errors[0]["path"] == "members[2].phone"
    message = errors[0]["message"]
    assert f"电话号码「{typed}」无法识别" in message
    for form in ("13912345678", "0519-86310611", "(0519)86310611", "+86", "0519-86310611转8001"):
        assert form in message


@pytest.mark.parametrize("typed", NO_AREA_CODE)
def test_landline_without_area_code_is_refused(sample_data, typed):
    sample_data["org"]["contact_phone"] = typed
    dataset, errors = validate(sample_data)
    assert dataset is None
    assert errors == [{"path": "org.contact_phone",
                       "message": f"电话号码「{typed}」缺少区号：座机号码须带区号，如 0519-86310611"}]


def test_description_documents_the_choice():
    description = Phone().metadata["description"]
    assert "不带区号的座机号" in description and "0519-86310611转8001" in description


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.from_regex(PHONE_PATTERN, fullmatch=True))
def test_whatever_the_pattern_takes_the_field_takes(typed):
    """What schemathesis may send (tests/test_api_openapi.py) is never refused, and comes back canonical."""
    canonical = Phone().deserialize(typed)
    assert re.fullmatch(r"1[3-9][0-9]{9}|0(10|2[0-9]|[3-9][0-9]{2})-[2-9][0-9]{6,7}(转[0-9]{1,6})?", canonical)
    assert Phone().deserialize(canonical) == canonical
