"""The contract's field reference (docs/contract.md), generated from the schemas so it cannot drift.

    .venv/bin/python -m schemas.reference > docs/contract.md

Walks DatasetSchema and every schema nested in it, in the order a dataset reads, and prints each
object with each field: type, required, default, allowed values, patterns and limits, and its
meaning — the `description` of the field's metadata (what the OpenAPI document shows too), else
the description of the object it holds. Defaults are the schema's load_default, else the model's
(service.domain.model). The enumerations of vocab.py close the page. tests/schemas/test_contract_reference.py
fails when the committed file is not what this prints.
"""
from __future__ import annotations

import dataclasses
import sys
from datetime import date

from marshmallow import Schema, fields as mfields, missing, validate

from service.domain import model

from . import fields, rules, vocab
from .dataset import DatasetSchema

COMMAND = ".venv/bin/python -m schemas.reference > docs/contract.md"
INLINE_VALUES = 12  # longer enumerations are listed once, at the end

HEADER = f"""# 排查数据包字段参考（契约版本 1）

<!-- 由 schemas/ 生成，请勿手工修改。重新生成：{COMMAND} -->

本页由 `schemas/`（marshmallow 模式）生成，与服务实际的校验一致；规范性的说明见 contract.md。
OpenAPI 文档（`/api/v1/openapi.json`）中的字段说明出自同一处。

通用约定

- JSON，UTF-8。键为英文 snake_case；表格、文书中印出的取值为中文，须与下列取值完全一致。
- 日期为 `YYYY-MM-DD`；「日期或月份」也接受只到月份的 `YYYY-MM`。
- 文本去除首尾空白；空白文本和 `null` 在选填项中视为未填。不得含 XML 1.0 禁用的控制字符
  （U+0000–U+0008、U+000B、U+000C、U+000E–U+001F、U+FFFE、U+FFFF）；「单行文本」还不得含换行、制表符。
- 未列出的键是错误（拼错的键不会被悄悄忽略）。每条错误都给出 JSON 路径（如 `members[3].id_number`）和中文说明。
- 「必填」为「否」的字段，若说明写有「当且仅当」「…时必填」，则按所写条件必填。
"""


# ---- walking the schemas ------------------------------------------------------------------------

@dataclasses.dataclass
class Obj:
    schema: type[Schema]
    path: str  # where it sits in a dataset: `members[].outgoing`

    @property
    def anchor(self) -> str:
        return self.schema.__name__.lower()


def objects(root: type[Schema] = DatasetSchema) -> list[Obj]:
    """Every schema under root, depth first in field order, each once at its first path."""
    out: list[Obj] = []
    seen: set[type] = set()

    def walk(schema: type[Schema], path: str) -> None:
        if schema in seen:
            return
        seen.add(schema)
        out.append(Obj(schema, path))
        for name, field in schema._declared_fields.items():
            nested, many = _nested(field)
            if nested is not None:
                walk(nested, _join(path, name) + ("[]" if many else ""))

    walk(root, "")
    return out


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _nested(field) -> tuple[type[Schema] | None, bool]:
    """The schema a field holds (directly or as list items), and whether it is a list of them."""
    if isinstance(field, mfields.List):
        inner, _ = _nested(field.inner)
        return inner, True
    if isinstance(field, mfields.Nested):
        nested = field.nested
        return (nested if isinstance(nested, type) else type(nested)), False
    return None, False


def _description(schema: type[Schema]) -> str:
    meta = getattr(schema, "Meta", None)
    return getattr(meta, "description", "") or ""


# ---- one field ----------------------------------------------------------------------------------

def field_type(field, obj_of: dict[type, Obj]) -> str:
    if isinstance(field, mfields.List):
        return f"数组，每项为{field_type(field.inner, obj_of)}"
    if isinstance(field, mfields.Nested):
        nested, _ = _nested(field)
        return f"对象 [{nested.__name__}](#{obj_of[nested].anchor})"
    if isinstance(field, fields.IdNumber):
        return "公民身份号码"
    if isinstance(field, fields.Phone):
        return "电话号码"
    if isinstance(field, fields.Enum):
        return "枚举"
    if isinstance(field, fields.MonthDate):
        return "日期或月份"
    if isinstance(field, fields.Date):
        return "日期"
    if isinstance(field, fields.Boolean):
        return "布尔（true/false）"
    if isinstance(field, fields.SafeString):
        return "单行文本" if getattr(field, "single_line", False) else "文本"
    return type(field).__name__


def default(field, model_cls, name: str) -> str:
    if field.required:
        return ""
    value = field.load_default
    if value is missing and model_cls is not None:
        spec = {f.name: f for f in dataclasses.fields(model_cls)}.get(name)
        if spec is not None and spec.default is not dataclasses.MISSING:
            value = spec.default
    if value is missing or value is None or callable(value):
        return ""
    return _value(value)


def _value(value) -> str:
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def vocab_names() -> dict[tuple, str]:
    """Every enumeration of vocab.py, by its values."""
    return {tuple(v): k for k, v in vars(vocab).items()
            if k.isupper() and isinstance(v, tuple) and all(isinstance(x, str) for x in v)}


def allowed(field, names: dict[tuple, str]) -> str:
    if isinstance(field, mfields.List):
        return allowed(field.inner, names)
    choices = getattr(field, "choices", None) if isinstance(field, fields.Enum) else None
    if choices is None and "enum" in field.metadata:
        choices = tuple(field.metadata["enum"])
    if not choices:
        return ""
    name = names.get(tuple(choices))
    if len(choices) > INLINE_VALUES and name:
        return f"见 [{name}](#vocab-{name.lower()})（{len(choices)} 项）"
    return " · ".join(f"`{c}`" if not isinstance(field, fields.Enum) else c for c in choices)


KNOWN_VALIDATORS = {
    rules.name_length: f"最多 {rules.MAX_NAME} 个字符",
    rules.file_name_safe: "不得含 " + " ".join(f"`{ch}`" for ch in vocab.FILE_NAME_FORBIDDEN) + "（用于文件名）",
}
SKIPPED_KEYWORDS = {"description", "pattern", "enum", "anyOf", "title", "example", "examples"}


def limits(field) -> str:
    """Patterns, lengths and item counts: from the metadata (JSON Schema keywords) and the validators."""
    if isinstance(field, mfields.List):
        own = _limits(field)
        inner = _limits(field.inner)
        return "；".join(x for x in (own, f"每项：{inner}" if inner else "") if x)
    return _limits(field)


def _limits(field) -> str:
    out: list[str] = []
    pattern = field.metadata.get("pattern")
    if pattern and not _generic_text(field, pattern) and not isinstance(field, (fields.Date, fields.MonthDate)):
        # a pattern too long to read (the phone's printed forms) is told by the description
        out.append(f"格式 `{pattern}`" if len(pattern) <= 120 else "格式见说明（正则表达式见 OpenAPI 文档）")
    meta = field.metadata
    if "minLength" in meta:
        out.append(f"至少 {meta['minLength']} 个字符")
    if "maxLength" in meta:
        out.append(f"最多 {meta['maxLength']} 个字符")
    if "minItems" in meta:
        out.append(f"至少 {meta['minItems']} 项")
    if "maxItems" in meta:
        out.append(f"最多 {meta['maxItems']} 项")
    for key in sorted(set(meta) - SKIPPED_KEYWORDS - {"minLength", "maxLength", "minItems", "maxItems"}):
        out.append(f"{key}: `{meta[key]}`")
    for validator in _validators(field):
        text = _validator_text(field, validator)
        if text:
            out.append(text)
    return "；".join(dict.fromkeys(out))


def _generic_text(field, pattern: str) -> bool:
    """The pattern every text field of its kind has (no forbidden characters): said once, above."""
    make = getattr(fields, "text_pattern", None)
    if make is None or not isinstance(field, fields.SafeString):
        return False
    return pattern == make(getattr(field, "single_line", False), field.required)


def _validators(field) -> list:
    return [v for v in field.validators if not isinstance(v, validate.OneOf)]


def _validator_text(field, validator) -> str:
    if validator in KNOWN_VALIDATORS:
        return KNOWN_VALIDATORS[validator]
    if isinstance(validator, validate.Length):
        unit = "项" if isinstance(field, mfields.List) else "个字符"
        if validator.equal is not None:
            return f"恰为 {validator.equal} {unit}"
        parts = []
        if validator.min is not None:
            parts.append(f"至少 {validator.min} {unit}")
        if validator.max is not None:
            parts.append(f"最多 {validator.max} {unit}")
        return "，".join(parts)
    if isinstance(validator, validate.Regexp):
        return f"格式 `{validator.regex.pattern}`"
    if isinstance(validator, validate.Range):
        return f"范围 {validator.min}–{validator.max}"
    return ""


def meaning(field) -> str:
    text = field.metadata.get("description", "")
    if not text:
        nested, _ = _nested(field)
        text = _description(nested) if nested is not None else ""
    if not text and isinstance(field, mfields.List):
        text = field.inner.metadata.get("description", "")
    return text


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _model_of(schema: type[Schema]):
    base = schema.__name__.removesuffix("Schema")
    return next((getattr(model, n) for n in (base, base + "Input")
                 if dataclasses.is_dataclass(getattr(model, n, None))), None)


# ---- the page -----------------------------------------------------------------------------------

def render() -> str:
    objs = objects()
    obj_of = {o.schema: o for o in objs}
    names = vocab_names()
    lines = [HEADER]
    lines.append("## 目录\n")
    for obj in objs:
        lines.append(f"- [{obj.path or '（顶层）'}](#{obj.anchor}) — {obj.schema.__name__}")
    lines.append("- [取值表](#vocab)\n")
    for obj in objs:
        lines += _object(obj, obj_of, names)
    lines += _vocab(names)
    return "\n".join(lines).rstrip("\n") + "\n"


def _object(obj: Obj, obj_of: dict, names: dict) -> list[str]:
    schema = obj.schema
    model_cls = _model_of(schema)
    title = f"`{obj.path}`" if obj.path else "顶层（整个数据包）"
    out = [f'<a id="{obj.anchor}"></a>', "", f"## {title} — {schema.__name__}", ""]
    desc = _description(schema) or ("排查数据包：一个学校党组织的全部排查数据。" if schema is DatasetSchema else "")
    if desc:
        out += [desc, ""]
    used_at = [o.path for o in obj_of.values() if o.schema is schema]
    if obj.path and len(used_at) > 1:
        out += ["出现于：" + "、".join(f"`{p}`" for p in used_at), ""]
    out += ["| 字段 | 类型 | 必填 | 默认 | 取值 | 格式与限制 | 说明 |",
            "|---|---|---|---|---|---|---|"]
    for name, field in schema._declared_fields.items():
        key = field.data_key or name
        row = [f"`{key}`", field_type(field, obj_of), "是" if field.required else "否",
               default(field, model_cls, field.attribute or name), allowed(field, names), limits(field),
               meaning(field)]
        out.append("| " + " | ".join(_cell(c) for c in row) + " |")
    out.append("")
    return out


def _vocab(names: dict) -> list[str]:
    used: dict[str, list[str]] = {}
    for obj in objects():
        for name, field in obj.schema._declared_fields.items():
            inner = field.inner if isinstance(field, mfields.List) else field
            if isinstance(inner, fields.Enum):
                key = names.get(tuple(inner.choices))
                if key:
                    used.setdefault(key, []).append(f"`{_join(obj.path, field.data_key or name)}`")
    out = ['<a id="vocab"></a>', "", "## 取值表（schemas/vocab.py）", ""]
    for key, value in vars(vocab).items():
        if not key.isupper():
            continue
        if isinstance(value, tuple) and all(isinstance(x, str) for x in value):
            where = f"（用于 {'、'.join(used[key])}）" if key in used else ""
            out += [f'<a id="vocab-{key.lower()}"></a>', "", f"### {key}{where}", "",
                    f"{len(value)} 项：" + " · ".join(value), ""]
        elif isinstance(value, dict) and all(isinstance(v, tuple) for v in value.values()):
            out += [f'<a id="vocab-{key.lower()}"></a>', "", f"### {key}", ""]
            out += [f"- {k}：" + " · ".join(v) for k, v in value.items()]
            out.append("")
        elif key == "FILE_NAME_FORBIDDEN":
            out += [f"### {key}", "", "学校党组织名（用于文件名）不得含：" + " ".join(f"`{_cell(ch)}`" for ch in value), ""]
    return out


def main() -> None:
    sys.stdout.buffer.write(render().encode("utf-8"))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
