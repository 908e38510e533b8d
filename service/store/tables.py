"""Every table of the store on the one metadata: what the migrations and the tests compare against.

Each table module adds its tables to Base.metadata when imported; importing this module imports
them all, so no user of the metadata can see only some of them.
"""
from __future__ import annotations

# each adds its tables to Base.metadata
from . import access_tables, batches, delivery_tables, district_tables, member_tables, models  # noqa: F401
from . import register_tables, reminder_tables, roster_tables  # noqa: F401
from .base import Base

metadata = Base.metadata
