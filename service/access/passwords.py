"""Passwords: argon2id hashes (argon2-cffi), one-time passwords to hand out, and what a new one must be."""
from __future__ import annotations

import secrets
from typing import Optional

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

HASHER = PasswordHasher()  # argon2id, the library's current defaults (RFC 9106 low-memory profile)
MIN_LENGTH = 10
MAX_LENGTH = 128
# one-time passwords: no 0/O, 1/l/I to misread when it is read out or copied from paper
ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_DUMMY = HASHER.hash("not a password of anyone")


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def verify(stored_hash: Optional[str], password: str) -> bool:
    """True when it matches. Without a hash (no such account) a dummy one is checked, so an unknown
    name takes as long to refuse as a wrong password."""
    try:
        return HASHER.verify(stored_hash or _DUMMY, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    try:
        return HASHER.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


def one_time() -> str:
    """A password to give once, in three groups of four: 3 × 4 characters of 55 (about 69 bits)."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(12))
    return "-".join(chars[i:i + 4] for i in range(0, 12, 4))


def problems(password: str, login: str, old_hash: Optional[str] = None) -> list[str]:
    """Why a new password cannot be taken, in Chinese (empty: it can)."""
    out = []
    if len(password) < MIN_LENGTH:
        out.append(f"新密码至少 {MIN_LENGTH} 个字符")
    if len(password) > MAX_LENGTH:
        out.append(f"新密码不超过 {MAX_LENGTH} 个字符")
    if password.strip() != password:
        out.append("新密码的开头和结尾不能是空格")
    if login and login.lower() in password.lower():
        out.append("新密码不能包含账号名")
    if len(set(password)) < 4:
        out.append("新密码过于简单：至少要有 4 个不同的字符")
    if old_hash and not out and verify(old_hash, password):
        out.append("新密码不能与原密码相同")
    return out
