"""Documents of stored versions: made once per dataset content and templates, kept, then reused.

A download of a stored version asks the artifacts first (key: the version's content hash, the
templates' hash, the document or package and its format); only when none is kept is the file
rendered — outside any database transaction, as long as it takes — and then kept. A second
download, by this process or any worker sharing the database, converts nothing. The API, the
clerk's pages and batch regeneration all come through here.
"""
from __future__ import annotations

import functools
import logging
from datetime import datetime
from typing import Callable, Optional

from sqlalchemy.exc import IntegrityError

import schemas
from service.domain.model import Dataset
from service.errors import StorageFull, StoreUnavailable
from service.store.artifacts import Artifacts, File, Key
from service.store.db import Database

from . import packages, render
from .fingerprint import templates_hash
from .render import Converter, Output

log = logging.getLogger(__name__)


def loader(canonical: Callable[[], dict]) -> Callable[[], Dataset]:
    """A stored version's Dataset, read and loaded when first asked for and then kept: a batch item
    makes eight files of one version, and loading the JSON through the schema each time cost more
    than filling a template."""
    return functools.cache(lambda: schemas.load_dataset(canonical()))


def package_output(db: Database, artifacts: Artifacts, content_hash: str, dataset: Callable[[], Dataset],
                   package_id: str, fmt: Optional[str], converter: Optional[Converter], now: datetime,
                   must_keep: bool = False) -> Output:
    """A package of a stored version; `dataset` gives it (see loader()) when it must be rendered;
    `must_keep` (a batch, whose result is the kept file): failing to keep it is an error."""
    fmt = packages.check_format(packages.package(package_id), fmt)
    key = Key(content_hash, templates_hash(), "package", package_id, fmt)
    return kept_or_made(db, artifacts, key, now, lambda: packages.render_package(
        dataset(), package_id, fmt, converter), must_keep)


def document_output(db: Database, artifacts: Artifacts, content_hash: str, dataset: Callable[[], Dataset],
                    doc_id: str, fmt: Optional[str], converter: Optional[Converter], now: datetime) -> Output:
    """One document of a stored version, in its office format or as PDF."""
    fmt = render.check_format(render.document(doc_id), fmt)
    key = Key(content_hash, templates_hash(), "document", doc_id, fmt)
    return kept_or_made(db, artifacts, key, now, lambda: render.render_document(
        dataset(), doc_id, fmt, converter))


def kept_or_made(db: Database, artifacts: Artifacts, key: Key, now: datetime, make: Callable[[], Output],
                 must_keep: bool = False) -> Output:
    """The kept file for the key, or a new one, kept for next time (a failure to keep it is logged,
    and the file still sent — unless `must_keep`: then it is raised, a full disk as StorageFull)."""
    with db.reading() as session:
        kept = artifacts.find(session, key)
    if kept is not None:
        return Output(kept.data, kept.filename, kept.ascii_filename, kept.mimetype)
    output = make()
    try:
        with db.writing() as session:
            artifacts.save(session, key, File(output.data, output.filename, output.ascii_filename, output.mimetype), now)
    except IntegrityError:
        pass  # another worker kept the same file meanwhile
    except (StoreUnavailable, StorageFull, OSError) as err:
        if must_keep:
            raise
        log.warning("could not keep %s %s (%s): %s", key.target, key.format, type(err).__name__, err)
    return output
