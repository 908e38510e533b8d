"""The district's pages (区委教育工委), Chinese and server-rendered like the clerk pages, under /district/.

The branch list with its filters, a branch's versions, diffs and 核查, the 核验纸质稿 box, batch
regeneration with its progress, and the district's totals. Thin handlers over the very functions
the API uses (service.store, service.domain, service.jobs, and for files the API's own views), so
a page and its API can never disagree; errors come back as Chinese pages through the one error
mapping (service/http/errors.py picks a page for every path outside /api/).

The blueprint is nested in the clerk pages' `web` (same templates, style and static files), so its
endpoints are `web.district.*`: every one of them is for district staff only. Forms are plain POST
forms that carry `csrf_field()` (templates/web/district/forms.html): it renders the CSRF token's
hidden field as soon as the app provides `csrf_token()`, and nothing until then.
"""
from __future__ import annotations

from . import batches, branch, campaign, charts, files, lists, present, register, reminders  # noqa: F401  (routes, filters)
from .blueprint import bp

__all__ = ["bp"]
