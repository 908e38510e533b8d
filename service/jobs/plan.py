"""What a batch makes for each branch: every asked package in every asked format it comes in."""
from __future__ import annotations

from service.domain import catalog


def targets(packages: list[str], fmt: str) -> list[tuple[str, str]]:
    """(package, format) pairs: the formats asked that a package has, else the ones it has (print is PDF only)."""
    out = []
    for package_id in packages:
        offered = catalog.PACKAGES[package_id].formats
        formats = [f for f in catalog.RUN_FORMATS[fmt] if f in offered] or list(offered)
        out += [(package_id, f) for f in formats]
    return out


def needs_pdf(packages: list[str], fmt: str) -> bool:
    return any(f == catalog.PDF for _, f in targets(packages, fmt))
