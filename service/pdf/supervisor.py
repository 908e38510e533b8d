"""One LibreOffice converter (an unoserver and its soffice) kept alive by a supervising thread.

Each instance runs in its own process group with its own ports and LibreOffice profile, so a hung
or dead soffice is killed with everything it started, and nothing else is touched. The thread
restarts the instance on any exit, with a growing pause when it keeps dying at start-up.
"""
from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import xmlrpc.client
from pathlib import Path

log = logging.getLogger(__name__)

ENTRY_POINT = Path(__file__).with_name("hidden_server.py")
UP, STARTING, DOWN = "up", "starting", "down"


class TimeoutTransport(xmlrpc.client.Transport):
    """An XML-RPC transport whose socket gives up after `timeout` seconds."""

    def __init__(self, timeout: float):
        super().__init__()
        self.timeout = timeout

    def make_connection(self, host):
        conn = super().make_connection(host)
        conn.timeout = self.timeout
        return conn


def rpc(host: str, port: int, timeout: float) -> xmlrpc.client.ServerProxy:
    """A proxy for one call to an unoserver, with a hard socket timeout."""
    return xmlrpc.client.ServerProxy(
        f"http://{host}:{port}/RPC2", transport=TimeoutTransport(timeout), allow_none=True
    )


def group_pids(pgid: int) -> list[int]:
    """Live (non-zombie) processes in a process group, read from /proc."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z" and int(fields[2]) == pgid:
            pids.append(int(entry.name))
    return pids


def _small(path: Path, limit: int = 1 << 20) -> bool:
    try:
        return path.stat().st_size < limit
    except OSError:
        return True


def rss_bytes(pids: list[int]) -> int:
    """Resident memory of some processes, summed."""
    total = 0
    for pid in pids:
        try:
            pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        total += pages * os.sysconf("SC_PAGE_SIZE")
    return total


class Instance:
    """A converter at host:port; `managed` ones are started and restarted by this process."""

    def __init__(self, port: int, uno_port: int | None = None, *, host: str = "127.0.0.1",
                 managed: bool = True, python: str | None = None, soffice: str | None = None,
                 workdir: str | None = None, connect_wait: float = 60.0, on_change=None, on_restart=None):
        self.host, self.port, self.uno_port, self.managed = host, port, uno_port, managed
        self.python = python or sys.executable
        self.soffice = soffice or shutil.which("soffice")
        self.workdir = Path(workdir or f"/tmp/paicha-lo-{port}")
        self.connect_wait = connect_wait
        self.state = STARTING if managed else DOWN
        self.failed_starts = 0  # starts in a row that never came up: LibreOffice dead for good, for now
        self.busy = False
        self.conversions = 0  # since the last (re)start
        self.total_conversions = 0
        self.restarts = 0
        self.version = ""
        self.proc: subprocess.Popen | None = None
        self._on_change = on_change or (lambda: None)
        self._on_restart = on_restart or (lambda reason: None)
        self._last_kill = "crash"
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc and self.proc.poll() is None else None

    def describe(self) -> dict:
        pgid = self.pid
        return {
            "host": self.host, "port": self.port, "uno_port": self.uno_port,
            "state": self.state, "busy": self.busy, "pid": pgid, "managed": self.managed,
            "conversions": self.conversions, "total_conversions": self.total_conversions,
            "restarts": self.restarts, "rss_bytes": rss_bytes(group_pids(pgid)) if pgid else None,
        }

    # --- lifecycle -------------------------------------------------------------------------

    def start(self) -> None:
        self._stopping.clear()
        self._thread = threading.Thread(target=self._supervise, name=f"lo-{self.port}",
                                        daemon=True)
        self._thread.start()

    def stop(self, wait: float = 5.0) -> None:
        self._stopping.set()
        self.kill("stop")
        if self._thread:
            self._thread.join(wait)
        self._set(DOWN)

    def kill(self, reason: str) -> None:
        """Kill the whole process group: unoserver, oosplash and soffice.bin."""
        if not self.managed or self.proc is None:
            return
        if reason not in ("stop", "recycle"):
            log.warning("killing LibreOffice instance on port %s (%s)", self.port, reason)
        self._last_kill = reason
        self._set(DOWN)
        self._killpg()

    def _killpg(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def _set(self, state: str) -> None:
        self.state = state
        self._on_change()

    def _supervise(self) -> None:
        """Keep the instance running until stop(): (re)start, wait for exit, clean up, repeat."""
        pause = 0.5
        first = True
        while not self._stopping.is_set():
            if self.managed:
                came_up = self._run_once()
                if self._stopping.is_set():
                    break
                self.restarts += 1
                self._on_restart(self._last_kill)
                self._last_kill = "crash"
                pause = 0.2 if came_up else min(pause * 2, 30.0)
            else:
                self._probe_external(first)
                pause = 5.0
            first = False
            self._stopping.wait(pause)

    def _run_once(self) -> bool:
        self._set(STARTING)
        self.conversions = 0
        profile = self.workdir / "profile"
        (self.workdir / "tmp").mkdir(parents=True, exist_ok=True)
        (profile / ".lock").unlink(missing_ok=True)  # stale after a kill; ours alone
        cmd = [
            self.python, str(ENTRY_POINT), "--port", str(self.port),
            "--uno-port", str(self.uno_port), "--user-installation", str(profile),
            "--temp-dir", str(self.workdir / "tmp"), "--quiet",
        ]
        if self.soffice:
            cmd += ["--executable", self.soffice]
        env = dict(os.environ, PAICHA_PARENT_PID=str(os.getpid()), LC_ALL="C.UTF-8",
                   PAICHA_UNO_CONNECT_WAIT=str(self.connect_wait))  # the child's own interface
        log_path = self.workdir / "unoserver.log"  # request lines only: no document names
        logfile = open(log_path, "ab" if _small(log_path) else "wb")
        try:
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=logfile,
                                         stderr=logfile, start_new_session=True, env=env)
        finally:
            logfile.close()
        came_up = self._wait_ready(self.proc)
        if came_up:
            self._set(UP)
            log.info("LibreOffice instance on port %s up (pid %s)", self.port, self.proc.pid)
        code = self.proc.wait()
        self.failed_starts = 0 if came_up else self.failed_starts + 1
        self._set(DOWN)
        self._killpg()  # whatever it left behind in its group
        if not self._stopping.is_set() and self._last_kill == "crash":
            log.warning("LibreOffice instance on port %s exited (%s); restarting", self.port, code)
        return came_up

    def _wait_ready(self, proc: subprocess.Popen, limit: float = 90.0) -> bool:
        """Poll until the server answers info(); kill it when it never does, or when no soffice runs
        in its group once connect_wait has passed (LibreOffice exited at start: unoserver would go
        on retrying its connection for minutes, and callers wait for an instance that cannot come)."""
        started = time.monotonic()
        while time.monotonic() < started + limit and not self._stopping.is_set():
            if proc.poll() is not None:
                return False
            if self.probe(timeout=5.0):  # while starting, its port accepts before it answers
                return True
            if time.monotonic() > started + self.connect_wait and not self.soffice_alive():
                self.kill("start-up failed")
                return False
            time.sleep(0.2)
        if proc.poll() is None:
            self.kill("start-up timeout")
        return False

    def probe(self, timeout: float = 20.0) -> bool:
        """True when the server answers; remembers LibreOffice's version string."""
        try:
            info = rpc(self.host, self.port, timeout).info()
        except (OSError, xmlrpc.client.Error):
            return False
        self.version = str(info.get("libreoffice_version") or info.get("unoserver") or "")
        return True

    def _probe_external(self, first: bool) -> None:
        if self.busy:
            return
        ok = self.probe()
        if ok and self.state != UP:
            self._set(UP)
        elif not ok and self.state == UP:
            if not first:
                self.restarts += 1
            self._set(DOWN)

    def soffice_alive(self) -> bool:
        """Whether soffice.bin still runs in this instance's group (managed instances only)."""
        if not self.managed:
            return True
        pid = self.pid
        if pid is None:
            return False
        for member in group_pids(pid):
            try:
                if "soffice.bin" in Path(f"/proc/{member}/cmdline").read_bytes().decode(
                        "utf-8", "replace"):
                    return True
            except OSError:
                continue
        return False
