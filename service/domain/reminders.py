"""Which reminders to send now: the campaign's deadlines, the branches and what was sent already in,
planned reminders out. Pure: no Flask, no database, no clock (today is given, a Beijing day).

The rules (issue 18):
- due_soon: N days before a deadline (N from PAICHA_REMIND_DAYS_BEFORE, 3 and 1), one message to the
  group naming every branch that has not sent that deliverable, and an e-mail to each of them. A
  reminder missed on its day (no run, a failure) goes out on a later day until the next, nearer one
  takes its place: days 3,1 make the 3-day reminder due from D−3 to D−2 and the 1-day one from D−1
  to D itself. Its key's day is the day it was due (D−N), so a later run the same window does not
  send it twice.
- overdue: one digest a day to the group while any deliverable is overdue, naming the branches per
  deliverable with its deadline. The group only: the daily list is the district's public nudge,
  and a branch's own mailbox is not filled with one mail a day.
- returned: on a 退回修改, to that branch by e-mail and to the group (`returned`).
- by_hand: a reminder the district sends from a branch's page (`by_hand`): to the branch's e-mail
  addresses, or to the group when it has none — a nudge to one branch is not posted to ~150 clerks
  while it can reach that branch directly.
Every reminder carries its Key (branch or '*', deliverable or '*', kind, Beijing day). A key is
planned again only while one of its channels failed; a channel that took it is not sent it twice.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Iterable, Optional, Protocol

from . import reminder_text as text
from .catalog import DELIVERABLE_IDS
from .deadlines import day_status
from .model import Deadlines

DUE_SOON, OVERDUE, RETURNED, BY_HAND = "due_soon", "overdue", "returned", "by_hand"
KINDS = (DUE_SOON, OVERDUE, RETURNED, BY_HAND)
GROUP, MAIL = "group", "mail"  # who a reminder is for: the group robots, or the branch's mailboxes
ACCEPTED, FAILED, NO_CHANNEL = "accepted", "failed", "no_channel"  # how a send ended
ANY = "*"


@dataclass(frozen=True)
class Key:
    """What a reminder is about; the log is searched by it so that nothing is sent twice."""

    branch: str  # a branch code, or '*' for a group message about many
    deliverable: str  # one of catalog.DELIVERABLE_IDS, or '*'
    kind: str  # one of KINDS
    day: date  # the Beijing day it is due


@dataclass(frozen=True)
class Branch:
    """A registered branch as the rules see it."""

    code: str
    name: str
    emails: tuple[str, ...] = ()
    sent: frozenset[str] = frozenset()  # the deliverables it has 报送


@dataclass(frozen=True)
class Reminder:
    key: Key
    audience: str  # GROUP or MAIL
    subject: str
    body: str
    to: tuple[str, ...] = ()  # MAIL: the branch's addresses (none: logged as no channel)
    done: frozenset[str] = frozenset()  # channels that already took it: a resend skips them


class Outcome(Protocol):
    """A row of the sent log, as far as planning reads it."""

    key: Key
    channel: str
    result: str  # ACCEPTED, FAILED or NO_CHANNEL


class History:
    """The sent log, per key: which channels took it, and whether one of them failed."""

    def __init__(self, log: Iterable[Outcome]):
        """log: the rows in the order they were written."""
        self._states: dict[Key, dict[str, str]] = {}
        for row in log:
            states = self._states.setdefault(row.key, {})
            if states.get(row.channel) != ACCEPTED:  # once taken, a channel stays taken; else the latest
                states[row.channel] = row.result

    def keep(self, reminder: Reminder) -> Optional[Reminder]:
        """The reminder to send (without the channels that took it), or None when it needs no send."""
        states = self._states.get(reminder.key)
        if not states:
            return reminder
        if FAILED not in states.values():
            return None
        return replace(reminder, done=frozenset(c for c, s in states.items() if s != FAILED))


def plan(deadlines: Deadlines, today: date, branches: list[Branch], days_before: tuple[int, ...],
         log: Iterable[Outcome] = ()) -> list[Reminder]:
    """The scheduled reminders (due_soon, overdue) to send on the Beijing day `today`."""
    history = History(log)
    out: list[Reminder] = []
    late = []
    for deliverable in DELIVERABLE_IDS:
        due = getattr(deadlines, deliverable)
        unsent = [b for b in branches if deliverable not in b.sent]
        if not unsent:
            continue
        if day_status(due, None, today) == "overdue":
            late.append((deliverable, due, [text.name(b.name) for b in unsent]))
            continue
        since = _due_soon_day(due, today, days_before)
        if since is not None:
            out += _due_soon(deliverable, due, today, since, unsent)
    if late:
        out.append(_group(Key(ANY, ANY, OVERDUE, today), text.overdue_group(today, late)))
    return [kept for r in out if (kept := history.keep(r)) is not None]


def _due_soon_day(due: date, today: date, days_before: tuple[int, ...]) -> Optional[date]:
    """The day of the nearest N-days-before reminder whose window holds today (D−N ≤ today ≤ D)."""
    left = (due - today).days
    windows = [n for n in days_before if n >= left >= 0]
    return due - timedelta(days=min(windows)) if windows else None


def _due_soon(deliverable: str, due: date, today: date, since: date, unsent: list[Branch]) -> list[Reminder]:
    names = [text.name(b.name) for b in unsent]
    out = [_group(Key(ANY, deliverable, DUE_SOON, since), text.due_soon_group(deliverable, due, today, names))]
    for b, name in zip(unsent, names):
        out.append(_mail(Key(b.code, deliverable, DUE_SOON, since), b,
                         text.due_soon_mail(deliverable, due, today, name)))
    return out


def returned(branch: Branch, deliverable: str, deadlines: Deadlines, today: date,
             log: Iterable[Outcome] = ()) -> list[Reminder]:
    """On a 退回修改 of `deliverable` ('*': the whole submission): the branch by e-mail, and the group."""
    due = getattr(deadlines, deliverable) if deliverable != ANY else None
    key, name = Key(branch.code, deliverable, RETURNED, today), text.name(branch.name)
    out = [_mail(key, branch, text.returned_mail(deliverable, due, today, name)),
           _group(key, text.returned_group(deliverable, due, today, name))]
    history = History(log)
    return [kept for r in out if (kept := history.keep(r)) is not None]


def by_hand(branch: Branch, deadlines: Deadlines, today: date, log: Iterable[Outcome] = ()) -> list[Reminder]:
    """The district's reminder to one branch of what it has not sent; [] when it has sent all four
    or was reminded by hand today already."""
    unsent = [(d, getattr(deadlines, d)) for d in DELIVERABLE_IDS if d not in branch.sent]
    if not unsent:
        return []
    key, name = Key(branch.code, ANY, BY_HAND, today), text.name(branch.name)
    if branch.emails:
        reminder = _mail(key, branch, text.by_hand_mail(name, unsent, today))
    else:
        reminder = _group(key, text.by_hand_group(name, unsent, today))
    kept = History(log).keep(reminder)
    return [kept] if kept is not None else []


def _group(key: Key, message: tuple[str, str]) -> Reminder:
    return Reminder(key, GROUP, *message)


def _mail(key: Key, branch: Branch, message: tuple[str, str]) -> Reminder:
    return Reminder(key, MAIL, *message, to=branch.emails)
