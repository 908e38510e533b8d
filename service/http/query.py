"""The query string, read as the OpenAPI document describes it.

A documented parameter left out takes its default; one that is sent must hold a value of its kind.
Sent empty (`?format=`, `?page=`) or malformed (`?page_size=abc`), it is refused — 400, code
bad_query, the message naming it — and never taken as absent, so what the document's enum, type or
range excludes is what the service refuses. Every problem of a query is reported at once.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Callable, Optional, TypeVar

from service.errors import BadQuery

T = TypeVar("T")
EMPTY = "不能为空：不需要时请省略该参数"


class Query:
    """The parameters of one request; `check()` raises BadQuery for every problem found while reading."""

    def __init__(self, args: Mapping):
        self.args = args
        self.errors: list[dict] = []

    def _sent(self, name: str) -> Optional[str]:
        """The value as sent; None when the parameter is absent or (a problem) empty."""
        if name not in self.args:
            return None
        raw = self.args.get(name)
        if not raw:
            self.refuse(name, EMPTY)
            return None
        return raw

    def refuse(self, name: str, message: str) -> None:
        self.errors.append({"path": name, "message": message})

    def text(self, name: str, max_length: Optional[int] = None) -> Optional[str]:
        """Free text of at most max_length characters, as sent (not trimmed)."""
        raw = self._sent(name)
        if raw is not None and max_length is not None and len(raw) > max_length:
            self.refuse(name, f"不能超过 {max_length} 个字，现为 {len(raw)} 个字")
            return None
        return raw

    def integer(self, name: str, default: int, top: int) -> int:
        """A whole number from 1 to top, written in ASCII digits; `default` when absent (or refused)."""
        raw = self._sent(name)
        if raw is None:
            return default
        if not (raw.isascii() and raw.isdigit() and len(raw) <= len(str(top)) and 1 <= int(raw) <= top):
            self.refuse(name, f"应为 1–{top} 的整数，现为「{raw[:20]}」")
            return default
        return int(raw)

    def choice(self, name: str, choices) -> Optional[str]:
        """One of `choices`, exactly as listed."""
        raw = self._sent(name)
        if raw is not None and raw not in choices:
            self.refuse(name, f"「{raw[:20]}」不是有效值，应为：{'、'.join(choices)}")
            return None
        return raw

    def parsed(self, name: str, parse: Callable[[str], T], message: str) -> Optional[T]:
        """What `parse` makes of the value; `message` when it raises ValueError."""
        raw = self._sent(name)
        if raw is None:
            return None
        try:
            return parse(raw)
        except ValueError:
            self.refuse(name, message)
            return None

    def check(self) -> None:
        if self.errors:
            names = "、".join(dict.fromkeys(e["path"] for e in self.errors))
            raise BadQuery(f"查询参数 {names} 有误，请按错误列表修改", self.errors)


def format_of(args: Mapping) -> Optional[str]:
    """?format=: None when absent (the default format); BadQuery when sent empty. Whether the document or
    package comes in it is the renderer's to say (400, code unsupported_format)."""
    query = Query(args)
    fmt = query.text("format")
    query.check()
    return fmt


def sent_values(args: Mapping) -> dict:
    """A page's form as a query: every field trimmed, and the ones left empty taken as absent — a form sends
    all its fields, filled or not (the API, which is called by programs, refuses an empty one)."""
    return {key: value.strip() for key, value in args.items() if value.strip()}
