"""The HTTP API: flask-smorest with the OpenAPI document at /api/v1/openapi.json."""
from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from schemas import DatasetSchema

from . import errors


def init_api(app: Flask) -> Api:
    api = Api(app, spec_kwargs={"info": {"description": "党员组织关系排查文书服务：一个支部的数据包进，全部文书出。"}})
    api.spec.components.schema("Dataset", schema=DatasetSchema)
    api.spec.components.schema("PaichaError", {
        "type": "object",
        "properties": {
            "code": {"type": "string"}, "status": {"type": "integer"}, "message": {"type": "string"},
            "errors": {"type": "array", "items": {"type": "object", "properties": {
                "path": {"type": "string"}, "message": {"type": "string"}}}},
        },
    })
    from .documents import blp as documents

    api.register_blueprint(documents)
    try:
        from .workbook import blp as workbook
    except ImportError:  # the clerk workbook API lands with the intake module
        workbook = None
    if workbook is not None:
        api.register_blueprint(workbook)
    from .health import bp as health

    app.register_blueprint(health)
    errors.register(app)
    return api
