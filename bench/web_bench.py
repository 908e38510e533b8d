"""The web service under load, as gunicorn serves it: workers × throughput, and the tables PDF.

    .venv/bin/python bench/web_bench.py [--seconds 60] [--clients 20] [--members 60] [--part all]
                                        [--client wrk|python] [--rounds 3] [--pdf-rounds 1]

Part `throughput`: 20 clients post for 60 s (every body a different branch variant, so no PDF
cache hit) to three arrangements of the same app on this machine:
  A  "before": one worker that owns the PDF pool in its own process (no pool server);
  B  one worker + the machine's pool server;
  C  two workers + the machine's pool server (what `make run` starts on 2 CPUs).
It prints requests/s and median latency of the `all` office package (Word/Excel only) and of
the `tables` package as PDF, the ratios against A, how many CPUs gunicorn's processes kept busy
(`web`, their own accounting in /proc; LibreOffice and the pool server run in sessions of their
own and are not in it), and the share of the machine's CPU time the load generator itself
took. The three arrangements run in turn for --rounds rounds (office every round, PDF in the
first --pdf-rounds), so a slow spell of the machine (other work, the hypervisor) falls on all of them, and the
median ratio is printed. Before them, the machine's own ceiling: the same office package validated
and rendered from JSON without HTTP by one process, then by two side by side; what two workers can
gain over one is bounded by that ratio. The client is wrk (bench/load_client.py: bodies prepared before the
run, almost no CPU) when it is installed, else Python threads (`--client python`), which take a
visible share of a 2-CPU machine away from the service they measure.

Part `tables`: the `tables` package as PDF for a --members branch through the API (arrangement
C, PDF cache off), median of --runs, against (a) a cold `soffice --convert-to pdf` per file,
sequential, (b) the sum of the single-instance warm conversion times of the same files (the
most one instance could do converting them one by one), and (c) the same for what the service
converts now: 附件3 and the workbook of 附件4–9 (service.documents.sheets); then, in this process
on the same pool, 附件3 alone and the tables with 附件3 whole against 附件3 cut into parts where
render.part_sizes decides so, and the tables converted one by one (as before) against together.
Not a test; figures only. Ports: HTTP free ones, pool 3503+ / 3603+ UNO, server 3599, each moved by
PAICHA_TEST_PORT_OFFSET as the tests' ports are.
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import schemas  # noqa: E402
from tools.synthetic import synthetic_branch  # noqa: E402
import load_client  # noqa: E402  (bench/, beside this script)
from tools.processes import cli_token, free_port, group_cpu, stop_group  # noqa: E402
from service.documents import packages  # noqa: E402
from service.intake.received import from_json_body  # noqa: E402
from service.documents import render  # noqa: E402
from service.office import book  # noqa: E402
from service.domain import catalog  # noqa: E402

GUNICORN = Path(sys.executable).with_name("gunicorn")
OFFSET = int(os.environ.get("PAICHA_TEST_PORT_OFFSET") or 0)
POOL_ENV = {"PAICHA_PDF_POOL_BASE_PORT": str(3503 + OFFSET), "PAICHA_PDF_POOL_BASE_UNO_PORT": str(3603 + OFFSET),
            "PAICHA_PDF_POOL_LISTEN": f"127.0.0.1:{3599 + OFFSET}", "PAICHA_PDF_POOL_SIZE": "2"}


class Server:
    """gunicorn with `workers` workers; `pool_server` False = the old arrangement (pool in the worker)."""

    def __init__(self, workers: int, pool_server: bool, cache: bool = False):
        self.dir = Path(tempfile.mkdtemp(prefix="paicha-bench-"))
        self.port = free_port()
        conf = "python:service.gunicorn_conf"
        if not pool_server:  # the same settings without the master's pool server
            path = self.dir / "old_conf.py"
            path.write_text("from service.gunicorn_conf import threads, timeout, graceful_timeout, worker_class\n"
                            "workers = 1\n"
                            "def post_worker_init(worker):\n"
                            "    from service.pdf.runtime import converter_for\n"
                            "    converter_for(worker.wsgi)\n", encoding="utf-8")
            conf = str(path)
        env = dict(os.environ, **POOL_ENV, PAICHA_WEB_WORKERS=str(workers),
                   PAICHA_INSTANCE_DIR=str(self.dir / "instance"),
                   PAICHA_PDF_CACHE_BYTES="268435456" if cache else "0", PAICHA_LOG_LEVEL="WARNING")
        env.pop("PAICHA_PDF_POOL_URL", None)
        env["PAICHA_RATE_LIMITS"] = "false"  # one token, one address, far beyond any limit: the load is the point
        HEADERS["Authorization"] = f"Bearer {cli_token(env, self.dir)}"
        self.proc = subprocess.Popen([str(GUNICORN), "-c", conf, "--bind", f"127.0.0.1:{self.port}",
                                      "service.wsgi:app"], cwd=self.dir, env=env, start_new_session=True,
                                     stdout=subprocess.DEVNULL, stderr=(self.dir / "log").open("wb"))
        self.base = f"http://127.0.0.1:{self.port}"

    def wait_ready(self, timeout: float = 180) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                with urllib.request.urlopen(self.base + "/readyz", timeout=5) as r:
                    state = json.loads(r.read())
                if r.status == 200 and state["pdf"].get("ready"):
                    ready = [i for i in state["pdf"].get("instances", []) if i.get("state") == "up"]
                    if len(ready) == int(POOL_ENV["PAICHA_PDF_POOL_SIZE"]):
                        return
            except (OSError, ValueError, KeyError):
                pass
            time.sleep(0.5)
        raise SystemExit(f"server did not come up: {(self.dir / 'log').read_text()[-2000:]}")

    def stop(self) -> None:
        stop_group(self.proc, timeout=40)

    def __enter__(self):
        self.wait_ready()
        return self

    def __exit__(self, *exc):
        self.stop()


HEADERS = {"Content-Type": "application/json"}  # and the running server's district token (Server)


def post(url: str, body: bytes, timeout: float = 300) -> int:
    return post_answer(url, body, timeout)[0]


def post_answer(url: str, body: bytes, timeout: float = 300) -> tuple[int, float]:
    """The status and the Retry-After (s, 0 when none) of one POST."""
    req = urllib.request.Request(url, data=body, headers=HEADERS)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            r.read()
            return r.status, 0.0
    except urllib.error.HTTPError as err:
        err.read()
        return err.code, float(err.headers.get("Retry-After") or 0)


def variants(data: dict):
    """Endless distinct bodies of the same branch: a remark carries a counter."""
    counter = iter(range(10 ** 9))
    lock = threading.Lock()

    def next_body() -> bytes:
        with lock:
            n = next(counter)
        d = copy.deepcopy(data)
        d["members"][0]["remarks"] = f"基准测试 {n}"
        return json.dumps(d, ensure_ascii=False).encode("utf-8")

    return next_body


def load(url: str, next_body, clients: int, seconds: float) -> dict:
    """`clients` threads posting for `seconds`, each waiting out a 503's Retry-After as a real client
    does (a refused PDF is `busy`, not an error); completed requests, rate and median latency."""
    latencies: list[float] = []
    errors: list[int] = []
    busy: list[float] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client():
        while time.monotonic() < stop_at:
            body = next_body()
            started = time.perf_counter()
            status, retry_after = post_answer(url, body)
            took = time.perf_counter() - started
            with lock:
                if status == 200:
                    latencies.append(took)
                elif status == 503 and retry_after:
                    busy.append(took)
                else:
                    errors.append(status)
            if status == 503 and retry_after:
                time.sleep(max(0.0, min(retry_after, stop_at - time.monotonic())))

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    return {"done": len(latencies), "rate": len(latencies) / elapsed, "errors": len(errors), "busy": len(busy),
            "p50": statistics.median(latencies) if latencies else float("nan")}


def drive(args, url: str, data: dict, backs_off: bool = False) -> dict:
    """One load run with the chosen client; adds client_cpu (s) and elapsed (s) for the report.
    `backs_off`: the Python client, which waits out Retry-After (wrk cannot): for PDFs, whose
    excess the pool refuses at once, a client that asks again at once measures only refusals."""
    if args.client == "wrk" and not backs_off:
        return load_client.run(url, variants(data), args.clients, args.seconds, auth=HEADERS["Authorization"])
    before = os.times()
    started = time.monotonic()
    result = load(url, variants(data), args.clients, args.seconds)
    after = os.times()
    result["client_cpu"] = (after.user - before.user) + (after.system - before.system)
    result["elapsed"] = time.monotonic() - started
    return result


ARRANGEMENTS = (("A 1 worker, pool in the worker (before)", 1, False),
                ("B 1 worker + pool server", 1, True),
                ("C 2 workers + pool server", 2, True))


def serve_and_drive(args, data: dict, workers: int, pool_server: bool, parts: tuple[str, ...]) -> dict:
    """One arrangement started, warmed and loaded with each part in turn; adds the CPU its processes
    used (service_cores: how many of the machine's CPUs the service kept busy on average)."""
    out = {}
    with Server(workers, pool_server) as srv:
        session = os.getsid(srv.proc.pid)
        for what in parts:
            path = "/api/v1/packages/all?format=office" if what == "office" else "/api/v1/packages/tables?format=pdf"
            post(srv.base + path, variants(data)())  # warm-up
            before = group_cpu(session)
            result = drive(args, srv.base + path, data, backs_off=what == "pdf")
            result["service_cores"] = (group_cpu(session) - before) / result["elapsed"]
            out[what] = result
    return out


def throughput(args, data: dict) -> None:
    """--rounds rounds of A, B, C in turn (office each round, PDF in the first --pdf-rounds), so that
    a slow spell of the machine falls on all three; the ratio of each round, and their median."""
    cpus = len(os.sched_getaffinity(0))
    roof = ceiling(data, min(args.seconds, 30))
    rounds = []
    for n in range(args.rounds):
        parts = ("office", "pdf") if n < args.pdf_rounds else ("office",)
        rounds.append({label: serve_and_drive(args, data, workers, pool_server, parts)
                       for label, workers, pool_server in ARRANGEMENTS})
    a, b, c = (label for label, _, _ in ARRANGEMENTS)
    print(f"\nthroughput: {args.clients} clients × {args.seconds:.0f} s, {args.members}-member branch, "
          f"{cpus} CPUs, client {args.client}, {args.rounds} round(s)")
    print(f"  the machine's own ceiling, the same office package rendered without HTTP for {roof['seconds']:.0f} s: "
          f"1 process {roof[1]:.2f}/s, 2 processes {roof[2]:.2f}/s, ×{roof[2] / roof[1]:.2f}")
    for what in ("office", "pdf"):
        print(f"  {'all, Word/Excel' if what == 'office' else 'tables as PDF'}:")
        for n, results in enumerate(rounds):
            if what not in results[a]:
                continue
            base = results[a][what]["rate"]
            for label, _, _ in ARRANGEMENTS:
                r = results[label][what]
                print(f"    {n + 1} {label:<42} {r['rate']:6.2f} req/s  p50 {r['p50']:6.2f} s  "
                      f"errors {r['errors']:3d}  busy {r.get('busy', 0):4d}  ×{r['rate'] / base if base else float('nan'):.2f} of A  "
                      f"web {r['service_cores']:4.2f} CPUs  "
                      f"client CPU {r['client_cpu'] / (r['elapsed'] * cpus):5.1%} of the machine")
    ca = [r[c]["office"]["rate"] / r[a]["office"]["rate"] for r in rounds]
    cb = [r[c]["office"]["rate"] / r[b]["office"]["rate"] for r in rounds]
    print(f"  office, C against A: {', '.join(f'×{x:.2f}' for x in ca)}; median ×{statistics.median(ca):.2f} "
          f"(the machine's ceiling ×{roof[2] / roof[1]:.2f})")
    print(f"  office, C against B: {', '.join(f'×{x:.2f}' for x in cb)}; median ×{statistics.median(cb):.2f}")
    pdf = [r for r in rounds if "pdf" in r[a]]
    if pdf:
        ca = [r[c]["pdf"]["rate"] / r[a]["pdf"]["rate"] for r in pdf if r[a]["pdf"]["rate"]]
        print(f"  tables as PDF, C against A: {', '.join(f'×{x:.2f}' for x in ca)}; "
              f"median ×{statistics.median(ca) if ca else float('nan'):.2f}")


def ceiling(data: dict, seconds: float) -> dict:
    """What a second process can add on this machine at all: the office package validated and
    rendered from JSON bodies (what the service does for a request, without HTTP), by one process
    and then by two side by side, packages per second."""
    from concurrent.futures import ProcessPoolExecutor

    bodies = [variants(data)() for _ in range(20)]
    out = {"seconds": seconds}
    for procs in (1, 2):
        with ProcessPoolExecutor(procs) as pool:
            list(pool.map(_render_for, [(bodies, 1.0)] * procs))  # imports and template caches warmed
            out[procs] = sum(pool.map(_render_for, [(bodies, seconds)] * procs)) / seconds
    return out


def _render_for(job: tuple[list[bytes], float]) -> int:
    """Packages rendered in `seconds`, one body after another."""
    bodies, seconds = job
    done, stop_at = 0, time.monotonic() + seconds
    while time.monotonic() < stop_at:
        received = from_json_body(bodies[done % len(bodies)])
        packages.render_package(received.dataset, "all", "office")
        done += 1
    return done


def tables(args, data: dict) -> None:
    ds = schemas.load_dataset(data)
    files = [(d, catalog.DOCUMENTS[d].kind, render.render_office(ds, d)) for d in catalog.TABLE_IDS]
    sheet_ids = tuple(d for d in catalog.TABLE_IDS if not catalog.DOCUMENTS[d].paged_per_member)
    workbook = book.render_book([(catalog.DOCUMENTS[d].template, render.context(ds, catalog.DOCUMENTS[d]))
                                 for d in sheet_ids]).data
    register = next(body for d, _, body in files if catalog.DOCUMENTS[d].paged_per_member)
    cold = cold_soffice(files)
    with Server(2, True) as srv:
        from service.pdf.client import PoolClient

        client = PoolClient(POOL_ENV["PAICHA_PDF_POOL_LISTEN"], deadline=180)
        for _, kind, body in files + [("book", "xlsx", workbook)]:  # a first pass warms both instances up
            client.convert(body, kind)
        single = [timed(lambda: client.convert(body, kind)) for _, kind, body in files]
        limit = sum(single)
        now = timed(lambda: client.convert(register, "docx")) + timed(lambda: client.convert(workbook, "xlsx"))
        api = statistics.median([timed(lambda: post(srv.base + "/api/v1/packages/tables?format=pdf",
                                                    variants(data)())) for _ in range(args.runs)])
        alone = statistics.median([timed(lambda: post(srv.base + "/api/v1/documents/member_register?format=pdf",
                                                      variants(data)())) for _ in range(args.runs)])
        rows = [(label, n, whole_and_auto(schemas.load_dataset(synthetic_branch(n)), ids, client, args.runs))
                for n in (args.members, 150)
                for label, ids in (("附件3 alone", ("member_register",)), ("tables", catalog.TABLE_IDS))]
        apart = [(n, apart_and_together(schemas.load_dataset(synthetic_branch(n)), client, args.runs))
                 for n in (args.members, 150)]
    print(f"\ntables package as PDF, {args.members} members ({len(catalog.TABLE_IDS)} files), median of {args.runs}:")
    print(f"  (a) cold soffice --convert-to per file, sequential      {cold:6.2f} s")
    print(f"  (b) sum of warm single-instance conversions, per file    {limit:6.2f} s   cold/(b) = {cold / limit:4.1f}×")
    print(f"  (c) one instance: 附件3 + 附件4–9 as one workbook        {now:6.2f} s   cold/(c) = {cold / now:4.1f}×")
    print(f"  through the API (2 workers, pool of 2)                   {api:6.2f} s   cold/API = {cold / api:4.1f}×")
    print(f"  附件3 alone as PDF through the API                      {alone:6.2f} s")
    print("  in process, 附件3 whole against cut as render.part_sizes decides:")
    for label, n, (whole, auto, parts) in rows:
        print(f"    {label:<12} {n:4d} members: whole {whole:5.2f} s, {parts} part(s) {auto:5.2f} s, ×{whole / auto:.2f}")
    print("  in process, the tables converted one by one (as before) against 附件4–9 as one workbook:")
    for n, (one_by_one, together) in apart:
        print(f"    tables       {n:4d} members: one by one {one_by_one:5.2f} s, together {together:5.2f} s, "
              f"×{one_by_one / together:.2f}")


def whole_and_auto(ds, ids, client, runs) -> tuple[float, float, int]:
    """Median seconds for `ids` as PDF with the register whole and as part_sizes decides, taken in
    turns so that a change in the machine's load falls on both alike."""
    decide = render.part_sizes
    seen: list[int] = []

    def whole():
        render.part_sizes = lambda pages, others, width: seen.append(len(decide(pages, others, width))) or [pages]
        try:
            render.render_pdfs(ds, ids, client)
        finally:
            render.part_sizes = decide

    whole_time, auto_time = alternate(whole, lambda: render.render_pdfs(ds, ids, client), runs)
    return whole_time, auto_time, seen[0]


def apart_and_together(ds, client, runs) -> tuple[float, float]:
    """Median seconds for the tables as PDF, each converted on its own, and 附件4–9 as one workbook, in turns."""
    return alternate(lambda: render.render_pdfs(ds, catalog.TABLE_IDS, client, apart=True),
                     lambda: render.render_pdfs(ds, catalog.TABLE_IDS, client), runs)


def alternate(first, second, runs) -> tuple[float, float]:
    """Median seconds of each of two ways, timed in turns."""
    times = [(timed(first), timed(second)) for _ in range(runs)]
    return statistics.median(a for a, _ in times), statistics.median(b for _, b in times)


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def cold_soffice(files) -> float:
    """A cold `soffice --convert-to pdf` per file, as a clerk's script would run them."""
    with tempfile.TemporaryDirectory() as tmp:
        profile = f"-env:UserInstallation=file://{tmp}/profile"
        subprocess.run(["soffice", profile, "--headless", "--terminate_after_init"], timeout=120,
                       capture_output=True)  # the profile made beforehand: only the start is cold
        started = time.perf_counter()
        for i, (_, kind, body) in enumerate(files):
            src = Path(tmp) / f"f{i}.{kind}"
            src.write_bytes(body)
            subprocess.run(["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", tmp, str(src)],
                           timeout=300, capture_output=True, check=True)
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--members", type=int, default=60)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3, help="throughput: rounds of the three arrangements")
    parser.add_argument("--pdf-rounds", type=int, default=1,
                        help="throughput: how many of those rounds also load the tables package as PDF")
    parser.add_argument("--part", choices=("throughput", "tables", "all"), default="all")
    parser.add_argument("--client", choices=("wrk", "python"), default="wrk" if load_client.available() else "python")
    args = parser.parse_args()
    data = synthetic_branch(args.members)
    if args.part in ("tables", "all"):
        tables(args, data)
    if args.part in ("throughput", "all"):
        throughput(args, data)


if __name__ == "__main__":
    main()
