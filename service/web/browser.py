"""Which browser a clerk opened the page in, where that changes what the page must say.

The built-in browsers of WeChat and of the QQ app show pages but do not save downloaded files:
a clerk who opens a link sent in a chat group gets buttons that do nothing. The pages then say,
next to the download buttons, to open the page in a real browser. Decided from the User-Agent
on the server, so the hint needs no script and shows even where scripts are off.
"""
from __future__ import annotations

import re

from flask import request

from .blueprint import bp

# (pattern, the app's name as the clerk knows it). QQ's own browser app (QQBrowser/, MQQBrowser/)
# saves files normally; only the QQ chat app's built-in page view ("… QQ/8.9.80.… ") does not.
IN_APP = (
    (re.compile(r"MicroMessenger/", re.I), "微信"),
    (re.compile(r"(?:^|[\s;(])QQ/\d"), "QQ"),
)


def in_app_browser(user_agent: str | None) -> str | None:
    """The chat app whose built-in browser this is (it cannot save downloads), or None."""
    for pattern, app in IN_APP:
        if user_agent and pattern.search(user_agent):
            return app
    return None


@bp.context_processor
def _in_app():
    return {"in_app": in_app_browser(request.headers.get("User-Agent"))}


@bp.after_request
def _vary(response):
    """A page that may carry the hint differs by User-Agent: say so to any cache on the way."""
    if response.mimetype == "text/html":
        response.vary.add("User-Agent")
    return response
