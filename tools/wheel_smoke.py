"""Ship what runs: build the wheel, install it bare in a fresh venv, serve it, fetch every file.

    .venv/bin/python tools/wheel_smoke.py                      # build, install, serve, fetch, stop
    .venv/bin/python tools/wheel_smoke.py --url http://127.0.0.1:8000 --token "$TOKEN"   # fetch only (e.g. the container)

The wheel is built from a copy of the checkout's files (tracked and new, not ignored, so no stale
build/ leaks in), checked to hold every template, web file and the font map, and installed
WITHOUT extras into a venv made from Debian's python3 with --system-site-packages (uno lives
there). gunicorn starts from that venv in an empty directory outside the checkout, exactly as
the container runs it, on its own ports (web: a free one; PDF pool 3102, instances 3103+/3203+),
after the installed `paicha users ensure-admin` made the first district account and `paicha tokens
create --district` a token that every request below carries (one without it must be refused, 401).
Then the clerk page, the OpenAPI document and Swagger UI (with the stylesheets and scripts the
pages link), the blank workbook, every document in every format and every package in every
format (the print packet among them) must answer 200 — and the sample, stored as a version in the
SQLite database the server created and migrated, must be listed, found by its 校验码 and give its
packages and workbook back — and every file must open: DOCX with python-docx, XLSX with openpyxl, PDF with pypdf, zips entry by entry.
Those readers are this script's (the checkout's .venv, test extras); the server has none of them.
One line per URL; exit status 1 on any failure. gunicorn, its PDF pool server and every
LibreOffice they started are killed at the end, whatever happened.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.domain import catalog  # noqa: E402  (the checkout's catalog: what the wheel must serve)
from tools.processes import free_port  # noqa: E402

BODY = (ROOT / "tests" / "fixtures" / "demo-branch.json").read_bytes()
TAG = "PAICHA_WHEEL_SMOKE"  # in the server's environment, inherited by everything it starts
# what the wheel must carry besides code: (directory in the checkout, glob)
DATA = [("templates_docx", "*.docx"), ("templates_xlsx", "*.xlsx"), ("service/web/templates", "**/*.html"),
        ("service/web/static", "**/*"), ("service/pdf", "fonts.conf"), ("service/api", "*.js"),
        ("service/store/migrations", "**/*.py"), ("service/store/migrations", "script.py.mako"),
        ("service/access/templates", "**/*.html")]


def log(message: str) -> None:
    print(message, flush=True)


# --- the wheel ---------------------------------------------------------------------------------

def build_wheel(out: Path) -> Path:
    """pip wheel from a clean copy of the checkout's files (git's view: tracked and new, not ignored)."""
    src = out / "src"
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, check=True, timeout=60).stdout.decode()
    for rel in filter(None, listed.split("\0")):
        if (ROOT / rel).is_file():
            (src / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, src / rel)
    dist = out / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(src)], check=True, timeout=600)
    (wheel,) = dist.glob("paicha-*.whl")
    return wheel


def check_wheel(wheel: Path) -> list[str]:
    """The run-time files the checkout has and the wheel lacks (empty: all shipped)."""
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    want = sorted(str(p.relative_to(ROOT)) for folder, pattern in DATA for p in (ROOT / folder).glob(pattern)
                  if p.is_file() and "__pycache__" not in p.parts)
    missing = [w for w in want if w not in names]
    py = sum(n.endswith(".py") for n in names)
    log(f"wheel {wheel.name}: {len(names)} files, {py} modules; data files {len(want) - len(missing)}/{len(want)}"
        + (f"; MISSING {', '.join(missing)}" if missing else ""))
    return missing


def make_venv(python: str, venv: Path, wheel: Path) -> Path:
    subprocess.run([python, "-m", "venv", "--system-site-packages", str(venv)], check=True, timeout=300)
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                    str(wheel)], check=True, timeout=900)
    return venv


# --- the server --------------------------------------------------------------------------------

def port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def server_env(run_dir: Path, venv: Path, args, tag: str) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PAICHA_") and k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env.update({
        "PATH": f"{venv / 'bin'}:{env.get('PATH', '/usr/bin:/bin')}",
        "PAICHA_INSTANCE_DIR": str(run_dir / "instance"),
        "PAICHA_PDF_POOL_LISTEN": f"127.0.0.1:{args.pool_port}",
        "PAICHA_PDF_POOL_BASE_PORT": str(args.pdf_base_port),
        "PAICHA_PDF_POOL_BASE_UNO_PORT": str(args.uno_base_port),
        "PAICHA_PDF_POOL_SIZE": str(args.pool_size),
        "PAICHA_WEB_WORKERS": str(args.workers),
        TAG: tag,
    })
    return env


def first_accounts(venv: Path, run_dir: Path, env: dict) -> str:
    """What an administrator does before the first start: the first district account (make run's
    step) and a district token for this smoke; the token."""
    paicha = str(venv / "bin" / "paicha")
    admin = subprocess.run([paicha, "users", "ensure-admin"], cwd=run_dir, env=env, capture_output=True, text=True,
                           timeout=120, check=True)
    log(f"paicha users ensure-admin: {admin.stdout.splitlines()[0] if admin.stdout else '(an account existed)'}")
    made = subprocess.run([paicha, "tokens", "create", "--district", "--name", "wheel-smoke"], cwd=run_dir, env=env,
                          capture_output=True, text=True, timeout=120, check=True)
    return made.stdout.strip()


def gunicorn_cmd(bind: str) -> list[str]:
    """How an installed wheel is served; the Dockerfile's CMD is this with --bind 0.0.0.0:8000."""
    return ["gunicorn", "-c", "python:service.gunicorn_conf", "--bind", bind, "service.wsgi:app"]


def start_server(venv: Path, run_dir: Path, port: int, env: dict, logfile) -> subprocess.Popen:
    where = subprocess.run([str(venv / "bin" / "python"), "-c", "import service; print(service.__file__)"],
                           cwd=run_dir, env=env, capture_output=True, text=True, check=True, timeout=60).stdout.strip()
    if not where.startswith(str(venv)):
        raise RuntimeError(f"the server would import service from {where}, not from the installed wheel")
    log(f"serving {where.rsplit('/service/', 1)[0]} from {run_dir} on 127.0.0.1:{port}")
    cmd = gunicorn_cmd(f"127.0.0.1:{port}")
    cmd[0] = str(venv / "bin" / cmd[0])
    return subprocess.Popen(cmd, cwd=run_dir, env=env, stdin=subprocess.DEVNULL, stdout=logfile,
                            stderr=subprocess.STDOUT, start_new_session=True)


def tagged_pids(tag: str) -> list[int]:
    """Live processes whose environment carries this run's tag (gunicorn, pool server, unoserver, soffice)."""
    needle = f"{TAG}={tag}".encode()
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if needle in (entry / "environ").read_bytes().split(b"\0"):
                    pids.append(int(entry.name))
            except OSError:  # gone, or not ours to read
                pass
    return pids


def stop_server(proc: subprocess.Popen, tag: str) -> None:
    """SIGTERM to gunicorn (its on_exit stops the pool), then SIGKILL to whatever is left of the run."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait(timeout=10)
    end = time.monotonic() + 10
    while (left := tagged_pids(tag)) and time.monotonic() < end:  # the pool's own process groups
        for pid in left:
            try:
                os.killpg(os.getpgid(pid), signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                try:
                    os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
        time.sleep(0.3)
    left = tagged_pids(tag)
    log(f"stopped gunicorn (exit {proc.returncode})" + (f"; STILL RUNNING: {left}" if left else "; no process left"))


# --- fetching and opening ----------------------------------------------------------------------

def request(base: str, method: str, path: str, timeout: float, body: bytes | None = None, token: str | None = None):
    headers = {"Content-Type": "application/json"} if body else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(base + path, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def wait_ready(base: str, proc: subprocess.Popen | None, limit: float) -> tuple[bool, str]:
    end, last = time.monotonic() + limit, "no answer"
    while time.monotonic() < end:
        if proc is not None and proc.poll() is not None:
            return False, f"gunicorn exited with {proc.returncode}"
        try:
            status, _, data = request(base, "GET", "/readyz", timeout=5)
            last = f"{status} {data[:300].decode('utf-8', 'replace')}"
            if status == 200:
                return True, last
        except (OSError, urllib.error.URLError) as err:
            last = str(err)
        time.sleep(1)
    return False, last


def open_file(data: bytes, kind: str) -> str:
    """Open the bytes as their kind; a short description, or an exception."""
    if kind == "docx":
        import docx

        doc = docx.Document(io.BytesIO(data))
        assert doc.paragraphs or doc.tables, "no paragraphs or tables"
        return f"docx {len(doc.paragraphs)} paragraphs, {len(doc.tables)} tables"
    if kind == "xlsx":
        import openpyxl

        wb = openpyxl.load_workbook(io.BytesIO(data))
        assert wb.sheetnames, "no sheets"
        return f"xlsx sheets {'/'.join(wb.sheetnames)}"
    if kind == "pdf":
        import pypdf

        assert data.startswith(b"%PDF-"), "not a PDF"
        pages = len(pypdf.PdfReader(io.BytesIO(data)).pages)
        assert pages >= 1, "no pages"
        return f"pdf {pages} pages"
    if kind == "zip":
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            assert zf.testzip() is None, "a corrupt entry"
            inner = [open_file(zf.read(name), name.rsplit(".", 1)[-1]) for name in zf.namelist()]
        assert inner, "empty zip"
        return f"zip of {len(inner)} [" + "; ".join(i.split(" ")[0] if not i.startswith("zip") else i for i in inner) + "]"
    if kind == "html":
        text = data.decode("utf-8")
        assert "<html" in text.lower(), "not an HTML page"
        return "html"
    if kind in ("css", "js"):
        assert data.strip(), "empty"
        return kind
    if kind == "json":
        json.loads(data)
        return "json"
    raise AssertionError(f"no check for {kind}")


def disposition_ext(headers: dict) -> str | None:
    value = next((v for k, v in headers.items() if k.lower() == "content-disposition"), "")
    match = re.search(r'filename="?[^";]*\.([A-Za-z0-9]+)"?', value)
    return match.group(1).lower() if match else None


def targets() -> list[tuple[str, str, str, bool]]:
    """(method, path, kind of the answer, posts the branch JSON) for every URL the service must answer."""
    out = [("GET", "/", "html", False), ("GET", "/api/v1/workbook", "xlsx", False),
           ("GET", "/workbook", "xlsx", False), ("GET", "/api/v1/openapi.json", "json", False),
           ("GET", "/api/v1/docs", "html", False)]
    for doc in catalog.DOCUMENT_LIST:
        out += [("POST", f"/api/v1/documents/{doc.id}?format={fmt}", fmt, True) for fmt in doc.formats]
    for pkg in catalog.PACKAGE_LIST:
        for fmt in pkg.formats:
            if pkg.shape == "merged_pdf" or fmt == "pdf" and pkg.shape == "single":
                kind = "pdf"
            elif pkg.shape == "single":
                kind = catalog.DOCUMENTS[pkg.members[0]].kind
            else:
                kind = "zip"
            out.append(("POST", f"/api/v1/packages/{pkg.id}?format={fmt}", kind, True))
    return out + stored_targets() + district_targets()


def district_targets() -> list[tuple[str, str, str, bool]]:
    """The district's pages over the version stored above: their templates and files ship too."""
    return [("GET", "/district/", "html", False), ("GET", "/district/branches/WJ017", "html", False),
            ("GET", "/district/findings", "html", False)]


def stored_targets() -> list[tuple[str, str, str, bool]]:
    """The store: the sample kept as a version (migrations shipped and run on start), listed, found by
    its 校验码, and packages of it rendered from the database (the print packet twice: once kept)."""
    import schemas
    from service.domain.verification import verification_code

    code = verification_code(schemas.load_dataset(json.loads(BODY)))
    branch = "/api/v1/branches/WJ017"
    return [("PUT", f"{branch}/dataset", "json", True), ("GET", "/api/v1/branches", "json", False),
            ("GET", branch, "json", False), ("GET", f"/api/v1/verify/{code.lower()}", "json", False),
            ("GET", f"{branch}/packages/all", "zip", False), ("GET", f"{branch}/packages/print", "pdf", False),
            ("GET", f"{branch}/packages/print?format=pdf", "pdf", False), ("GET", f"{branch}/workbook", "xlsx", False)]


def fetch_all(base: str, timeout: float, token: str) -> int:
    """Fetch and open everything with the token (and refused without it); the number of failures."""
    failures, started = 0, time.monotonic()
    status, _, data = request(base, "POST", "/api/v1/validate", timeout, BODY)
    refused = status == 401 and json.loads(data)["code"] == "unauthorized"
    log(f"{status!s:>3} without a token: POST /api/v1/validate {'refused' if refused else 'FAILED: not refused'}")
    failures += not refused
    todo = targets()
    seen = {path for _, path, _, _ in todo}
    i = 0
    while i < len(todo):
        method, path, kind, post = todo[i]
        i += 1
        t0, status, data = time.monotonic(), "---", b""
        try:
            status, headers, data = request(base, method, path, timeout, BODY if post else None, token)
            if status != (201 if method == "PUT" else 200):
                raise AssertionError(data[:300].decode("utf-8", "replace").replace("\n", " "))
            note = open_file(data, kind)
            ext = disposition_ext(headers)
            if kind in ("docx", "xlsx", "pdf", "zip") and ext != kind:
                raise AssertionError(f"Content-Disposition names a .{ext} file, not .{kind}")
            ok = True
        except Exception as err:  # noqa: BLE001 - every failure is reported, then counted
            note, ok = f"FAILED: {type(err).__name__}: {err}", False
        failures += not ok
        log(f"{status!s:>3} {len(data):>9} B {time.monotonic() - t0:6.2f} s  {method:4} {path}  {note}")
        if kind == "html" and ok:  # the page's own stylesheets and scripts, as a browser fetches them
            for asset in re.findall(r'(?:href|src)="(/[^"?#]+\.(css|js))"', data.decode("utf-8")):
                if asset[0] not in seen:
                    seen.add(asset[0])
                    todo.insert(i, ("GET", asset[0], asset[1], False))
    log(f"{len(todo) - failures}/{len(todo)} URLs answered 200 with a file that opens, "
        f"in {time.monotonic() - started:.1f} s")
    return failures


# --- main --------------------------------------------------------------------------------------

def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="fetch from a server already running there (build, install and serve nothing)")
    parser.add_argument("--wheel", type=Path, help="install this wheel instead of building one")
    parser.add_argument("--python", default="/usr/bin/python3", help="the Python the fresh venv is made from")
    parser.add_argument("--port", type=int, default=0, help="web port (default: a free one)")
    parser.add_argument("--pool-port", type=int, default=3102, help="the PDF pool server's port")
    parser.add_argument("--pdf-base-port", type=int, default=3103, help="the LibreOffice instances' XML-RPC ports")
    parser.add_argument("--uno-base-port", type=int, default=3203, help="the LibreOffice instances' UNO ports")
    parser.add_argument("--pool-size", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--ready-timeout", type=float, default=180.0)
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds for any one request")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logs, venv)")
    parser.add_argument("--token", help="with --url: a district token of that server (paicha tokens create --district)")
    args = parser.parse_args(argv)
    started = time.monotonic()

    if args.url:
        if not args.token:
            parser.error("--url needs --token (a district token of that server)")
        ready, why = wait_ready(args.url.rstrip("/"), None, args.ready_timeout)
        log(f"readyz: {why}")
        return 1 if not ready or fetch_all(args.url.rstrip("/"), args.timeout, args.token) else 0

    work = Path(tempfile.mkdtemp(prefix="paicha-wheel-smoke-"))
    run_dir = work / "run"
    run_dir.mkdir()
    proc, tag, failures = None, uuid.uuid4().hex, 1
    logpath = work / "gunicorn.log"
    try:
        busy = [p for p in (args.pool_port, *range(args.pdf_base_port, args.pdf_base_port + args.pool_size),
                            *range(args.uno_base_port, args.uno_base_port + args.pool_size)) if not port_free(p)]
        if busy:
            log(f"ports in use: {busy} (choose others with --pool-port/--pdf-base-port/--uno-base-port)")
            return 1
        wheel = args.wheel or build_wheel(work)
        if check_wheel(wheel):
            return 1
        t0 = time.monotonic()
        venv = make_venv(args.python, work / "venv", wheel)
        log(f"installed without extras into a fresh venv from {args.python} in {time.monotonic() - t0:.1f} s")
        port = args.port or free_port()
        base = f"http://127.0.0.1:{port}"
        env = server_env(run_dir, venv, args, tag)
        token = first_accounts(venv, run_dir, env)
        with open(logpath, "wb") as logfile:
            proc = start_server(venv, run_dir, port, env, logfile)
            t0 = time.monotonic()
            ready, why = wait_ready(base, proc, args.ready_timeout)
            log(f"readyz after {time.monotonic() - t0:.1f} s: {why}")
            failures = fetch_all(base, args.timeout, token) if ready else 1
    finally:
        if proc is not None:
            stop_server(proc, tag)
        if failures and logpath.exists():
            log("--- gunicorn log (last 60 lines) ---")
            log("\n".join(logpath.read_text(errors="replace").splitlines()[-60:]))
        if args.keep or failures:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
        log(f"wheel smoke: {'FAILED' if failures else 'passed'} in {time.monotonic() - started:.1f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
