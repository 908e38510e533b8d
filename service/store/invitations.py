"""Members' invitations and responses in the store: links made and renewed, identity checks counted and
locked, what a member confirmed, and the clerk accepting it as the branch's next version or returning it.

A token is never stored, only its SHA-256: `invite` hands each link out once. Inviting a member again
replaces their earlier link (it stops working). Accepting lays the member's changes over the branch's
data as it is inside the storing transaction (the branch row locked, as roster import does), so a
version that arrived meanwhile is never overwritten; the changes are checked again there.
"""
from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, Optional

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.errors import InvalidDataset, ResponseDecided, UnknownResponse
from service.intake import self_check
from service.intake.received import from_json_body

from .db import Database
from .member_tables import Invitation, MemberResponse
from .models import Submission
from .rosters import Current, current, current_of
from .submissions import ATTEMPTS, Stored, find_or_create, record, stored


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Issued:
    id: int
    name: str
    id_number: str
    token: str
    expires_at: datetime


def members_of(base: Current, chosen: Optional[list[str]]) -> tuple[list[tuple[str, str]], list[str]]:
    """((ID number, name) of each member to invite, the chosen ID numbers the data does not have)."""
    people = base.data.get("members") if isinstance(base.data, dict) else None
    people = [m for m in people if isinstance(m, dict)] if isinstance(people, list) else []
    pairs = [(str(m.get("id_number") or "").strip().upper(), str(m.get("name") or "").strip()) for m in people]
    pairs = [(number, name) for number, name in pairs if len(number) == 18]
    if chosen is None:
        return pairs, []
    wanted = [c.strip().upper() for c in chosen]
    known = {number for number, _ in pairs}
    return [p for p in pairs if p[0] in wanted], [c for c in wanted if c not in known]


def invite(session: Session, code: str, people: list[tuple[str, str]], actor: Optional[str], now: datetime,
           days: int) -> list[Issued]:
    """A new link for each member; their earlier links stop working."""
    numbers = [number for number, _ in people]
    if numbers:
        session.execute(update(Invitation).where(Invitation.branch_code == code, Invitation.id_number.in_(numbers),
                                                 Invitation.revoked_at.is_(None)).values(revoked_at=now))
    issued = []
    for number, name in people:
        token = secrets.token_urlsafe(24)
        row = Invitation(token_hash=token_hash(token), branch_code=code, id_number=number, name=name[:100] or "—",
                         actor=(actor or "")[:100] or None, created_at=now, expires_at=now + timedelta(days=days),
                         failures=0)
        session.add(row)
        session.flush()
        issued.append(Issued(row.id, row.name, number, token, row.expires_at))
    return issued


def by_token(session: Session, token: str) -> Optional[Invitation]:
    """The live (not revoked) invitation behind a link's token, expired or locked or not."""
    if not isinstance(token, str) or not 16 <= len(token) <= 64:
        return None
    return session.scalar(select(Invitation).where(Invitation.token_hash == token_hash(token),
                                                   Invitation.revoked_at.is_(None)))


def failed(session: Session, invitation_id: int, tries: int, now: datetime) -> int:
    """Count a wrong check; lock at `tries`. The failures so far."""
    session.execute(update(Invitation).where(Invitation.id == invitation_id)
                    .values(failures=Invitation.failures + 1))
    count = session.scalar(select(Invitation.failures).where(Invitation.id == invitation_id))
    if count >= tries:
        session.execute(update(Invitation).where(Invitation.id == invitation_id, Invitation.locked_at.is_(None))
                        .values(locked_at=now))
    return count


def opened(session: Session, invitation_id: int, now: datetime) -> None:
    session.execute(update(Invitation).where(Invitation.id == invitation_id, Invitation.opened_at.is_(None))
                    .values(opened_at=now))


def of_branch(session: Session, code: str, invitation_id: int) -> Optional[Invitation]:
    return session.scalar(select(Invitation).where(Invitation.id == invitation_id, Invitation.branch_code == code))


def renew(session: Session, code: str, invitation_id: int, now: datetime, days: int) -> Optional[Invitation]:
    """Unlock the link and give it `days` more; the same link keeps working (None: no such live invitation)."""
    row = of_branch(session, code, invitation_id)
    if row is None or row.revoked_at is not None:
        return None
    row.failures, row.locked_at, row.expires_at = 0, None, now + timedelta(days=days)
    session.flush()
    return row


def revoke(session: Session, code: str, invitation_id: int, now: datetime) -> Optional[Invitation]:
    row = of_branch(session, code, invitation_id)
    if row is None:
        return None
    row.revoked_at = row.revoked_at or now
    session.flush()
    return row


def latest_response(session: Session, invitation_id: int) -> Optional[MemberResponse]:
    return session.scalar(select(MemberResponse).where(MemberResponse.invitation_id == invitation_id)
                          .order_by(MemberResponse.id.desc()).limit(1))


def respond(session: Session, invitation: Invitation, based_on: Optional[int], checked, now: datetime) -> MemberResponse:
    """What the member confirmed, waiting for the clerk: replaces their earlier answer still waiting."""
    row = latest_response(session, invitation.id)
    if row is None or row.state != "pending":
        row = MemberResponse(invitation_id=invitation.id, branch_code=invitation.branch_code,
                             id_number=invitation.id_number, name=invitation.name, state="pending")
        session.add(row)
    row.based_on, row.changes, row.before, row.created_at = based_on, checked.changes, checked.before, now
    session.execute(update(Invitation).where(Invitation.id == invitation.id).values(confirmed_at=now))
    session.flush()
    return row


def state(invitation: Invitation, response: Optional[MemberResponse], now: datetime) -> str:
    """invited · opened · confirmed (waiting for the clerk) · returned · accepted · locked · expired."""
    if invitation.locked_at is not None:
        return "locked"
    if invitation.expires_at < now:
        return "expired"
    if response is not None:
        return {"pending": "confirmed", "returned": "returned", "accepted": "accepted"}[response.state]
    return "opened" if invitation.opened_at is not None else "invited"


def live(session: Session, code: str) -> list[Invitation]:
    return list(session.scalars(select(Invitation).where(Invitation.branch_code == code, Invitation.revoked_at.is_(None))
                                .order_by(Invitation.id)))


def progress(session: Session, code: str, now: datetime) -> dict:
    """invited, opened, confirmed (answered), changed (answered with changes), accepted; and one row per member."""
    rows = []
    for inv in live(session, code):
        response = latest_response(session, inv.id)
        rows.append({"id": inv.id, "name": inv.name, "id_number": inv.id_number, "state": state(inv, response, now),
                     "expires_at": inv.expires_at, "failures": inv.failures, "opened": inv.opened_at is not None,
                     "confirmed": inv.confirmed_at is not None, "changed": bool(response and response.changes),
                     "response": response.id if response is not None else None})
    return {"invited": len(rows), "opened": sum(r["opened"] for r in rows),
            "confirmed": sum(r["confirmed"] for r in rows), "changed": sum(r["changed"] for r in rows),
            "accepted": sum(r["state"] == "accepted" for r in rows), "members": rows}


def confirmed_counts(session: Session) -> dict[str, tuple[int, int]]:
    """branch code → (members who confirmed, members invited), over the live invitations."""
    rows = session.execute(select(Invitation.branch_code, func.count(Invitation.confirmed_at), func.count())
                           .where(Invitation.revoked_at.is_(None)).group_by(Invitation.branch_code))
    return {code: (confirmed, invited) for code, confirmed, invited in rows}


def responses(session: Session, code: str) -> list[MemberResponse]:
    return list(session.scalars(select(MemberResponse).where(MemberResponse.branch_code == code)
                                .order_by(MemberResponse.id.desc())))


def response_of(session: Session, code: str, response_id: int) -> MemberResponse:
    row = session.scalar(select(MemberResponse).where(MemberResponse.id == response_id, MemberResponse.branch_code == code))
    if row is None:
        raise UnknownResponse(f"支部「{code}」没有编号为 {response_id} 的党员本人核对结果")
    return row


def _open(row: MemberResponse) -> None:
    if row.state != "pending":
        said = "已采用" if row.state == "accepted" else "已退回"
        raise ResponseDecided(f"党员「{row.name}」的这份核对结果{said}，不能再处理；党员重新确认后会有新的一份")


def give_back(session: Session, code: str, response_id: int, reason: str, actor: Optional[str], now: datetime) -> MemberResponse:
    """Return the response to the member with the reason they will read; their link works again for changes."""
    row = response_of(session, code, response_id)
    _open(row)
    row.state, row.reason, row.decided_by, row.decided_at = "returned", reason, (actor or "")[:100] or None, now
    session.execute(update(Invitation).where(Invitation.id == row.invitation_id).values(confirmed_at=None))
    session.flush()
    return row


def accept(db: Database, code: str, response_id: int, now: datetime, actor: Optional[str],
           within: Callable[[Session, Submission], None]) -> tuple[Stored, MemberResponse]:
    """The member's changes laid over the branch's data as it is now, stored as its next version (source member)."""
    for attempt in range(ATTEMPTS):
        try:
            with db.writing() as session:
                row = response_of(session, code, response_id)
                _open(row)
                branch = find_or_create(session, code, now)  # locked: the next version is ours
                base = current(session, branch.id)
                index = self_check.find(base.data, row.id_number)
                if index is None:
                    raise ResponseDecided(f"党员「{row.name}」已不在本支部最新的数据中，不能采用其核对结果")
                checked = self_check.check(base.data, index, row.changes)
                if checked.errors:
                    raise InvalidDataset(checked.errors, f"党员「{row.name}」的修改与本支部现在的数据合并后有错误，"
                                                         "请退回党员本人修改")
                body = json.dumps(checked.data, ensure_ascii=False).encode("utf-8")
                received = from_json_body(body)
                received.filename = f"{row.name}-本人核对.json"
                sub = record(session, received, "member", now, actor, code)
                row.state, row.decided_by, row.decided_at, row.version = "accepted", (actor or "")[:100] or None, now, sub.version
                within(session, sub)
                session.flush()
                return stored(sub), row
        except IntegrityError:
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def base_of(db: Database, code: str) -> Current:
    with db.reading() as session:
        return current_of(session, code)


def by_id(db: Database, invitation_id: int) -> Invitation:
    with db.reading() as session:
        return session.get(Invitation, invitation_id)
