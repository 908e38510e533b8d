"""Who the campaign's documents cover (campaign.cutoff_date), and the rows of each register."""
from __future__ import annotations

from .model import Dataset, Member


def in_scope(ds: Dataset) -> list[Member]:
    """Members who joined on or before cutoff_date, in input order: the rows of every table."""
    return [m for m in ds.members if m.join_date <= ds.campaign.cutoff_date]


def excluded(ds: Dataset) -> list[Member]:
    """Members who joined after cutoff_date: in no table, named only in a SCOPE warning."""
    return [m for m in ds.members if m.join_date > ds.campaign.cutoff_date]


def indexed_in_scope(ds: Dataset) -> list[tuple[int, Member]]:
    """In-scope members with their index in ds.members, for JSON paths (`members[3]`)."""
    return [(i, m) for i, m in enumerate(ds.members) if m.join_date <= ds.campaign.cutoff_date]


def outgoing(ds: Dataset) -> list[Member]:
    """Rows of 附件5 外出流动党员名册."""
    return [m for m in in_scope(ds) if m.outgoing is not None]


def recontacted(ds: Dataset) -> list[Member]:
    """Rows of 附件7 经排查取得联系党员登记表."""
    return [m for m in in_scope(ds) if m.lost_contact is not None and m.lost_contact.outcome == "取得联系"]


def unreachable(ds: Dataset) -> list[Member]:
    """Rows of 附件8 经排查无法取得联系党员登记表."""
    return [m for m in in_scope(ds) if m.lost_contact is not None and m.lost_contact.outcome != "取得联系"]
