"""The tests' Redis: PAICHA_TEST_REDIS (default database 14 on loopback), every test under keys of its own.

It must answer under CI (.ci/run starts one); elsewhere a test that needs it is skipped with the reason.
"""
from __future__ import annotations

import os

import pytest

REDIS = os.environ.get("PAICHA_TEST_REDIS", "redis://127.0.0.1:6379/14")


def answering_client(url: str = REDIS):
    """A client of the tests' Redis that has answered a ping (skipped outside CI when none answers)."""
    import redis

    client = redis.Redis.from_url(url, socket_timeout=5)
    try:
        client.ping()
    except redis.RedisError as err:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"Redis at {url} does not answer ({type(err).__name__}); .ci/run starts one")
    return client
