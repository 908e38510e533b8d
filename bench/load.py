"""A bounded load run over the service as gunicorn serves it, signed in as the district.

    .venv/bin/python bench/load.py [--clients 20] [--seconds 60] [--queue-limit 4] [--threads N]
                                   [--kinds validate,office,pdf,branches]
    .venv/bin/python bench/load.py --url http://127.0.0.1:8000 --token <district token>

Without --url it starts gunicorn on loopback (the workers and threads of service.gunicorn_conf,
the machine's PDF pool of PAICHA_PDF_POOL_SIZE instances, ports moved by PAICHA_TEST_PORT_OFFSET),
makes a district token with `paicha tokens create --district` before the start, and stores five
branches through PUT /api/v1/branches/<code>/dataset. Then --clients threads, each on its own
keep-alive connection, take turns over four kinds of request for --seconds:

  validate  POST /api/v1/validate
  office    POST /api/v1/documents/<id> in its Word or Excel format (附件3, 附件4, 工作方案, 附件9 in turn)
  pdf       POST /api/v1/documents/member_register?format=pdf (a fresh 附件3: every body differs)
  branches  GET  /api/v1/branches (the district's list)

Every posted body is a different variant of the sample branch (prepared before the run), so no PDF
comes from the cache. A client does not wait out a Retry-After: it goes on to its next kind.

It prints, per kind, the answered requests and their rate, p50 and p95, the errors (anything but
200, and for pdf also but 503 busy with Retry-After), and the 503 busy answers with their p50, p95
and slowest; then the CPU the client itself used and the machine's load average before and after.
It exits 1 when there was an error or the 503 busy answers' p95 was a second or more.

Settings of the started service: PAICHA_PDF_QUEUE_LIMIT = --queue-limit (4: so that 20 clients ask
for more PDFs at once than the pool holds and the refusals show); rate limits stay on, with
PAICHA_LIMIT_RENDER_PER_PRINCIPAL and _PER_ADDRESS at "100000 per minute": one token from one
address is the load here, not an abuser, and the limiter's own cost stays in the figures.
--threads N gives each worker N threads instead of service.gunicorn_conf's (PAICHA_WEB_THREADS plus
what the PDF pool admits): --threads 4 is the arrangement before #10.7, for comparison.
Ports: HTTP a free one; PDF pool 3703+ (XML-RPC), 3803+ (UNO), 3799 (pool server), plus the offset.
"""
from __future__ import annotations

import argparse
import copy
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.processes import cli_token, free_port, stop_group  # noqa: E402
from tools.synthetic import synthetic_branch  # noqa: E402

GUNICORN = Path(sys.executable).with_name("gunicorn")
OFFSET = int(os.environ.get("PAICHA_TEST_PORT_OFFSET") or 0)
SAMPLE = ROOT / "tests" / "fixtures" / "demo-branch.json"
KINDS = ("validate", "office", "pdf", "branches")
OFFICE_DOCS = ("member_register", "member_roster", "work_plan", "campaign_summary")
LIMIT = "100000 per minute"


class Service:
    """gunicorn on loopback with the machine's PDF pool, stopped with its process group."""

    def __init__(self, queue_limit: int, threads: int | None = None):
        self.dir = Path(tempfile.mkdtemp(prefix="paicha-load-"))
        self.threads = threads
        conf = "python:service.gunicorn_conf"
        if threads:  # the same settings and hooks, another thread count
            conf = str(self.dir / "threads_conf.py")
            Path(conf).write_text(f"from service.gunicorn_conf import *  # noqa\nthreads = {threads}\n", encoding="utf-8")
        self.port = free_port()
        self.env = dict(os.environ, PAICHA_INSTANCE_DIR=str(self.dir / "instance"), PAICHA_LOG_LEVEL="WARNING",
                        PAICHA_PDF_POOL_BASE_PORT=str(3703 + OFFSET), PAICHA_PDF_POOL_BASE_UNO_PORT=str(3803 + OFFSET),
                        PAICHA_PDF_POOL_LISTEN=f"127.0.0.1:{3799 + OFFSET}", PAICHA_PDF_QUEUE_LIMIT=str(queue_limit),
                        PAICHA_RATE_LIMITS="true", PAICHA_LIMIT_RENDER_PER_PRINCIPAL=LIMIT,
                        PAICHA_LIMIT_RENDER_PER_ADDRESS=LIMIT)
        for name in ("PAICHA_PDF_POOL_URL", "PROMETHEUS_MULTIPROC_DIR"):
            self.env.pop(name, None)
        self.token = cli_token(self.env, self.dir)
        self.proc = subprocess.Popen([str(GUNICORN), "-c", conf, "--bind",
                                      f"127.0.0.1:{self.port}", "service.wsgi:app"], cwd=self.dir, env=self.env,
                                     start_new_session=True, stdout=subprocess.DEVNULL,
                                     stderr=(self.dir / "log").open("wb"))
        self.url = f"http://127.0.0.1:{self.port}"

    def wait_ready(self, timeout: float = 180) -> dict:
        end = time.monotonic() + timeout
        while time.monotonic() < end and self.proc.poll() is None:
            try:
                with urllib.request.urlopen(self.url + "/readyz", timeout=5) as r:
                    state = json.loads(r.read())
                instances = state["pdf"].get("instances", [])
                if instances and all(i.get("state") == "up" for i in instances):
                    return state
            except (OSError, ValueError, KeyError):
                pass
            time.sleep(0.5)
        raise SystemExit(f"the service did not come up: {(self.dir / 'log').read_text()[-2000:]}")

    def stop(self) -> None:
        stop_group(self.proc, timeout=40)


class Client:
    """One keep-alive connection; a broken one is reopened (and the request counted as an error)."""

    def __init__(self, url: str, token: str):
        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, dict, bytes]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
        try:
            self.conn.request(method, path, body=body, headers=self.headers)
            response = self.conn.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        except (OSError, http.client.HTTPException) as err:
            self.conn.close()
            self.conn = None
            return 0, {"error": type(err).__name__}, b""


def bodies(count: int) -> list[bytes]:
    """`count` distinct variants of the sample branch (a remark carries a number)."""
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    out = []
    for n in range(count):
        d = copy.deepcopy(data)
        d["members"][0]["remarks"] = f"负载测试 {n}"
        out.append(json.dumps(d, ensure_ascii=False).encode("utf-8"))
    return out


def store_branches(url: str, token: str, count: int = 5) -> None:
    client = Client(url, token)
    for n in range(count):
        data = synthetic_branch(20, seed=n)
        code = f"LOAD{n + 1:02d}"
        data["org"]["code"] = code
        status, _, body = client.request("PUT", f"/api/v1/branches/{code}/dataset",
                                         json.dumps(data, ensure_ascii=False).encode("utf-8"))
        if status != 201:
            raise SystemExit(f"storing {code}: HTTP {status} {body[:300]!r}")


def run(url: str, token: str, clients: int, seconds: float, prepared: list[bytes], kinds=KINDS) -> dict:
    """`clients` threads for `seconds`; per kind a list of (status, seconds, busy) answers."""
    results: dict[str, list] = {k: [] for k in kinds}
    lock = threading.Lock()
    counter = iter(range(10 ** 9))
    stop_at = time.monotonic() + seconds

    def next_body() -> bytes:
        with lock:
            n = next(counter)
        return prepared[n % len(prepared)]

    def client(index: int) -> None:
        conn = Client(url, token)
        turn = index
        while time.monotonic() < stop_at:
            kind = kinds[turn % len(kinds)]
            office = OFFICE_DOCS[(turn // len(kinds)) % len(OFFICE_DOCS)]
            turn += 1
            method, path, body = {
                "validate": ("POST", "/api/v1/validate", None),
                "office": ("POST", f"/api/v1/documents/{office}", None),
                "pdf": ("POST", "/api/v1/documents/member_register?format=pdf", None),
                "branches": ("GET", "/api/v1/branches", b""),
            }[kind]
            payload = None if method == "GET" else next_body()
            started = time.perf_counter()
            status, headers, answer = conn.request(method, path, payload)
            took = time.perf_counter() - started
            busy = False
            if status == 503:
                try:
                    busy = json.loads(answer).get("code") == "busy" and int(headers.get("retry-after", "0")) >= 1
                except (ValueError, AttributeError):
                    busy = False
            with lock:
                results[kind].append((status, took, busy))

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    load_before = os.getloadavg()[0]
    before, started = os.times(), time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(0.0, stop_at - time.monotonic()) + 130)  # bounded: a request's timeout past the end
    after = os.times()
    elapsed = time.monotonic() - started
    return {"results": results, "elapsed": elapsed, "load_before": load_before,
            "client_cpu": (after.user - before.user) + (after.system - before.system)}


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def report(outcome: dict, clients: int) -> bool:
    elapsed = outcome["elapsed"]
    print(f"{clients} clients, {elapsed:.1f} s (load average before: {outcome['load_before']:.1f})")
    print(f"{'kind':9} {'200':>6} {'per s':>7} {'p50 s':>7} {'p95 s':>7} {'errors':>6} "
          f"{'503 busy':>8} {'busy p50':>8} {'busy p95':>8} {'busy max':>8}")
    ok = True
    for kind, rows in outcome["results"].items():
        good = [t for s, t, _ in rows if s == 200]
        busy = [t for s, t, b in rows if s == 503 and b and kind == "pdf"]
        errors = [s for s, _, b in rows if s != 200 and not (s == 503 and b and kind == "pdf")]
        ok = ok and not errors and (not busy or pct(busy, 95) < 1.0)
        print(f"{kind:9} {len(good):6d} {len(good) / elapsed:7.2f} {pct(good, 50):7.2f} {pct(good, 95):7.2f} "
              f"{len(errors):6d} {len(busy):8d} {pct(busy, 50):8.2f} {pct(busy, 95):8.2f} "
              f"{(max(busy) if busy else float('nan')):8.2f}" + (f"  statuses {sorted(set(errors))}" if errors else ""))
    cpus = os.cpu_count() or 1
    print(f"client CPU: {outcome['client_cpu']:.1f} s = {outcome['client_cpu'] / elapsed / cpus:.0%} of "
          f"{cpus} CPUs; load average after: {os.getloadavg()[0]:.1f}")
    print("OK: no errors; 503 busy answered in under a second (p95)" if ok
          else "NOT OK: errors, or the 503 busy answers' p95 was a second or more")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--queue-limit", type=int, default=4, help="PAICHA_PDF_QUEUE_LIMIT of the started service")
    parser.add_argument("--threads", type=int, help="gunicorn threads per worker of the started service "
                        "(default: service.gunicorn_conf's; 4 = before #10.7)")
    parser.add_argument("--kinds", default=",".join(KINDS), help="the kinds of request the clients take turns over")
    parser.add_argument("--url", help="a running service (then --token is needed and nothing is started)")
    parser.add_argument("--token", help="a district token for --url")
    parser.add_argument("--bodies", type=int, default=3000, help="distinct request bodies prepared")
    args = parser.parse_args()
    if args.url and not args.token:
        parser.error("--url needs --token (paicha tokens create --district)")
    service = None if args.url else Service(args.queue_limit, args.threads)
    try:
        if service:
            state = service.wait_ready()
            from service import config
            from service.gunicorn_conf import pdf_admitted

            settings = config.load(environ=service.env)  # what the started gunicorn read
            pdf = state["pdf"]
            threads = service.threads or settings["WEB_THREADS"] + pdf_admitted(settings)
            print(f"gunicorn {settings['WEB_WORKERS']} workers x {threads} "
                  f"threads; PDF pool {len(pdf['instances'])} instance(s), queue limit {pdf['queue_limit']}")
        url, token = (args.url, args.token) if args.url else (service.url, service.token)
        store_branches(url, token)
        prepared = bodies(args.bodies)
        kinds = tuple(k for k in args.kinds.split(",") if k)
        if not kinds or set(kinds) - set(KINDS):
            parser.error(f"--kinds: some of {','.join(KINDS)}")
        ok = report(run(url, token, args.clients, args.seconds, prepared, kinds), args.clients)
    finally:
        if service:
            service.stop()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
