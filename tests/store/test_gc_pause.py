"""The collector is paused while the branch list is built, and never left off by threads overlapping."""
from __future__ import annotations

import gc
import threading

from service.store import gc_pause


def test_paused_inside_restored_after_even_on_error():
    assert gc.isenabled()
    with gc_pause.paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    try:
        with gc_pause.paused():
            raise ValueError("boom")
    except ValueError:
        pass
    assert gc.isenabled()


def test_left_off_when_it_was_off():
    gc.disable()
    try:
        with gc_pause.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_overlapping_threads_leave_it_on():
    """Sections that start and end in every order: on again when the last one ends, off while any runs."""
    inside = threading.Barrier(8)
    seen = []

    def section(n):
        with gc_pause.paused():
            inside.wait()  # all eight inside at once
            seen.append(gc.isenabled())
            if n % 2:
                threading.Event().wait(0.01 * n)  # and they leave in a muddle

    threads = [threading.Thread(target=section, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == [False] * 8 and gc.isenabled()
