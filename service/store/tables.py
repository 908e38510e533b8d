"""Every table of the store on the one metadata: what the migrations and the tests compare against.

Each table module adds its tables to Base.metadata when imported; importing this module imports
them all, so no user of the metadata can see only some of them.
"""
from __future__ import annotations

from . import access_tables, batches, member_tables, models, roster_tables  # noqa: F401  (each adds its tables to Base.metadata)
from .base import Base

metadata = Base.metadata
