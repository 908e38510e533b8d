"""PDF conversion through the real LibreOffice pool: text, fonts, crashes, deadlines, queue.

These tests need soffice. They are skipped only on a developer machine without LibreOffice;
under CI (CI set) a missing LibreOffice makes them fail.
"""
from __future__ import annotations

import os
import random
import shutil
import socket
import subprocess
import threading
import time

import pytest

from service.pdf.pool import ConversionPool, validate
from service.pdf.merge import merge, page_count
from service.pdf.supervisor import UP
from service.errors import BadUpload, ConversionBusy, ConversionFailed
from tools.office_samples import NAMES, TITLE, make_docx, make_xlsx

pytestmark = [
    pytest.mark.pdf,
    pytest.mark.skipif(shutil.which("soffice") is None and not os.environ.get("CI"),
                       reason="LibreOffice (soffice) not installed"),
]

# --- fixtures ------------------------------------------------------------------------------

def free_base(count: int) -> int:
    """A base port with `count` free ports above it and above base+100 (the UNO ports)."""
    for _ in range(200):
        base = random.randrange(20000, 40000)
        try:
            for port in [*range(base, base + count), *range(base + 100, base + 100 + count)]:
                with socket.socket() as s:
                    s.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
    raise RuntimeError("no free ports")


def new_pool(size: int, **kw) -> ConversionPool:
    from prometheus_client import CollectorRegistry

    base = free_base(size)
    return ConversionPool(size=size, base_port=base, base_uno_port=base + 100,
                          registry=CollectorRegistry(), **kw)


def pdftext(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True,
                          check=True, timeout=30).stdout.decode("utf-8")


def pdffonts(pdf: bytes) -> list[dict]:
    out = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True,
                         timeout=30).stdout.decode("utf-8").splitlines()
    header = out[1]  # the dashes line gives the column widths
    cols = [(m.start(), m.end()) for m in __import__("re").finditer(r"-+", header)]
    rows = []
    for line in out[2:]:
        name, kind = line[cols[0][0]:cols[0][1]].strip(), line[cols[1][0]:cols[1][1]].strip()
        emb = line[cols[3][0]:cols[3][1]].strip()
        rows.append({"name": name, "type": kind, "emb": emb})
    return rows


def lo_processes(marker: str) -> list[str]:
    out = subprocess.run(["ps", "-ww", "-eo", "pid,stat,args"], capture_output=True, text=True).stdout
    return [line for line in out.splitlines()
            if marker in line and ("soffice" in line or "unoserver" in line)]


@pytest.fixture(scope="module")
def pool():
    pool = new_pool(2, deadline=30)
    assert pool.available(), "LibreOffice (soffice) is not installed"
    pool.start(wait=90)
    assert pool.wait_ready(1), pool.status()
    yield pool
    pool.stop()
    remove_workdirs(pool)


def remove_workdirs(pool) -> None:
    """Tests use random ports: drop their LibreOffice profiles instead of piling them up in /tmp."""
    for inst in pool.instances:
        shutil.rmtree(inst.workdir, ignore_errors=True)


@pytest.fixture(scope="module")
def big_docx() -> bytes:
    return make_docx(paragraphs=300, tag="大")


def healthy(pool, within: float = 20.0) -> bool:
    return pool.wait_ready(within)


# --- what a user sees in the PDF ------------------------------------------------------------

def test_docx_pdf_has_the_text_in_the_expected_fonts(pool):
    pdf = pool.convert(make_docx(tag="字"), "docx")
    text = pdftext(pdf)
    for needle in (TITLE, *NAMES):
        assert needle in text
    fonts = pdffonts(pdf)
    names = " ".join(f["name"] for f in fonts)
    assert "FandolFang" in names  # 仿宋_GB2312
    assert "NotoSerifCJK" in names and "Bold" in names  # 方正小标宋简体
    assert all(f["emb"] == "yes" for f in fonts), fonts
    assert not any(f["type"] == "Type 3" for f in fonts), fonts


def test_xlsx_converts_with_hidden_load(pool):
    pdf = pool.convert(make_xlsx(tag="表"), "xlsx")
    text = pdftext(pdf)
    for needle in ("序号", *NAMES):
        assert needle in text
    assert "FandolFang" in " ".join(f["name"] for f in pdffonts(pdf))
    assert all(i["state"] == UP for i in pool.status()["instances"])


def test_same_document_second_time_comes_from_cache(pool):
    data = make_docx(tag="缓存")
    first = pool.convert(data, "docx")
    hits = pool.metrics.cache_hits._value.get()
    assert pool.convert(data, "docx") == first
    assert pool.metrics.cache_hits._value.get() == hits + 1


def test_merge_starts_each_document_on_a_new_page(pool):
    a, b = pool.convert(make_docx(tag="甲"), "docx"), pool.convert(make_xlsx(tag="乙"), "xlsx")
    packet = merge([a, b])
    assert page_count(packet) == page_count(a) + page_count(b)
    assert "甲" in pdftext(packet) and "乙已核查" in pdftext(packet)


# --- bad input never reaches LibreOffice ----------------------------------------------------

@pytest.mark.parametrize("data", [b"", os.urandom(4096), b"PK\x03\x04" + os.urandom(200)])
def test_garbage_is_rejected_before_libreoffice(pool, data):
    before = sum(i.total_conversions for i in pool.instances)
    with pytest.raises(BadUpload) as err:
        pool.convert(data, "docx")
    assert "无法生成 PDF" in err.value.message
    assert sum(i.total_conversions for i in pool.instances) == before


def test_xlsx_sent_as_docx_is_rejected(pool):
    with pytest.raises(BadUpload, match="Word"):
        validate(make_xlsx(), "docx")


# --- failures: crash, deadline, queue -------------------------------------------------------

def test_soffice_killed_mid_conversion_is_retried_and_replaced(pool, big_docx):
    import signal

    assert healthy(pool)
    restarts = sum(i.restarts for i in pool.instances)
    result: dict = {}
    data = make_docx(paragraphs=500, tag="杀")
    worker = threading.Thread(target=lambda: result.setdefault("pdf", pool.convert(data, "docx")))
    worker.start()
    victim = None
    for _ in range(200):
        victim = next((i for i in pool.instances if i.busy), None)
        if victim:
            break
        time.sleep(0.01)
    assert victim is not None
    time.sleep(0.2)
    os.killpg(victim.pid, signal.SIGKILL)
    worker.join(60)
    assert "喆堃昇玥" in pdftext(result["pdf"])
    assert healthy(pool), pool.status()
    assert sum(i.restarts for i in pool.instances) > restarts


def test_conversion_past_the_deadline_is_cut_off_and_instance_replaced(pool, big_docx):
    assert healthy(pool)
    pids = {i.pid for i in pool.instances}
    pool.config.deadline = 0.05
    try:
        started = time.monotonic()
        with pytest.raises(ConversionFailed) as err:
            pool.convert(big_docx, "docx")
        elapsed = time.monotonic() - started
    finally:
        pool.config.deadline = 30
    assert "超时" in err.value.message
    assert elapsed < 5, elapsed
    assert healthy(pool), pool.status()
    assert {i.pid for i in pool.instances}.isdisjoint(pids)


def test_full_queue_is_busy_with_retry_after(pool):
    assert healthy(pool)
    held = [pool._acquire() for _ in pool.instances]  # every instance taken
    old_limit, old_wait = pool.config.queue_limit, pool.config.queue_timeout
    pool.config.queue_limit, pool.config.queue_timeout = 1, 2.0
    waiter_result: dict = {}
    waiter = threading.Thread(target=lambda: waiter_result.setdefault(
        "pdf", pool.convert(make_docx(tag="等"), "docx")))
    try:
        waiter.start()
        for _ in range(100):
            if pool.status()["queue"] == 1:
                break
            time.sleep(0.01)
        with pytest.raises(ConversionBusy) as err:
            pool.convert(make_docx(tag="满"), "docx")
        assert err.value.retry_after >= 1
    finally:
        for inst in held:
            pool._release(inst)
        waiter.join(30)
        pool.config.queue_limit, pool.config.queue_timeout = old_limit, old_wait
    assert waiter_result["pdf"].startswith(b"%PDF")


def test_waiting_past_the_queue_timeout_is_busy(pool):
    assert healthy(pool)
    held = [pool._acquire() for _ in pool.instances]
    pool.config.queue_timeout = 0.3
    try:
        with pytest.raises(ConversionBusy):
            pool.convert(make_docx(tag="慢"), "docx")
    finally:
        pool.config.queue_timeout = None
        for inst in held:
            pool._release(inst)


def test_instance_is_recycled_after_n_conversions(pool):
    assert healthy(pool)
    pool.config.recycle_after = 1
    try:
        restarts = sum(i.restarts for i in pool.instances)
        pool.convert(make_docx(tag="换"), "docx")
    finally:
        pool.config.recycle_after = 200
    assert healthy(pool)
    assert sum(i.restarts for i in pool.instances) == restarts + 1


# --- throughput and clean shutdown ----------------------------------------------------------

def test_two_conversions_run_on_two_instances_at_once(pool, monkeypatch):
    """Both conversions are inside LibreOffice at the same moment, on different instances: a pool
    that serialised them would leave the barrier waiting (proven by structure, not by timing)."""
    assert healthy(pool)
    together = threading.Barrier(2, timeout=60)
    seen: list[int] = []
    original = pool._convert_on

    def convert_on(inst, data, kind, *options):
        seen.append(inst.port)
        together.wait()  # BrokenBarrierError if the other conversion never runs beside this one
        return original(inst, data, kind, *options)

    monkeypatch.setattr(pool, "_convert_on", convert_on)
    docs = [make_docx(paragraphs=30, tag=f"并{n}") for n in range(2)]
    results: list = [None, None]

    def run(i: int) -> None:
        results[i] = pool.convert(docs[i], "docx")

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert all(r is not None and r.startswith(b"%PDF") for r in results)
    assert len(set(seen)) == 2, seen


def test_stop_leaves_no_libreoffice_behind():
    pool = new_pool(1)
    pool.start(wait=60)
    pool.convert(make_xlsx(tag="停"), "xlsx")
    marker = f"paicha-lo-{pool.instances[0].port}"
    assert lo_processes(marker)
    pool.stop()
    remove_workdirs(pool)
    time.sleep(0.5)
    assert lo_processes(marker) == []
    assert pool.status()["instances"][0]["state"] == "down"



def test_external_instances_are_used_but_not_managed(pool):
    from prometheus_client import CollectorRegistry

    assert healthy(pool)
    external = ConversionPool(external=[f"127.0.0.1:{i.port}" for i in pool.instances],
                              registry=CollectorRegistry()).start()
    try:
        assert external.wait_ready(10), external.status()
        assert "喆堃昇玥" in pdftext(external.convert(make_xlsx(tag="外"), "xlsx"))
        assert all(not i["managed"] and i["pid"] is None for i in external.status()["instances"])
    finally:
        external.stop()
    assert healthy(pool, 1)  # stopping an external pool leaves the servers running
