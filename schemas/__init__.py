"""The input contract (contract.md) in marshmallow.

Public interface (everything else in this package is an implementation detail):
- load_dataset(data) -> Dataset           raises InvalidDataset with every error at once
- validate(data) -> (Dataset | None, errors)   errors: [{"path": "members[3].id_number", "message": "…"}]
- dump_dataset(ds) -> dict                 the JSON contract form of a Dataset (round-trips)
- DatasetSchema                            for flask-smorest's OpenAPI document
"""
