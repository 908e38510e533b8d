"""The deliverables as they are uploaded: single files, the tables zip, the `all` zip, the print packet."""
from __future__ import annotations

import io
import zipfile
from typing import Optional

from service.domain import catalog
from service.domain.catalog import Package
from service.domain.model import Dataset
from service.errors import UnknownDocument, UnsupportedFormat
from service.office.determinism import FIXED_TIME

from .packet import packet_pdf
from .render import Converter, Output, named, render_document, render_pdfs


def package(package_id: str) -> Package:
    try:
        return catalog.PACKAGES[package_id]
    except KeyError:
        raise UnknownDocument(
            f"没有编号为「{package_id}」的材料包，可用的有：{'、'.join(catalog.PACKAGE_IDS)}") from None


def zip_bytes(entries: list[tuple[str, bytes]]) -> bytes:
    """A zip that every tool lists with the exact Chinese names: UTF-8 flag, Unix attributes.

    Info-ZIP's unzip translates names of entries made on MS-DOS (create_system 0) from a DOS
    code page even when the UTF-8 flag is set; with create_system 3 it, 7-Zip, bsdtar and
    Windows Explorer all read the UTF-8 names. Fixed timestamps keep the bytes deterministic.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix
            info.external_attr = (0o100644 << 16)  # a regular file, rw-r--r--
            zf.writestr(info, data)
    return out.getvalue()


def check_format(pkg: Package, fmt: Optional[str]) -> str:
    """The format asked (its first when none): one the package comes in, else UnsupportedFormat."""
    fmt = fmt or pkg.formats[0]
    if fmt not in pkg.formats:
        raise UnsupportedFormat(f"材料包「{pkg.id}」不提供 {fmt} 格式（可选：{'、'.join(pkg.formats)}）")
    return fmt


def render_package(ds: Dataset, package_id: str, fmt: Optional[str] = None,
                   converter: Optional[Converter] = None) -> Output:
    """A deliverable of forms.md §1 in office formats (default) or PDF; `print` is PDF only."""
    pkg = package(package_id)
    pdf = check_format(pkg, fmt) == "pdf"
    if pkg.shape == "merged_pdf":
        return named(ds, pkg.id, "pdf", packet_pdf(ds, pkg.members, converter))
    docs = documents_of(pkg)
    rendered = dict(zip(docs, render_pdfs(ds, docs, converter) if pdf else [render_document(ds, d) for d in docs]))
    return _assemble(ds, pkg, rendered)


def documents_of(pkg: Package) -> tuple[str, ...]:
    """Every document a package holds, its sub-packages' included, in order."""
    out: list[str] = []
    for member in pkg.members:
        out.extend(documents_of(catalog.PACKAGES[member]) if member in catalog.PACKAGES and member not in catalog.DOCUMENTS
                   else [member])
    return tuple(out)


def _assemble(ds: Dataset, pkg: Package, rendered: dict[str, Output]) -> Output:
    if pkg.shape == "single":
        return rendered[pkg.members[0]]
    parts = []
    for member in pkg.members:
        sub = catalog.PACKAGES.get(member)
        parts.append(_assemble(ds, sub, rendered) if sub is not None and member not in catalog.DOCUMENTS
                     else rendered[member])
    return named(ds, pkg.id, "zip", zip_bytes([(o.filename, o.data) for o in parts]))
