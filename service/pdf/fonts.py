"""Whether the fonts named in the templates resolve to the faces tools/install_fonts.sh installs.

Without fonts.conf (beside this file) every Chinese font collapses to one sans face, and a PDF of a 公文 looks
wrong while nothing fails; readiness reports this instead.
"""
from __future__ import annotations

import shutil
import subprocess

# requested family -> (expected family, expected style word or None)
EXPECTED: dict[str, tuple[str, str | None]] = {
    "仿宋_GB2312": ("FandolFang", None),
    "仿宋": ("FandolFang", None),
    "FangSong": ("FandolFang", None),
    "宋体": ("Noto Serif CJK SC", None),
    "SimSun": ("Noto Serif CJK SC", None),
    "黑体": ("Noto Sans CJK SC", None),
    "SimHei": ("Noto Sans CJK SC", None),
    "楷体_GB2312": ("AR PL UKai CN", None),
    "楷体": ("AR PL UKai CN", None),
    "KaiTi": ("AR PL UKai CN", None),
    "方正小标宋简体": ("Noto Serif CJK SC", "Bold"),
    "Times New Roman": ("Liberation Serif", None),
}


def fc_match(family: str) -> tuple[str, str]:
    """fontconfig's choice for a family: (first family name, first style name)."""
    out = subprocess.run(
        ["fc-match", "-f", "%{family[0]}\t%{style[0]}", family.replace("-", r"\-")],
        capture_output=True, text=True, timeout=10, check=False,
    ).stdout
    fam, _, style = out.partition("\t")
    return fam.strip(), style.strip()


def fonts_status() -> dict:
    """{"ok": bool, "fonts": {requested: {"resolved", "style", "expected", "ok"}}, "hint"}."""
    if not shutil.which("fc-match"):
        return {"ok": False, "fonts": {}, "hint": "未安装 fontconfig：请运行 tools/install_fonts.sh"}
    fonts = {}
    for requested, (family, style) in EXPECTED.items():
        got_family, got_style = fc_match(requested)
        ok = got_family == family and (style is None or style in got_style)
        fonts[requested] = {"resolved": got_family, "style": got_style,
                            "expected": family + (f" {style}" if style else ""), "ok": ok}
    ok = all(f["ok"] for f in fonts.values())
    hint = "" if ok else "字体映射不完整，PDF 字体会不正确：请以 root 运行 tools/install_fonts.sh"
    return {"ok": ok, "fonts": fonts, "hint": hint}
