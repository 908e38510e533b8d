"""docs/contract.md is what schemas/reference.py prints: the field reference cannot drift from the schemas."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from schemas import reference
from schemas.dataset import DatasetSchema

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "contract.md"


def test_committed_reference_is_what_the_schemas_say():
    expected = reference.render()
    current = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    assert current == expected, (
        f"docs/contract.md is out of date with schemas/: regenerate it with\n    {reference.COMMAND}\n"
        "(from the repository root) and commit it")


def test_the_module_prints_the_same_as_a_command():
    out = subprocess.run([sys.executable, "-m", "schemas.reference"], cwd=ROOT, capture_output=True,
                         timeout=60, check=True).stdout
    assert out.decode("utf-8") == reference.render()


def test_every_field_of_every_object_is_in_the_reference():
    text = reference.render()
    for obj in reference.objects():
        assert f"— {obj.schema.__name__}" in text
        for name, field in obj.schema._declared_fields.items():
            assert f"| `{field.data_key or name}` |" in text, (obj.path, name)
    assert len(reference.objects()) == len({o.schema for o in reference.objects()}) >= 17
    assert reference.objects()[0].schema is DatasetSchema


def test_every_field_has_a_meaning():
    """Each field says what it is (its own description, or the object it holds): the OpenAPI document and
    docs/contract.md read the same metadata."""
    missing = [f"{o.path or '(top)'}.{name}" for o in reference.objects()
               for name, field in o.schema._declared_fields.items() if not reference.meaning(field)]
    assert missing == []


def test_defaults_enumerations_and_limits_come_from_the_code():
    text = reference.render()
    assert "| `cutoff_date` | 日期 | 否 | 2023-06-30 |" in text  # model.Campaign's default
    assert "| `party_status` | 枚举 | 否 | 正常 | 正常 · 停止党籍 |" in text  # load_default and vocab
    assert "| `verified` | 布尔（true/false） | 否 | `false` |" in text
    assert "见 [ETHNICITIES](#vocab-ethnicities)（57 项）" in text and "基诺族 · 其他" in text
    assert "格式 `^[A-Za-z0-9]{1,16}$`" in text  # org.code
    assert "| `members` | 数组，每项为对象 [MemberSchema](#memberschema) | 是 |  |  | 至少 1 项 |" in text
    assert "| `schema_version` | 文本 | 是 |  | `1` |" in text  # required: no default shown
