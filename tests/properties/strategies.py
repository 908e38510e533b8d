"""Hypothesis strategies for the input contract (docs: /shared/spec/contract.md, schemas/).

`datasets()` builds datasets that keep every rule of the contract: field lengths (schemas/objects.py),
phones in the printed forms a clerk types (schemas/fields.py PHONE_PATTERN), names with · and
characters outside the BMP, ID numbers with their GB 11643 check digit agreeing with gender and
birth date, the age and probation rules, and every "iff" of the sub-records. `mutations` each break
exactly one rule of such a dataset and say which path the error must name.
"""
from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from schemas import vocab
from schemas.objects import ADDRESS, LINE, ORG_FULL, PLACE, REMARKS, SHORT
from schemas.rules import MAX_NAME
from service.domain import idcard
from service.domain.calendar import add_years

# Characters a clerk's text may carry: common and rare hanzi, one outside the BMP (𠮷 U+20BB7, 𡃁),
# full-width punctuation, ASCII letters and digits. None that XML forbids, none that trimming removes.
HANZI = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
RARE = st.sampled_from("喆堃昇玥𠮷𡃁𪚥龘䶮")
PUNCT = st.sampled_from("（）、，。：；“”《》—·-()0123456789ABCxyz ")
TEXT_CHAR = st.one_of(HANZI, HANZI, HANZI, RARE, PUNCT)
FILE_NAME_CHAR = TEXT_CHAR.filter(lambda ch: ch not in vocab.FILE_NAME_FORBIDDEN)

CAMPAIGN_CUTOFF = date(2023, 6, 30)
SEARCH_END = date(2023, 7, 15)
AREAS = ("320412", "320402", "110101", "650102", "440305")


def text(max_size: int, min_size: int = 1, alphabet=TEXT_CHAR) -> st.SearchStrategy[str]:
    """Text of min_size–max_size characters that trimming leaves as it is (no edge spaces)."""
    return st.text(alphabet, min_size=min_size, max_size=max_size).map(str.strip).filter(
        lambda s: len(s) >= min_size)


@st.composite
def names(draw) -> str:
    """A person's name: 2–4 hanzi, sometimes two parts joined by ·, up to the 30-character limit."""
    part = st.text(st.one_of(HANZI, RARE), min_size=1, max_size=8)
    if draw(st.booleans()):
        return draw(part)[:MAX_NAME] + draw(st.text(HANZI, min_size=1, max_size=2))
    parts = draw(st.lists(part, min_size=2, max_size=3))
    return "·".join(parts)[:MAX_NAME].strip("·") or "王"


@st.composite
def phones(draw) -> tuple[str, str]:
    """(printed form, canonical form) of a mobile or landline, the ways clerks write them."""
    if draw(st.booleans()):
        digits = f"1{draw(st.sampled_from('3456789'))}{draw(st.integers(0, 10**9 - 1)):09d}"
        form = draw(st.sampled_from(("{d}", "{a} {b} {c}", "+86 {a} {b} {c}", "{a}-{b}-{c}", "0086{d}",
                                     "FULL")))
        a, b, c = digits[:3], digits[3:7], digits[7:]
        if form == "FULL":
            printed = "".join(chr(ord("０") + int(ch)) for ch in digits)
        else:
            printed = form.format(d=digits, a=a, b=b, c=c)
        return printed, digits
    area = draw(st.sampled_from(("0519", "010", "021", "0512")))
    local = f"{draw(st.integers(2, 9))}{draw(st.integers(0, 10**7 - 1)):07d}"
    canonical = f"{area}-{local}"
    printed = draw(st.sampled_from((canonical, f"{area} {local}", f"({area}){local}",
                                    f"+86-{area[1:]}-{local}", f"（{area}）{local}")))
    if draw(st.booleans()):
        ext = str(draw(st.integers(1, 99999)))
        return printed + draw(st.sampled_from(("转", "-", " 转 "))) + ext, f"{canonical}转{ext}"
    return printed, canonical


def dates(start: date, end: date) -> st.SearchStrategy[date]:
    return st.dates(min_value=start, max_value=end)


def month(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def id_number(birth: date, male: bool, seq: int, area: str, lower_x: bool) -> str:
    """A valid 公民身份号码; seq (0–99) makes it unique in the branch, the parity its gender."""
    first17 = f"{area}{birth:%Y%m%d}{seq:02d}{(seq % 5) * 2 + (1 if male else 0)}"
    number = first17 + idcard.check_char(first17)
    return number.lower() if lower_x else number


def optional(strategy) -> st.SearchStrategy:
    return st.one_of(st.none(), strategy)


@st.composite
def outgoing(draw) -> dict:
    abroad = draw(st.booleans())
    destination = {"country": draw(text(PLACE))} if abroad and draw(st.booleans()) else {
        "province": draw(st.sampled_from(("江苏省", "浙江省", "新疆维吾尔自治区", "香港"))),
        "city": draw(text(PLACE)), "county": draw(text(PLACE))}
    if draw(st.booleans()):
        destination["detail"] = draw(text(LINE))
    record = {
        "left_date": month(draw(dates(date(2015, 1, 1), CAMPAIGN_CUTOFF))),
        "destination": destination,
        "reason": draw(st.sampled_from(vocab.OUTGOING_REASONS)),
        "fixed_place": draw(st.booleans()),
        "has_flow_card": draw(st.booleans()),
        "in_contact": draw(st.booleans()),
        "flow_card_no": draw(optional(text(SHORT))),
        "host_org": draw(optional(text(ORG_FULL))),
        "contact": draw(optional(text(LINE))),
        "relation_action": draw(optional(st.sampled_from(vocab.RELATION_ACTIONS))),
    }
    return {k: v for k, v in record.items() if v is not None}


@st.composite
def lost_contact(draw) -> dict:
    since = draw(dates(date(2000, 1, 1), date(2022, 12, 31)))  # ≥ 6 months before the search ends
    situation = draw(st.sampled_from(vocab.LOST_SITUATIONS))
    outcome = draw(st.sampled_from(vocab.LOST_OUTCOMES))
    record = {"since": month(since), "situation": situation, "outcome": outcome,
              "current_whereabouts": draw(optional(text(LINE))), "contact": draw(optional(text(LINE)))}
    if situation == "其他":
        record["situation_note"] = draw(text(LINE))
    if outcome == vocab.CONTACTED:
        record["contacted_date"] = draw(dates(date(2023, 7, 1), SEARCH_END)).isoformat()
    else:
        record["search_record"] = draw(st.lists(st.fixed_dictionaries({
            "date": dates(date(2023, 6, 1), SEARCH_END).map(date.isoformat),
            "method": text(SHORT), "result": text(LINE)}), min_size=1, max_size=6))
    record["handling"] = draw(optional(st.sampled_from(vocab.LOST_HANDLING[outcome])))
    return {k: v for k, v in record.items() if v is not None}


@st.composite
def hanging(draw) -> dict:
    record = {"reason": draw(text(LINE)), "resolved": draw(st.booleans())}
    if record["resolved"]:
        record.update(resolution=draw(text(LINE)),
                      resolved_date=draw(dates(date(2023, 1, 1), SEARCH_END)).isoformat())
    return record


def abroad() -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries({
        "kind": st.sampled_from(vocab.ABROAD_KINDS),
        "since": dates(date(2010, 1, 1), CAMPAIGN_CUTOFF).map(month),
        "country": text(PLACE),
        "procedures_done": st.booleans(),
    }, optional={"handling": st.sampled_from(vocab.ABROAD_HANDLING)})


def transfer_out() -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries({
        "date": dates(date(2020, 1, 1), CAMPAIGN_CUTOFF).map(date.isoformat),
        "to_org": text(ORG_FULL), "receipt_received": st.booleans()})


SUB_RECORDS = {"outgoing": outgoing(), "lost_contact": lost_contact(), "hanging": hanging(),
               "abroad": abroad(), "transfer_out": transfer_out()}


@st.composite
def member(draw, seq: int) -> dict:
    male = draw(st.booleans())
    birth = draw(dates(date(1950, 1, 1), date(2004, 6, 1)))
    join = draw(dates(add_years(birth, 18), CAMPAIGN_CUTOFF))
    probationary = draw(st.booleans()) and join > date(2021, 7, 1)
    m = {
        "name": draw(names()),
        "gender": "男" if male else "女",
        "ethnicity": draw(st.sampled_from(vocab.ETHNICITIES)),
        "id_number": id_number(birth, male, seq, draw(st.sampled_from(AREAS)), draw(st.booleans())),
        "education": draw(st.sampled_from(vocab.EDUCATIONS)),
        "member_type": "预备党员" if probationary else "正式党员",
        "join_date": join.isoformat(),
        "person_category": draw(st.sampled_from(vocab.PERSON_CATEGORIES)),
    }
    if not probationary:
        m["full_member_date"] = draw(dates(join + timedelta(days=1), add_years(join, 2))).isoformat()
    if draw(st.booleans()):
        m["birth_date"] = birth.isoformat()
    printed, canonical = draw(phones())
    if draw(st.booleans()):
        m["phone"] = printed
    optional_text = {"job_post": SHORT, "home_address": ADDRESS, "remarks": REMARKS}
    for key, limit in optional_text.items():
        if draw(st.booleans()):
            m[key] = draw(text(limit))
    if draw(st.booleans()):
        m["last_org_life_date"] = draw(dates(date(2000, 1, 1), CAMPAIGN_CUTOFF)).isoformat()
    if draw(st.booleans()):
        m["last_dues_date"] = month(draw(dates(date(2000, 1, 1), CAMPAIGN_CUTOFF)))
    m["verified"] = draw(st.booleans())
    if draw(st.booleans()):
        m["corrections"] = draw(st.lists(text(LINE), max_size=10))
    kinds = draw(st.lists(st.sampled_from(tuple(SUB_RECORDS)), max_size=2, unique=True))
    for kind in kinds:
        m[kind] = draw(SUB_RECORDS[kind])
    return m


@st.composite
def datasets(draw, max_members: int = 6) -> dict:
    """A valid dataset: the org, 1–max_members members, sometimes the narrative inputs."""
    count = draw(st.integers(1, max_members))
    printed, _ = draw(phones())
    data = {
        "schema_version": "1",
        "org": {
            "code": draw(st.text(st.sampled_from("ABCDEFGHJKWXYZabc0123456789"), min_size=1, max_size=16)),
            "name": draw(text(SHORT, alphabet=FILE_NAME_CHAR)),
            "full_name": draw(text(ORG_FULL)),
            "unit_name": draw(text(ORG_FULL)),
            "org_type": draw(st.sampled_from(vocab.ORG_TYPES)),
            "secretary": draw(names()),
            "contact_person": draw(names()),
            "contact_phone": printed,
        },
        "members": [draw(member(seq)) for seq in range(count)],
    }
    if draw(st.booleans()):
        data["org"]["fill_date"] = draw(dates(date(2023, 6, 1), date(2023, 10, 31))).isoformat()
    if draw(st.booleans()):
        data["stage_summary"] = {"progress": draw(text(1000)), "problems": draw(text(200))}
    if draw(st.booleans()):
        data["final_report"] = {"results": draw(text(300)),
                                "long_term_measures": draw(st.lists(text(REMARKS), max_size=10))}
    if draw(st.booleans()):
        data["work_plan"] = {"extra": draw(text(300)), "leading_group": [
            {"name": data["org"]["secretary"], "role": "组长", "duty": draw(text(LINE))}]}
    return data
