"""Shared fixtures: the sample branch as JSON and as a loaded Dataset."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE_PATH = FIXTURES / "demo-branch.json"
_SAMPLE = json.loads(SAMPLE_PATH.read_text(encoding="utf-8"))


@pytest.fixture
def sample_data() -> dict:
    """A fresh deep copy of the sample JSON, safe to mutate in a test."""
    return copy.deepcopy(_SAMPLE)


@pytest.fixture
def sample_dataset(sample_data):
    from schemas import load_dataset

    return load_dataset(sample_data)
