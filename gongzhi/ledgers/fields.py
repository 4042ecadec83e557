"""Every parsed cell against the limits of the model field it is written to (issue 15).

A floor of 40000, an area of 123456789.00 or a NUL byte passed the ledger checks: SQLite stored them and the
pages that read them answered 500; PostgreSQL refused with a raw database error. A `Column` names its model
field ("places.Home.floor"); `field_problems` reads the limits from that field — its validators (max_length,
max_digits / decimal_places, min / max values) plus the integer range of its column type, taken from Django's
portable ranges rather than the connection's, so SQLite refuses exactly what PostgreSQL would. The limits live
on the model and nowhere else, so a ledger cannot drift from its table.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import Field
from django.utils.translation import gettext_lazy

# Lazy: read in the language of whoever imports (a job speaks its requester's, gongzhi.core.job_language).
NUL_MESSAGE = gettext_lazy("含有不允许的空字符（NUL）")


@cache
def model_field(dotted: str) -> Field[Any, Any]:
    """'places.Home.floor' → the Home.floor field."""
    app_label, model_name, field_name = dotted.split(".")
    field = apps.get_model(app_label, model_name)._meta.get_field(field_name)
    assert isinstance(field, Field)
    return field


@cache
def _validators(dotted: str) -> tuple[Any, ...]:
    field = model_field(dotted)
    portable = BaseDatabaseOperations.integer_field_ranges.get(field.get_internal_type())
    if portable is None:
        return tuple(field.validators)  # max_length, max_digits / decimal_places, declared validators
    low, high = portable  # an integer column: the declared validators and the portable range
    declared = getattr(field, "_validators", [])
    return (*field.default_validators, *declared, MinValueValidator(low), MaxValueValidator(high))


def field_problems(dotted: str, value: Any) -> list[str]:
    """The messages of every limit of the field that `value` breaks (none for an empty value)."""
    if value is None or value == "":
        return []
    if isinstance(value, str) and "\x00" in value:
        return [str(NUL_MESSAGE)]
    problems: list[str] = []
    for validator in _validators(dotted):
        try:
            validator(value)
        except ValidationError as exc:
            problems.extend(exc.messages)
    return problems
