"""Reading the posted dataset: JSON or a clear 400; the size limit is Flask's MAX_CONTENT_LENGTH."""
from __future__ import annotations

import json
from typing import Any

from flask import request

from service.errors import NotJson


def json_body() -> Any:
    raw = request.get_data(cache=True)  # raises 413 beyond MAX_CONTENT_LENGTH
    if not raw.strip():
        raise NotJson("请求体为空：请以 JSON 提交排查数据包（Content-Type: application/json）")
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise NotJson("请求体不是 UTF-8 编码的 JSON") from None
    except json.JSONDecodeError as err:
        raise NotJson(f"请求体不是有效的 JSON：第{err.lineno}行第{err.colno}列附近有语法错误") from None
