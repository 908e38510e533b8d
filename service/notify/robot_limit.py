"""At most 20 messages a minute to each group robot, as both 企业微信 and 钉钉 allow (beyond that
they refuse, and 钉钉 stops the robot for ten minutes).

Counted in a moving window per robot address: in Redis when REDIS_URL is set, so every worker and
machine counts together (the `limits` library's moving window, one Lua script per hit), in this
process's memory otherwise, and in memory again while Redis does not answer. A message beyond the
limit waits for room, up to NOTIFY_ROBOT_WAIT seconds: a run of a day's reminders to a group is a
handful of messages, so waiting costs little and sends them all today; one that still finds no
room (a burst of 退回 and hand reminders) is reported 'rate limited' and the next run sends it.
The address is counted by its hash: the robot's key never reaches Redis.
"""
from __future__ import annotations

import hashlib
import logging
import time
from typing import Callable, Optional

from limits import RateLimitItem, RateLimitItemPerMinute
from limits.errors import StorageError
from limits.storage import MemoryStorage, RedisStorage
from limits.strategies import MovingWindowRateLimiter

LOG = logging.getLogger(__name__)
PER_ROBOT = RateLimitItemPerMinute(20)
KEY_PREFIX = "paicha-robots"


class RobotLimiter:
    """Room for one more message to a robot, waiting up to max_wait seconds for it."""

    def __init__(self, redis_url: str = "", *, max_wait: float = 60.0, redis_timeout: float = 5.0,
                 limit: RateLimitItem = PER_ROBOT, key_prefix: str = KEY_PREFIX,
                 sleep: Callable[[float], None] = time.sleep):
        self.max_wait, self.limit, self._sleep = max_wait, limit, sleep
        self._memory = MovingWindowRateLimiter(MemoryStorage())
        self._shared: Optional[MovingWindowRateLimiter] = None
        if redis_url:
            storage = RedisStorage(redis_url, key_prefix=key_prefix, wrap_exceptions=True,
                                   socket_timeout=redis_timeout, socket_connect_timeout=redis_timeout)
            self._shared = MovingWindowRateLimiter(storage)

    def acquire(self, url: str) -> bool:
        """True once the robot at url has room for a message (counted as sent); False after max_wait."""
        key = hashlib.sha256(url.encode()).hexdigest()[:24]
        give_up = time.monotonic() + self.max_wait
        while True:
            limiter = self._limiter()
            try:
                if limiter.hit(self.limit, key):
                    return True
                room_at = limiter.get_window_stats(self.limit, key).reset_time
            except StorageError:
                self._lost_redis()
                continue
            pause = max(0.05, room_at - time.time())
            if time.monotonic() + pause > give_up:
                return False
            self._sleep(pause)

    def _limiter(self) -> MovingWindowRateLimiter:
        return self._shared or self._memory

    def _lost_redis(self) -> None:
        """Redis does not answer: count in memory for the rest of this limiter's life."""
        LOG.warning("robot rate limit: Redis unreachable, counting in this process's memory")
        self._shared = None
