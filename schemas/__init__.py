"""The input contract (contract.md) in marshmallow.

Public interface (everything else in this package is an implementation detail):
- load_dataset(data) -> Dataset           raises InvalidDataset with every error at once
- validate(data) -> (Dataset | None, errors)   errors: [{"path": "members[3].id_number", "message": "…"}]
- dump_dataset(ds) -> dict                 the JSON contract form of a Dataset (round-trips)
- DatasetSchema                            for flask-smorest's OpenAPI document
"""
from __future__ import annotations

from collections.abc import Mapping

from marshmallow import ValidationError

from service.domain.model import Dataset
from service.errors import InvalidDataset

from .dataset import DatasetSchema
from .errors import flatten

__all__ = ["DatasetSchema", "load_dataset", "validate", "dump_dataset"]

NOT_AN_OBJECT = "数据包应为 JSON 对象"


def validate(data) -> tuple[Dataset | None, list[dict]]:
    """(Dataset, []) when the data keeps the contract, else (None, every error)."""
    if not isinstance(data, Mapping):
        return None, [{"path": "", "message": NOT_AN_OBJECT}]
    schema = DatasetSchema()
    try:
        return schema.load(data), []
    except ValidationError as error:
        return None, flatten(error.messages, schema)


def load_dataset(data) -> Dataset:
    """The Dataset, or InvalidDataset listing every error with its JSON path."""
    dataset, errors = validate(data)
    if errors:
        raise InvalidDataset(errors)
    return dataset


def dump_dataset(ds: Dataset) -> dict:
    """The JSON contract form; load_dataset(dump_dataset(ds)) == ds."""
    return DatasetSchema().dump(ds)
