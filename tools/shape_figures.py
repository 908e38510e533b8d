"""The shape of the code in figures: import cycles, the longest module and function, duplicated lines.

    python tools/shape_figures.py [ROOT]

ROOT is a checkout (default: this one), so two trees can be compared. The import graph is also
what tests/test_architecture.py checks: every import counts, inside functions too; relative
imports are resolved; `from package import name` is an import of the submodule when there is one.
"""
from __future__ import annotations

import ast
import io
import keyword
import sys
import tokenize
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("service", "schemas")
TOP_MODULES = ("wsgi.py",)
WINDOW = 6  # a duplicate is six or more significant lines
MIN_TOKENS = 60  # … and of the same shape, with substance: not six `name = value` lines
EVERYWHERE = (*PACKAGES, "tests", "bench", "tools")


def modules(root: Path = ROOT) -> dict[str, Path]:
    """Dotted name → file of every module of the packages (and wsgi.py)."""
    found = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            if "__pycache__" in path.parts:
                continue
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    for name in TOP_MODULES:
        if (root / name).exists():
            found[name.removesuffix(".py")] = root / name
    return found


def _is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def _imported(module: str, path: Path, node: ast.AST, known: dict[str, Path]) -> list[str]:
    """The modules of ours that one import statement loads."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        if node.level:
            base = module.split(".") if _is_package(path) else module.split(".")[:-1]
            base = base[:len(base) - (node.level - 1)]
            stem = ".".join(base + ([node.module] if node.module else []))
        else:
            stem = node.module or ""
        names = [f"{stem}.{alias.name}".lstrip(".") if f"{stem}.{alias.name}".lstrip(".") in known else stem
                 for alias in node.names]
    out = []
    for name in names:
        while name and name not in known:  # `import a.b.c` of a namespace part: its nearest module
            name = name.rpartition(".")[0]
        if name:
            out.append(name)
    return out


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    """Module → the modules of ours it imports, anywhere in its body."""
    known = modules(root)
    graph = {}
    for module, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        edges = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                edges.update(_imported(module, path, node, known))
        edges.discard(module)
        graph[module] = edges
    return graph


def libraries(root: Path = ROOT) -> dict[str, set[str]]:
    """Module → the top-level names of what it imports that is not ours (stdlib and libraries)."""
    known = modules(root)
    ours = {name.split(".")[0] for name in known}
    found = {}
    for module, path in known.items():
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names.add(node.module.split(".")[0])
        found[module] = names - ours - {"__future__"}
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted, largest first."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(start: str) -> None:
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return sorted(groups, key=lambda g: (-len(g), g))


def line_counts(root: Path = ROOT) -> dict[str, int]:
    """Lines of every module (as wc -l counts them)."""
    return {module: len(path.read_text(encoding="utf-8").splitlines()) for module, path in modules(root).items()}


def functions(root: Path = ROOT) -> list[tuple[int, str]]:
    """(end_lineno - lineno, module:function) of every function and method."""
    found = []
    for module, path in modules(root).items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                found.append((node.end_lineno - node.lineno, f"{module}:{node.name}@{node.lineno}"))
    return sorted(found, reverse=True)


def _significant_lines(path: Path, shape: bool) -> list[tuple[int, str]]:
    """(line number, tokens) of each line with code; with shape, names and literals are blanked."""
    lines: dict[int, list[str]] = defaultdict(list)
    skip = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
            tokenize.ENCODING, tokenize.ENDMARKER}
    imports = set()
    for tok in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline):
        if tok.type in skip:
            continue
        text = tok.string
        if tok.type == tokenize.NAME and text in ("import", "from") and not lines[tok.start[0]]:
            imports.add(tok.start[0])
        if shape:
            if tok.type == tokenize.NAME and not keyword.iskeyword(text):
                text = "N"
            elif tok.type in (tokenize.STRING, tokenize.NUMBER) or tok.type >= tokenize.N_TOKENS or \
                    text in ("f", "rf", "fr"):
                text = "L"
        lines[tok.start[0]].append(text)
    return [(n, " ".join(t)) for n, t in sorted(lines.items()) if n not in imports and t]


def duplicates(root: Path = ROOT, shape: bool = False, packages=PACKAGES) -> list[tuple[str, int, str, int]]:
    """Pairs of runs of WINDOW or more significant lines that are the same (with shape: up to names)."""
    windows: dict[tuple[str, ...], list[tuple[str, int]]] = defaultdict(list)
    files = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            if "__pycache__" in path.parts:
                continue
            name = str(path.relative_to(root))
            rows = _significant_lines(path, shape)
            files[name] = rows
            for i in range(len(rows) - WINDOW + 1):
                window = tuple(text for _, text in rows[i:i + WINDOW])
                if len(set(window)) > WINDOW // 2 and (not shape or sum(len(t.split()) for t in window) >= MIN_TOKENS):
                    windows[window].append((name, i))
    pairs = set()
    for places in windows.values():
        for a in range(len(places)):
            for b in range(a + 1, len(places)):
                (fa, ia), (fb, ib) = places[a], places[b]
                if fa != fb or abs(ia - ib) >= WINDOW:
                    pairs.add((fa, ia, fb, ib))
    starts = [p for p in pairs if (p[0], p[1] - 1, p[2], p[3] - 1) not in pairs]
    return sorted((fa, files[fa][ia][0], fb, files[fb][ib][0]) for fa, ia, fb, ib in starts)


def main(argv: list[str]) -> None:
    root = Path(argv[0]).resolve() if argv else ROOT
    found = cycles(import_graph(root))
    print(f"import cycles: {len(found)}")
    for group in found:
        print("  " + " ↔ ".join(group))
    counts = line_counts(root)
    longest = sorted(counts.items(), key=lambda kv: -kv[1])
    print(f"longest module: {longest[0][0]} ({longest[0][1]} lines); over 400: "
          + (", ".join(f"{m} ({n})" for m, n in longest if n > 400) or "none"))
    print("longest functions (end_lineno - lineno): "
          + ", ".join(f"{where} ({span})" for span, where in functions(root)[:3]))
    for packages in (PACKAGES, EVERYWHERE):
        for shape in (False, True):
            pairs = duplicates(root, shape, packages)
            print(f"pairs of duplicated runs of {WINDOW}+ lines in {'/ + '.join(packages)}/, "
                  f"{'same shape (names and literals blanked)' if shape else 'identical'}: {len(pairs)}")
            for fa, la, fb, lb in pairs if "-v" in sys.argv else ():
                print(f"  {fa}:{la}  {fb}:{lb}")


if __name__ == "__main__":
    main([a for a in sys.argv[1:] if a != "-v"])
