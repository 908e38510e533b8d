"""The catalog is the one place that spells a format a caller asks for, and the one that says which
package is PDF only: the rest of the code reads it (checked on the source, as the import test does)."""
from __future__ import annotations

import ast
from pathlib import Path

from service.domain import catalog

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "service" / "domain" / "catalog.py"


def sources():
    for folder in ("service", "schemas"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path != CATALOG and "migrations" not in path.parts:  # a migration is history: it keeps its words
                yield path, ast.parse(path.read_text(encoding="utf-8"))


def test_the_run_formats_are_spelled_in_the_catalog_only():
    spelled = [f"{path.relative_to(ROOT)}:{node.lineno}" for path, tree in sources() for node in ast.walk(tree)
               if isinstance(node, ast.Constant) and node.value in (catalog.OFFICE, catalog.BOTH)]
    assert spelled == []


def test_no_handler_compares_with_a_package_id():
    """`package_id == "print"` is the catalog's Package.pdf_only."""
    ids = set(catalog.PACKAGE_IDS) - set(catalog.DOCUMENT_IDS)
    compared = [f"{path.relative_to(ROOT)}:{node.lineno}" for path, tree in sources() for node in ast.walk(tree)
                if isinstance(node, ast.Compare)
                and any(isinstance(side, ast.Constant) and side.value in ids
                        for side in [node.left, *node.comparators])]
    assert compared == []


def test_what_the_catalog_says_of_formats():
    assert [p.id for p in catalog.PACKAGE_LIST if p.pdf_only] == ["print"]
    assert catalog.FORMATS == ("docx", "xlsx", "pdf")
    assert catalog.RUN_FORMATS == {"office": ("office",), "pdf": ("pdf",), "both": ("office", "pdf")}
    assert set(catalog.FORMAT_LABELS) == {*catalog.FORMATS, *catalog.BATCH_FORMATS}
    assert catalog.DELIVERABLE_LABELS == {"work_plan": "工作方案", "tables": "附件3—9", "stage_summary": "阶段性小结",
                                          "final_report": "工作总结"}
