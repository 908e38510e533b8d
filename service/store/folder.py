"""A folder of clerks' files stored as submissions (`paicha import DIR`): the path a clerk's upload
takes (service.intake.received.from_upload, then submissions.submit), one file at a time.

Every file that can be read from disk is kept, whatever it holds — a valid dataset, a workbook
with errors, a file no reader makes sense of — exactly as an upload would be; a bad file never
stops the others. Only a file the system cannot read at all (permissions, a vanished file) is
reported without being stored, since there are no bytes to keep, and a file whose content is
already its branch's newest version is not stored twice: importing the same folder again (as the
district does each time more branches have sent their files) adds only what changed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.intake.received import Received, from_upload

from .db import Database
from .models import Branch, Submission
from .submissions import Stored, branch_code, content_hash, submit

SUFFIXES = (".xlsx", ".json")
SOURCE = "import"
SHOWN_CELLS = 3  # the first few places an error is, in the report line


@dataclass(frozen=True)
class Outcome:
    """What became of one file."""

    path: Path
    state: str  # valid | invalid | unreadable (nothing could be read) | unopened (not even from disk)
    stored: Optional[Stored] = None  # None: not stored (unopened, or the same as a version kept already)
    errors: list[dict] = field(default_factory=list)
    warnings: int = 0
    message: Optional[str] = None  # why it could not be read
    same_as: Optional[str] = None  # which kept version it repeats, when it does

    @property
    def places(self) -> list[str]:
        """Where the first errors are: 「党员名册!E7」 for a workbook, the JSON path otherwise."""
        out = []
        for err in self.errors:
            place = f"{err['sheet']}!{err['cell']}" if err.get("sheet") and err.get("cell") else err.get("path")
            if place and place not in out:
                out.append(place)
        return out[:SHOWN_CELLS]


def candidates(folder: Path) -> tuple[list[Path], list[Path]]:
    """(files to import, other files left alone), by name; Excel's own lock files (~$…) are neither."""
    files = sorted((p for p in folder.iterdir() if p.is_file() and not p.name.startswith(("~$", "."))),
                   key=lambda p: p.name)
    return [p for p in files if p.suffix.lower() in SUFFIXES], [p for p in files if p.suffix.lower() not in SUFFIXES]


def import_file(db: Database, path: Path, limit: int, now: datetime, actor: Optional[str] = None) -> Outcome:
    """Read one file and store it as a submission (source import) of the branch it names."""
    try:
        content = path.read_bytes()
    except OSError as err:
        return Outcome(path, "unopened", message=f"无法读取：{err.strerror or err}（未保存）")
    received = from_upload(content, path.name, limit)
    with db.reading() as session:
        same = kept_already(session, received)
    stored = submit(db, received, SOURCE, now, actor) if same is None else None
    if received.dataset is not None:
        return Outcome(path, "valid", stored, warnings=len(received.warnings), same_as=same)
    if received.data is None:  # refused or not readable: kept as it is, with the reason
        return Outcome(path, "unreadable", stored, received.errors, message=received.errors[0]["message"],
                       same_as=same)
    return Outcome(path, "invalid", stored, received.errors, same_as=same)


def kept_already(session: Session, received: Received) -> Optional[str]:
    """Why this input needs no new version: it is its branch's newest version already (or, naming
    no branch, kept already as it is); None when it is new."""
    digest = content_hash(received)
    code = branch_code(received.data)
    if code is None:
        same = session.scalar(select(Submission.id).where(Submission.branch_id.is_(None),
                                                           Submission.content_hash == digest).limit(1))
        return "与已保存的一份未归属报送完全相同" if same is not None else None
    newest = session.execute(select(Submission.version, Submission.content_hash).join(Branch)
                             .where(Branch.code == code).order_by(Submission.version.desc()).limit(1)).first()
    if newest is not None and newest.content_hash == digest:
        return f"与支部 {code} 第{newest.version}版内容相同"
    return None
