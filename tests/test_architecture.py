"""The code keeps the shape docs/architecture.md draws: no import cycle, every import within the
layer rules that page's table states (read here as data), every module in a layer, none too long.

The graph is built from the source with `ast` (tools/shape_figures.py, which prints the same
figures): every import counts, inside functions too; relative imports are resolved; `from package
import name` is an import of the submodule when there is one.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tools.shape_figures import ROOT, cycles, import_graph, libraries, line_counts, modules

ARCHITECTURE = ROOT / "docs" / "architecture.md"
HEADER = ["Layer", "Holds", "May import", "Never imports"]
MAX_LINES = 400


def layer_table(text: str) -> dict[str, dict]:
    """{layer: {"holds": [path…], "may": {layer…}, "never": {library…}}} from the page's table."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if _cells(line) == HEADER), None)
    assert start is not None, f"docs/architecture.md has no table with the header {' | '.join(HEADER)}"
    table = {}
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        name, holds, may, never = _cells(line)
        assert name not in table, f"layer {name} appears twice"
        table[name] = {"holds": _list(holds), "may": set(_list(may)), "never": set(_list(never))}
    return table


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")] if line.startswith("|") else []


def _list(cell: str) -> list[str]:
    return [item.strip().strip("`") for item in cell.split(",") if item.strip() not in ("", "—")]


def layer_of(path: str, table: dict[str, dict]) -> str | None:
    """The layer holding a file (a path relative to the checkout): the most precise row."""
    best, length = None, -1
    for name, layer in table.items():
        for held in layer["holds"]:
            hit = path.startswith(held) if held.endswith("/") else path == held
            if hit and len(held) > length:
                best, length = name, len(held)
    return best


@pytest.fixture(scope="module")
def table() -> dict[str, dict]:
    return layer_table(ARCHITECTURE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def layers(table) -> dict[str, str | None]:
    """Module → its layer."""
    return {module: layer_of(str(path.relative_to(ROOT)), table) for module, path in modules().items()}


def test_no_import_cycle():
    found = cycles(import_graph())
    assert not found, "import cycles:\n" + "\n".join("  " + " ↔ ".join(group) for group in found)


def test_the_table_is_rules_a_reader_can_trust(table):
    """Known layers only, each held path exists, and the rules themselves go one way."""
    for name, layer in table.items():
        assert layer["may"] <= set(table) - {name}, f"{name} may import an unknown layer or itself"
        for held in layer["holds"]:
            assert (ROOT / held).exists(), f"{name} holds {held}, which does not exist"
    graph = {name: layer["may"] for name, layer in table.items()}
    assert cycles(graph) == [], "the layer rules let layers import each other both ways"


def test_every_module_is_in_a_layer(layers):
    loose = sorted(module for module, layer in layers.items() if layer is None)
    assert not loose, f"modules no row of docs/architecture.md holds: {loose}"


def test_every_import_keeps_the_layer_rules(table, layers):
    broken = [f"{module} ({layers[module]}) imports {target} ({layers[target]})"
              for module, targets in import_graph().items() for target in sorted(targets)
              if None not in (layers[module], layers[target]) and layers[module] != layers[target]
              and layers[target] not in table[layers[module]]["may"]]
    assert not broken, "imports the layer rules of docs/architecture.md do not allow:\n" + "\n".join(broken)


def test_no_layer_imports_a_library_it_must_not(table, layers):
    broken = [f"{module} ({layers[module]}) imports {name}" for module, names in libraries().items()
              if layers[module] is not None for name in sorted(names & table[layers[module]]["never"])]
    assert not broken, "\n".join(broken)


def test_command_groups_share_only_base():
    """One module per `paicha` command group: each imports base, never another group or the
    package that assembles them (the cycle the command line had)."""
    graph = import_graph()
    groups = [m for m in graph if m.startswith("service.cli.") and m != "service.cli.base"]
    assert len(groups) >= 5
    crossed = {m: sorted(t for t in graph[m] if t.startswith("service.cli") and t != "service.cli.base")
               for m in groups}
    assert not any(crossed.values()), crossed


def test_no_module_is_over_400_lines():
    long = {module: n for module, n in line_counts().items()
            if n > MAX_LINES and module.split(".")[0] in ("service", "schemas")}
    assert not long, f"modules over {MAX_LINES} lines: {long}"


# ---- the graph itself: it sees what it must, so the checks above can fail --------------------

def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_the_graph_counts_imports_in_functions_relative_ones_and_submodules(tmp_path):
    root = write(tmp_path, {
        "service/__init__.py": "",
        "service/a.py": "def late():\n    from .b import thing\n",  # relative, inside a function
        "service/b.py": "from service import c\n",  # a submodule through its package
        "service/c.py": "from service import create_app\nfrom . import a\n",  # the package; closes a → b → c → a
        "service/sub/__init__.py": "",
        "service/sub/d.py": "from ..b import thing\nimport service.sub\n",
        "schemas/__init__.py": "import json\nfrom service.sub import d\n",
    })
    graph = import_graph(root)
    assert graph["service.a"] == {"service.b"}
    assert graph["service.b"] == {"service.c"}
    assert graph["service.c"] == {"service", "service.a"}
    assert graph["service.sub.d"] == {"service.b", "service.sub"}
    assert graph["schemas"] == {"service.sub.d"}
    assert cycles(graph) == [["service.a", "service.b", "service.c"]]
    assert libraries(root)["schemas"] == {"json"}


def test_the_layer_table_is_read_as_the_page_writes_it():
    page = "\n".join([
        "| Layer | Holds | May import | Never imports |",
        "| --- | --- | --- | --- |",
        "| low | `service/config.py`, `service/domain/` | — | flask |",
        "| high | `service/` | low | |",
        "",
        "| Layer | something else |",
    ])
    table = layer_table(page)
    assert table == {"low": {"holds": ["service/config.py", "service/domain/"], "may": set(), "never": {"flask"}},
                     "high": {"holds": ["service/"], "may": {"low"}, "never": set()}}
    assert layer_of("service/domain/model.py", table) == "low"
    assert layer_of("service/config.py", table) == "low"
    assert layer_of("service/cli/base.py", table) == "high"
    assert layer_of("schemas/fields.py", table) is None
    assert re.search("most precise row", ARCHITECTURE.read_text(encoding="utf-8"))
