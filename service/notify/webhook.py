"""One POST of JSON to a group robot's webhook, and what its answer means.

Both robots (企业微信, 钉钉) answer HTTP 200 with {"errcode": …, "errmsg": …} even when they refuse
(45009: too many messages, 310000: bad signature, 93000: bad address …): only errcode 0 is
accepted. The webhook address holds the robot's key, so it appears in no detail and no log line.
"""
from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request

from .message import Delivery, clean

MAX_ANSWER = 64 * 1024  # a robot's answer is a few dozen bytes


def post(url: str, payload: dict, timeout: float) -> Delivery:
    """POST payload as JSON to url within timeout seconds (connecting, and each read)."""
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            answer = response.read(MAX_ANSWER)
    except urllib.error.HTTPError as err:
        return Delivery(False, f"HTTP {err.code}")
    except urllib.error.URLError as err:
        if isinstance(err.reason, (TimeoutError, socket.timeout)):
            return _timed_out(timeout)
        return Delivery(False, f"无法连接：{_reason(err.reason)}", reached=False)
    except (TimeoutError, socket.timeout):
        return _timed_out(timeout)
    except (OSError, ValueError) as err:  # reset mid-answer, a malformed response
        return Delivery(False, f"连接中断：{type(err).__name__}", reached=False)
    return _verdict(answer)


def _verdict(answer: bytes) -> Delivery:
    try:
        body = json.loads(answer)
        code = int(body["errcode"])
    except (ValueError, KeyError, TypeError):
        return Delivery(False, "答复不是机器人的 JSON（无 errcode）")
    message = clean(str(body.get("errmsg", "")), 80)
    if code == 0:
        return Delivery(True, "errcode 0")
    return Delivery(False, f"机器人拒收：errcode {code} {message}".strip())


def _timed_out(timeout: float) -> Delivery:
    return Delivery(False, f"超时（{timeout:g} 秒无答复）", reached=False)


def _reason(reason: object) -> str:
    """Why a connection failed, without the address: 「ConnectionRefusedError」, 「Name or service not known」."""
    if isinstance(reason, OSError) and reason.strerror:
        return clean(reason.strerror, 60)
    return type(reason).__name__
