"""The local processes the tests, the benchmarks and the wheel smoke test start and stop: a free port
to serve on, a district token from the `paicha` command, the CPU a process group used, and stopping
that group."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path


def free_port() -> int:
    """A loopback TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli_token(env: dict, cwd, *args: str) -> str:
    """A token made by `paicha tokens create` (default: --district) for a service started with this
    environment, as an administrator makes one; its secret (the command's only line on stdout)."""
    command = Path(sys.executable).with_name("paicha")  # the console script of the running venv
    out = subprocess.run([str(command), "tokens", "create", *(args or ("--district",))], cwd=cwd, env=env,
                         capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        raise RuntimeError(f"paicha tokens create failed ({out.returncode}): {out.stderr[-2000:]}")
    (secret,) = out.stdout.split()
    return secret


def stop_group(proc: subprocess.Popen, timeout: float = 30) -> None:
    """TERM the process group a service was started in (start_new_session=True); KILL it if it lingers."""
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def group_cpu(session_id: int) -> float:
    """CPU seconds (user + system) the live processes of a session have used so far, from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        if int(fields[3]) == session_id:  # field 6 of stat: the session id
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total
