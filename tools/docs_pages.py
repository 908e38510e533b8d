"""Regenerate docs/<doc_id>.png: page 1 of every document for the sample branch, as the service's
own LibreOffice pool prints it (fonts mapped, autospace off). Needs soffice and pdftoppm.

    .venv/bin/python tools/docs_pages.py
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import schemas  # noqa: E402
from service.documents import render
from service.domain import catalog  # noqa: E402
from service.pdf.pool import ConversionPool, PoolConfig  # noqa: E402


def main() -> None:
    ds = schemas.load_dataset(json.loads((ROOT / "tests/fixtures/demo-branch.json").read_text(encoding="utf-8")))
    pool = ConversionPool(PoolConfig.from_settings(size=2, base_port=2383, base_uno_port=2483)).start(wait=120)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for doc_id in catalog.DOCUMENT_IDS:
                pdf = Path(tmp) / f"{doc_id}.pdf"
                pdf.write_bytes(render.render_document(ds, doc_id, "pdf", pool).data)
                subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile",
                                str(pdf), str(ROOT / "docs" / doc_id)], check=True, timeout=60)
                print(f"docs/{doc_id}.png")
    finally:
        pool.stop()


if __name__ == "__main__":
    main()
