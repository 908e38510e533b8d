"""Who is asking: a signed-in account or an API token, and which branches it may see.

Plain data, no Flask: the guard (service.access.guard) puts one in flask.g for each request, the
policy asks it `sees(code)`, the audit writes its `actor`. It also carries the four attributes
Flask-Login expects of a user, so a signed-in account is Flask-Login's current_user as it is.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

ROLE_LABELS = {"district": "区委教育工委", "clerk": "支部党务干事"}
TOKEN_PREFIX = "token:"  # an actor that is a token, never an account's login (logins have no colon)


@dataclass(frozen=True)
class Principal:
    kind: str  # "account" | "token"
    id: int
    name: str  # the account's login, or the token's name
    branches: Optional[frozenset[str]]  # None: every branch (the district)
    display_name: Optional[str] = None
    epoch: int = 0  # the account's session epoch: a new password ends older sessions
    must_change_password: bool = False

    @property
    def district(self) -> bool:
        return self.branches is None

    @property
    def actor(self) -> str:
        """How submissions, reviews and the audit name it."""
        return self.name if self.kind == "account" else TOKEN_PREFIX + self.name

    @property
    def role_label(self) -> str:
        return ROLE_LABELS["district" if self.district else "clerk"] if self.kind == "account" else "接口令牌"

    def sees(self, code: Optional[str]) -> bool:
        """May it see the branch with this code (None: no branch)?"""
        return self.branches is None or (code is not None and code in self.branches)

    def sole_branch(self) -> Optional[str]:
        """A clerk's one branch (None for the district or several branches)."""
        return next(iter(self.branches)) if self.branches is not None and len(self.branches) == 1 else None

    # ---- what Flask-Login asks of a user ----
    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str:
        """The session keeps the account and its epoch: raising the epoch signs every session out."""
        return f"{self.id}:{self.epoch}"
