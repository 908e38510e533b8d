"""A load generator that leaves the CPUs to the service: wrk (C, event loops) posting prepared bodies.

On a 2-CPU machine, 20 Python client threads that build a new JSON body for every request take a
noticeable share of the CPUs they are measuring; wrk sends bodies prepared before the run (each a
different branch variant, so no cache helps) and costs almost nothing. `run` returns completed
requests, rate, p50/p95 and errors, and the CPU seconds the client itself used, so a report can
say how much of the machine the load generator took.

Needs Debian's `wrk` (`apt-get install wrk`).
"""
from __future__ import annotations

import json
import resource
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Callable

SCRIPT = r"""
local bodies = {}
local i = 0
init = function(args)
  local dir, count = args[1], tonumber(args[2])
  auth = args[3]
  for n = 0, count - 1 do
    local f = assert(io.open(dir .. "/" .. n .. ".json", "rb"))
    bodies[#bodies + 1] = f:read("*a")
    f:close()
  end
  i = math.random(#bodies)
end
request = function()
  i = i % #bodies + 1
  return wrk.format("POST", nil, {["Content-Type"] = "application/json", ["Authorization"] = auth}, bodies[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT {\"requests\": %d, \"duration_us\": %d, \"p50_us\": %d, \"p95_us\": %d, " ..
    "\"status_errors\": %d, \"socket_errors\": %d}\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def available() -> bool:
    return shutil.which("wrk") is not None


def run(url: str, next_body: Callable[[], bytes], clients: int, seconds: float, bodies: int = 200,
        auth: str = "") -> dict:
    """`clients` connections posting for `seconds` through wrk; the same keys as web_bench.load."""
    with tempfile.TemporaryDirectory(prefix="paicha-wrk-") as tmp:
        for n in range(bodies):
            (Path(tmp) / f"{n}.json").write_bytes(next_body())
        script = Path(tmp) / "post.lua"
        script.write_text(SCRIPT, encoding="utf-8")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        out = subprocess.run(
            ["wrk", "-t", "2", "-c", str(clients), "-d", f"{seconds:.0f}s", "--timeout", "300s",
             "-s", str(script), url, "--", tmp, str(bodies), auth],
            capture_output=True, text=True, timeout=seconds + 360, check=True).stdout
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    line = next(ln for ln in out.splitlines() if ln.startswith("RESULT "))
    r = json.loads(line[len("RESULT "):])
    elapsed = r["duration_us"] / 1e6
    # wrk counts a request cut off at the end of the run as a socket error; it is not the service's
    ok = r["requests"] - r["status_errors"]
    return {"done": ok, "rate": ok / elapsed, "errors": r["status_errors"], "socket_errors": r["socket_errors"],
            "p50": r["p50_us"] / 1e6, "p95": r["p95_us"] / 1e6,
            "client_cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
            "elapsed": elapsed}
