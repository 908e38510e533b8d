"""Who the campaign's documents cover (campaign.cutoff_date)."""
from __future__ import annotations

from .model import Dataset, Member


def in_scope(ds: Dataset) -> list[Member]:
    """Members who joined on or before cutoff_date, in input order: the rows of every table."""
    return [m for m in ds.members if m.join_date <= ds.campaign.cutoff_date]


def excluded(ds: Dataset) -> list[Member]:
    """Members who joined after cutoff_date: in no table, named only in a SCOPE warning."""
    return [m for m in ds.members if m.join_date > ds.campaign.cutoff_date]
