"""The district's 核查 of a version, as words: the two decisions, their names, and how long a reason
and a reviewer may be. The review body's schema, the store and the pages all read them here."""
from __future__ import annotations

VERIFIED, RETURNED = "verified", "returned"
DECISIONS = (VERIFIED, RETURNED)
LABELS = {VERIFIED: "已核查", RETURNED: "退回修改"}
STATE_LABELS = {"none": "无有效数据", "pending": "待核查", **LABELS}  # a branch's review state
REASON_MAX = 500
REVIEWER_MAX = 100
