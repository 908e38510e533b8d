"""The validation report of a 数据包: what POST /api/v1/validate answers and `paicha validate` prints."""
from __future__ import annotations

import schemas
from service.domain import figures, rules, scope
from service.domain.verification import verification_code


def report(data) -> dict:
    """What /validate answers: errors, warnings (三查三核 findings), figures, scope and the 校验码."""
    ds, errors = schemas.validate(data)
    if ds is None:
        return {"valid": False, "errors": errors, "warnings": [], "figures": None, "in_scope": 0, "excluded": [],
                "verification_code": None}
    return {
        "valid": True,
        "errors": [],
        "warnings": [f.as_dict() for f in rules.findings(ds)],
        "figures": {"outgoing_summary": figures.outgoing_summary(ds), "campaign_summary": figures.campaign_summary(ds)},
        "in_scope": len(scope.in_scope(ds)),
        "excluded": [{"name": m.name, "join_date": m.join_date.isoformat()} for m in scope.excluded(ds)],
        "verification_code": verification_code(ds),
    }
