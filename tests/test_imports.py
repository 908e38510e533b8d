"""Every module of service, schemas and the template packages imports alone, in a fresh process.

An import cycle shows only when a module of the cycle is the first one imported: the test suite
imports them in one order and never sees it. So each module is imported first, by itself, in a
process of its own: one interpreter loads the third-party libraries (Flask, openpyxl, … — none of
them imports ours) and then forks a child per module, several side by side, so the whole check
takes a few seconds instead of a fresh interpreter's second per module. No module of these
packages is loaded in the parent (it checks), so every child starts them from nothing.

Nothing is left out. service/pdf/hidden_server.py needs `uno` (python3-uno): it is imported with
the interpreter the pool starts it with (the venv, made with --system-site-packages), and once
more the way the pool really runs it — by file path, without the `service` package.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("service", "schemas", "templates_docx", "templates_xlsx")
NEEDS_UNO = {"service.pdf.hidden_server"}


def modules() -> list[str]:
    """Dotted names of every .py file under the packages (namespace sub-packages included)."""
    names = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "__pycache__" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            names.append(".".join(parts))
    return names


MODULES = modules()


def _uno_importable() -> bool:
    return subprocess.run([sys.executable, "-c", "import uno"], capture_output=True, timeout=60).returncode == 0


# Loaded once in the parent. Not uno: it replaces builtins.__import__ for the whole process.
PRELOAD = ("flask", "flask_smorest", "marshmallow", "apispec", "werkzeug", "jinja2", "click", "docxtpl",
           "docx", "openpyxl", "lxml.etree", "pypdf", "prometheus_client", "yaml")

FORK_SERVER = r"""
import importlib, json, os, sys, traceback
modules, packages, width, out = json.loads(sys.argv[1])
for lib in %r:
    try:
        importlib.import_module(lib)
    except ImportError:
        pass
ours = sorted(m for m in sys.modules if m.split(".")[0] in packages)
assert not ours, f"the parent must not load our modules, but has {ours}"
running, results = {}, {}

def reap():
    pid, status = os.wait()
    module = running.pop(pid)
    with open(os.path.join(out, module), encoding="utf-8", errors="replace") as f:
        results[module] = [os.waitstatus_to_exitcode(status), f.read()]

for module in modules:
    while len(running) >= width:
        reap()
    pid = os.fork()
    if pid == 0:
        fd = os.open(os.path.join(out, module), os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        try:
            importlib.import_module(module)
            code = 0
        except BaseException:
            traceback.print_exc()
            code = 1
        sys.stderr.flush()
        os._exit(code)
    running[pid] = module
while running:
    reap()
print(json.dumps(results))
""" % (PRELOAD,)


@pytest.fixture(scope="module")
def results():
    """{module: (exit code, stderr)} of importing each module first, alone, in its own process."""
    with tempfile.TemporaryDirectory() as scratch:
        # service/wsgi.py builds the app on import: its files go to a scratch directory, not ./instance
        env = {**os.environ, "PAICHA_INSTANCE_DIR": scratch, "PYTHONDONTWRITEBYTECODE": "1"}
        env.pop("PYTHONPATH", None)
        out = Path(scratch) / "stderr"
        out.mkdir()
        width = max(2, 2 * (os.cpu_count() or 1))
        proc = subprocess.run([sys.executable, "-c", FORK_SERVER, json.dumps([MODULES, PACKAGES, width, str(out)])],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return {module: tuple(result) for module, result in json.loads(proc.stdout.splitlines()[-1]).items()}


def test_every_package_is_found():
    assert {"service", "service.cli", "service.pdf.pool", "service.office.word", "schemas.reference",
            "templates_docx", "templates_xlsx"} <= set(MODULES)
    assert len(MODULES) >= 60


@pytest.mark.parametrize("module", MODULES)
def test_module_imports_alone(results, module):
    if module in NEEDS_UNO and not _uno_importable() and not os.environ.get("CI"):
        pytest.skip("python3-uno not installed (the PDF pool cannot run here either)")
    code, stderr = results[module]
    assert code == 0, f"`import {module}` as the first import of a process failed:\n{stderr}"


def test_hidden_server_runs_without_the_service_package():
    """The pool starts it by file path: it must not need (or drag in) Flask and the service."""
    if not _uno_importable() and not os.environ.get("CI"):
        pytest.skip("python3-uno not installed (the PDF pool cannot run here either)")
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "hidden_server.py"
        shutil.copy(ROOT / "service" / "pdf" / "hidden_server.py", copy)  # no package around it
        check = ("import sys; sys.path.insert(0, sys.argv[1]); import hidden_server; "
                 "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('service', 'schemas', 'flask')); "
                 "assert not bad, bad")
        proc = subprocess.run([sys.executable, "-c", check, scratch], cwd=scratch, capture_output=True,
                              text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
