"""The fonts named in 公文 templates resolve to the installed faces (tools/install_fonts.sh)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from service.pdf.fonts import EXPECTED, fc_match, fonts_status

pytestmark = [
    pytest.mark.pdf,
    pytest.mark.skipif(shutil.which("fc-match") is None and not os.environ.get("CI"),
                       reason="fontconfig not installed"),
]


def test_installed_alias_file_is_the_one_in_the_repo():
    installed = Path("/etc/fonts/conf.d/09-paicha.conf")
    assert installed.exists(), "run tools/install_fonts.sh"
    repo = Path(__file__).parents[2] / "service" / "pdf" / "fonts.conf"
    assert installed.read_bytes() == repo.read_bytes(), "re-run tools/install_fonts.sh"


@pytest.mark.parametrize("requested", sorted(EXPECTED))
def test_official_document_font_resolves_to_the_expected_face(requested):
    family, style = EXPECTED[requested]
    got_family, got_style = fc_match(requested)
    assert got_family == family, f"{requested} → {got_family} {got_style}"
    if style:
        assert style in got_style


def test_xiaobiaosong_by_its_latin_name_is_bold_serif():
    assert fc_match("FZXiaoBiaoSong-B05S") == ("Noto Serif CJK SC", "Bold")


@pytest.mark.parametrize("char", ["喆", "堃", "昇", "玥", "𠮷"])
def test_rare_characters_have_a_font_after_fangsong(char):
    import subprocess

    out = subprocess.run(["fc-match", "-s", "-f", "%{family[0]}\n", f"仿宋_GB2312:charset={ord(char):x}"],
                         capture_output=True, text=True, check=True).stdout.split("\n")[:1]
    assert out[0] in ("FandolFang", "Noto Serif CJK SC"), out


def test_fonts_status_is_ok_for_readiness():
    status = fonts_status()
    assert status["ok"], {k: v for k, v in status["fonts"].items() if not v["ok"]}
