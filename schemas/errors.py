"""marshmallow's nested error dict → a flat list of {path, message}, in document (schema) order."""
from __future__ import annotations

import difflib

from marshmallow import Schema, fields

from .objects import UNKNOWN


def flatten(messages, schema: Schema) -> list[dict]:
    """[{"path": "members[3].id_number", "message": "…"}], ordered as the contract lists fields."""
    out: list[tuple[tuple, dict]] = []
    _walk(messages, (), schema, None, (), out)
    out.sort(key=lambda item: item[0])  # stable: messages on one path keep their order
    return [entry for _, entry in out]


def path_text(segments) -> str:
    text = ""
    for seg in segments:
        text += f"[{seg}]" if isinstance(seg, int) else (f".{seg}" if text else seg)
    return text


def _walk(node, segs: tuple, schema, parent, order: tuple, out: list) -> None:
    """schema: the schema at this path (None past a leaf); parent: the one holding the last key."""
    if isinstance(node, dict):
        for key, child in node.items():
            if key == "_schema":
                _walk(child, segs, schema, parent, order + ((-1, ""),), out)
            elif isinstance(key, int):
                _walk(child, segs + (key,), schema, parent, order + ((key, ""),), out)
            else:
                names = list(schema.fields) if schema is not None else []
                rank = names.index(key) if key in names else len(names)
                _walk(child, segs + (key,), _child_schema(schema, key), schema,
                      order + ((rank, str(key)),), out)
    elif isinstance(node, (list, tuple)):
        for item in node:
            _walk(item, segs, schema, parent, order, out)
    else:
        entry = {"path": path_text(segs), "message": _message(node, segs, parent)}
        out.append((order, entry))


def _child_schema(schema: Schema | None, key: str) -> Schema | None:
    field = schema.fields.get(key) if schema is not None else None
    if isinstance(field, fields.List):
        field = field.inner
    return field.schema if isinstance(field, fields.Nested) else None


def _message(message, segs: tuple, parent: Schema | None) -> str:
    text = str(message)
    if text != UNKNOWN:
        return text
    key = str(segs[-1]) if segs else ""
    names = list(parent.fields) if parent is not None else []
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    hint = f"，是否应为「{close[0]}」？" if close else ""
    return f"未知字段「{key}」（请检查拼写{hint}）"
