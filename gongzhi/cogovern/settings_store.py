"""Settings of the co-governance rules, read in one place by services, selectors and pages:

- GONGZHI_COMMITTEE_RULES: which owners'-committee rule set is in force ("qingdao", the default, or
  "shandong");
- GONGZHI_CREDIT_RULE: the credit formula's weights and grade floors (a dict, or its JSON in the
  environment), over the platform's invented defaults (property_rules.CreditWeights).
"""

from __future__ import annotations

import json
from dataclasses import fields, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from gongzhi.cogovern.property_rules import DEFAULT_WEIGHTS, CreditWeights, weights_problems
from gongzhi.cogovern.rules import QINGDAO, RULE_SETS, CommitteeRules


def committee_rules() -> CommitteeRules:
    return RULE_SETS.get(getattr(settings, "GONGZHI_COMMITTEE_RULES", "qingdao"), QINGDAO)


def parse_weights(raw: Any) -> CreditWeights:
    """The weights from a dict or JSON text; a wrong name, number or order stops with a Chinese message."""
    if not raw:
        return DEFAULT_WEIGHTS
    try:
        given = json.loads(raw) if isinstance(raw, str) else dict(raw)
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured("GONGZHI_CREDIT_RULE 应为 JSON 对象") from exc
    known = {f.name: f.type for f in fields(CreditWeights)}
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise ImproperlyConfigured(f"GONGZHI_CREDIT_RULE 含有未知的项：{'、'.join(unknown)}")
    values: dict[str, Any] = {}
    for name, value in given.items():
        try:
            if name == "blacklist_black_entries":
                values[name] = int(value)
            else:
                values[name] = Decimal(str(value))
                if not values[name].is_finite():
                    raise InvalidOperation
        except (ValueError, TypeError, InvalidOperation) as exc:
            raise ImproperlyConfigured(f"GONGZHI_CREDIT_RULE 的 {name} 应为数字") from exc
    weights = replace(DEFAULT_WEIGHTS, **values)
    problems = weights_problems(weights)
    if problems:
        raise ImproperlyConfigured("GONGZHI_CREDIT_RULE：" + "；".join(problems))
    return weights


def credit_weights() -> CreditWeights:
    return parse_weights(getattr(settings, "GONGZHI_CREDIT_RULE", None))
