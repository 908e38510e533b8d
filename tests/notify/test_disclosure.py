"""No ID number or phone in any reminder, as a property over generated branches whose names carry
them (in every printed form a clerk types: full-width digits, spaces, +86 …). A real branch name
never holds one; if one does, the rules mask the digits of that name (the branch is still named),
and every channel refuses a message that would still disclose one."""
from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.domain import disclosure
from service.domain.catalog import DELIVERABLE_IDS
from service.domain.model import Deadlines
from service.domain.reminders import Branch, by_hand, plan, returned
from service.notify.message import Message, refusal
from tests.properties.strategies import AREAS, HANZI, TEXT_CHAR, id_number, phones, text

DUE = Deadlines()
SEPARATORS = re.compile(r"[\s.\-()+]")


@st.composite
def id_numbers(draw) -> tuple[str, str]:
    """(as written, its 18 characters)."""
    number = id_number(draw(st.dates(date(1930, 1, 1), date(2005, 12, 31))), draw(st.booleans()),
                       draw(st.integers(0, 99)), draw(st.sampled_from(AREAS)), draw(st.booleans()))
    written = draw(st.sampled_from((number, number.upper(), " ".join([number[:6], number[6:14], number[14:]]),
                                    "".join(chr(ord("０") + int(c)) if c.isdigit() else c for c in number))))
    return written, number.upper()


secrets = st.one_of(id_numbers(), phones())


@st.composite
def leaky_branches(draw) -> tuple[Branch, str, str]:
    """A branch whose name holds an ID number or a phone, that number's digits, and the name's words."""
    written, canonical = draw(secrets)
    stem = draw(text(12, alphabet=HANZI))
    name = draw(st.sampled_from(("{s}{n}党支部", "{s}党支部（{n}）", "{n}{s}党支部", "{s} {n} 党支部")))
    sent = frozenset(draw(st.lists(st.sampled_from(DELIVERABLE_IDS), unique=True, max_size=3)))
    code = f"WJ{draw(st.integers(0, 999)):03d}"
    return Branch(code, name.format(s=stem, n=written), ("clerk@example.cn",), sent), canonical, stem


def digits_of(value: str) -> str:
    return re.sub(r"[^0-9X]", "", unicodedata.normalize("NFKC", value).upper().split("转")[0])


def exposed(secret_digits: str, message: str) -> bool:
    """Whether the number's digits stand in the message, separators between them or not (a check
    of its own, not disclosure.find)."""
    plain = SEPARATORS.sub("", unicodedata.normalize("NFKC", message).upper())
    core = secret_digits[1:] if secret_digits.startswith("0") else secret_digits  # +86 drops the national 0
    return core in plain


campaign_days = st.dates(date(2023, 6, 10), date(2023, 10, 25))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(leaky_branches(), min_size=1, max_size=6), campaign_days, st.sampled_from(DELIVERABLE_IDS))
def test_no_reminder_discloses_an_id_number_or_a_phone(branches, today, deliverable):
    registered = [b for b, _, _ in branches]
    reminders = plan(DUE, today, registered, (3, 1, 0))
    for b in registered:
        reminders += returned(b, deliverable, DUE, today) + by_hand(b, DUE, today)
    assert reminders  # every branch is reminded of something: each rule ran over these names
    for r in reminders:
        message = f"{r.subject}\n{r.body}"
        assert disclosure.find(message) is None
        assert refusal(Message(r.subject, r.body, r.to)) is None  # the channels would send it
        for _, number, _ in branches:
            assert not exposed(digits_of(number), message)
    named = "".join(f"{r.subject}{r.body}" for r in reminders)
    assert all(stem in named for _, _, stem in branches)  # the branch is still named, less its digits


@settings(max_examples=300)
@given(secrets)
def test_every_printed_form_is_found_and_refused(secret):
    written, _ = secret
    assert disclosure.find(f"请{written}核对") in ("身份证号码", "电话号码")
    refused = refusal(Message("【党员组织关系排查】报送提醒", f"湖塘实验中学党支部（{written}）尚未报送。"))
    assert refused is not None and not refused.accepted
    assert not any(ch.isdigit() for ch in refused.detail)  # the refusal does not repeat it


@settings(max_examples=300)
@given(text(40, alphabet=st.one_of(TEXT_CHAR, st.sampled_from("0123456789０１２３４５６７８９ -+()¹²³①"))))
def test_what_redact_leaves_discloses_nothing(raw):
    cleaned = disclosure.redact(raw)
    assert disclosure.find(cleaned) is None
    if disclosure.find(raw) is None:
        assert cleaned == raw  # a name with nothing to hide is left as it is


def test_our_own_wording_is_never_taken_for_a_number():
    """Dates, counts and days of the whole campaign: nothing of ours trips the guard."""
    many = [Branch(f"B{i:04d}", f"武进区第{i}中学党支部") for i in range(1, 200)]
    day = date(2023, 6, 1)
    while day <= date(2023, 11, 1):
        for r in plan(DUE, day, many, (30, 14, 7, 3, 1, 0)) + by_hand(many[0], DUE, day):
            assert refusal(Message(r.subject, r.body)) is None, r.body
        day += timedelta(days=1)
