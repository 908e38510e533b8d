"""The README stays short and is the map of docs/: every relative link of README.md and docs/*.md
leads to a file that exists (and to a heading of it that exists, when it names one), and every page
of docs/ is on the map."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"!?\[(?:[^\]\\]|\\.)*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
FENCE = re.compile(r"^\s*(```|~~~)")
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")
HTML_ANCHOR = re.compile(r"<a\s+(?:id|name)=\"([^\"]+)\"")


def prose_lines(text: str, code_spans: bool = False):
    """The lines outside fenced code blocks; inline code spans blanked unless asked for (a link there
    is not a link, but a heading's code is part of its anchor)."""
    fenced = False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            yield line if code_spans else CODE_SPAN.sub("", line)


def relative_links(page: Path) -> list[str]:
    """Every link target of a page that is not a URL with a scheme (http:, mailto:, …)."""
    targets = [t for line in prose_lines(page.read_text(encoding="utf-8")) for t in LINK.findall(line)]
    return [t for t in targets if not re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", t)]


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, letters, marks, digits, _ and - kept, spaces as -."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading).lower()
    kept = "".join(c for c in text if c in " -" or unicodedata.category(c)[0] in "LMN"
                   or unicodedata.category(c) == "Pc")
    return kept.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    """The anchors of a Markdown page: its headings' (a repeated heading's second ends in -1, …) and
    its HTML ones (<a id="…">, as the generated contract.md sets them)."""
    seen: dict[str, int] = {}
    out = set()
    for line in prose_lines(page.read_text(encoding="utf-8"), code_spans=True):
        out.update(HTML_ANCHOR.findall(line))
        found = HEADING.match(line)
        if found:
            base = slug(found.group(1))
            out.add(base if base not in seen else f"{base}-{seen[base]}")
            seen[base] = seen.get(base, 0) + 1
    return out


def all_links() -> list:
    params = []
    for page in PAGES:
        for target in relative_links(page):
            path, _, anchor = target.partition("#")
            resolved = (page.parent / path).resolve() if path else page
            params.append(pytest.param(page, resolved, anchor,
                                       id=f"{page.relative_to(ROOT).as_posix()}->{target}"))
    return params


@pytest.mark.parametrize(("page", "target", "anchor"), all_links())
def test_every_relative_link_leads_to_a_file_and_heading_that_exist(page, target, anchor):
    assert target.is_file(), f"{page.name} links to {target}, which does not exist"
    if anchor and target.suffix == ".md":
        assert anchor in anchors(target), f"{page.name} links to #{anchor}, not a heading of {target.name}"


def test_the_link_check_sees_links_and_catches_a_broken_one(tmp_path):
    """The check itself: links in prose count, links in code do not, a missing file or heading is seen."""
    (tmp_path / "there.md").write_text("# A page\n\n## The district's pages\n\n## Run it: `make run`\n"
                                       "<a id=\"orgschema\"></a>\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text("See [it](there.md#the-districts-pages), ![](gone.png) and [x](https://example.org).\n"
                    "`[not](a-link.md)`\n```\n[nor](this.md)\n```\n", encoding="utf-8")
    assert relative_links(page) == ["there.md#the-districts-pages", "gone.png"]
    assert anchors(tmp_path / "there.md") == {"a-page", "the-districts-pages", "run-it-make-run", "orgschema"}
    assert not (tmp_path / "gone.png").is_file()


def test_the_readme_is_short():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) < 200, f"README.md has {len(lines)} lines: move the detail into a page of docs/"


def test_every_page_of_docs_is_on_the_readmes_map():
    linked = {(ROOT / t.partition("#")[0]).resolve() for t in relative_links(ROOT / "README.md")}
    missing = [p.name for p in sorted((ROOT / "docs").glob("*.md")) if p.resolve() not in linked]
    assert missing == [], f"pages of docs/ the README does not link to: {missing}"
