"""Python's cyclic garbage collector paused while a list of thousands of rows is built (the branch
list, the findings overview).

Building the branch list of 3,000 branches makes ~36,000 dicts and lists; every 700 new containers
the collector runs, and every so often it walks every object of the process (~130,000 in a worker):
half of the list's time on PostgreSQL went there. The rows are plain dicts and lists of scalars —
no cycles, nothing for the collector to find — so it is paused while they are made and runs once
afterwards. Threads of one worker share the collector: the first section in pauses it, the last
one out restores it (a lock and a count), so it is never left off.
"""
from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from typing import Iterator

_lock = threading.Lock()
_inside = 0
_restore = False


@contextmanager
def paused() -> Iterator[None]:
    global _inside, _restore
    with _lock:
        if _inside == 0:
            _restore = gc.isenabled()
            gc.disable()
        _inside += 1
    try:
        yield
    finally:
        with _lock:
            _inside -= 1
            if _inside == 0 and _restore:
                gc.enable()
