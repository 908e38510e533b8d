"""The SQL a block of code sends: the tests hold the district's list to a fixed number of queries
with it, and bench/store_bench.py prints the count."""
from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event


@contextmanager
def statements(engine):
    """Every SQL statement the engine runs inside the block, in order."""
    seen: list[str] = []

    def note(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)
