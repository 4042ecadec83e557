"""Model fields for personal data encrypted at rest (gongzhi.core.crypto), searchable by equality only.

    id_number = EncryptedCharField(_("身份证号"), max_length=18, null=True, index_field="id_number_index")
    id_number_index = BlindIndexField(source="id_number", null=True, unique=True)

The model attribute holds plaintext; the column holds ciphertext; the index column holds the keyed hash,
which `pre_save` fills (so `save`, `create` and `bulk_create` need nothing more). The field answers only
`exact`, `in` and `isnull`, rewritten to the index column: `filter(id_number=x)`, `filter(phone__in=[…])`
and joins such as `filter(person__id_number=x)` work; `contains`, `startswith`, `iexact`… raise FieldError
— a substring of a ciphertext means nothing, so asking must fail loudly rather than return no rows.
Ordering by the field orders by ciphertext: sort decrypted values in Python instead.

`update()`, `bulk_update()` and `save(update_fields=…)` also write the index: use `EncryptedQuerySet` as
the manager and `EncryptedModelMixin` on the model. `core.bulk.insert_rows` encrypts and indexes plain tuples.
The empty string and NULL are stored as they are (their absence is not a secret; `phone=""` stays a filter).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import FieldError, ValidationError
from django.db import models
from django.db.models.expressions import Col
from django.db.models.lookups import IsNull, Lookup

from gongzhi.core.crypto import blind_index, decrypt, encrypt

EMPTY = ("", None)


class EncryptedCharField(models.CharField):  # type: ignore[type-arg]
    """A CharField whose column holds `crypto.encrypt(value)`; max_length limits the plaintext."""

    def __init__(self, *args: Any, index_field: str = "", **kwargs: Any) -> None:
        self.index_field = index_field
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["index_field"] = self.index_field
        return name, path, args, kwargs

    def db_type(self, connection: Any) -> str:
        return "text"

    def rel_db_type(self, connection: Any) -> str:
        return "text"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value in EMPTY:
            return value
        return decrypt(value)

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        value = self.get_prep_value(value)
        return value if value in EMPTY else encrypt(str(value))

    def index_of(self, value: Any) -> Any:
        """The index column's value for a plaintext."""
        return value if value in EMPTY else blind_index(str(value))

    def get_lookup(self, lookup_name: str) -> Any:
        found = ENCRYPTED_LOOKUPS.get(lookup_name)
        if found is None:
            raise FieldError(
                f"{self.verbose_name}（{self.name}）已加密存储，只能按完整值查找（exact/in/isnull），"
                f"不支持 {lookup_name}"
            )
        return found

    def get_transform(self, lookup_name: str) -> Any:
        return None


class BlindIndexField(models.CharField):  # type: ignore[type-arg]
    """The keyed hash of another field's plaintext, computed on save; never set by hand."""

    def __init__(self, *args: Any, source: str = "", **kwargs: Any) -> None:
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs.pop("editable", None)
        if kwargs.get("max_length") == 64:
            kwargs.pop("max_length")
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        source = model_instance._meta.get_field(self.source)
        assert isinstance(source, EncryptedCharField)
        value = source.index_of(getattr(model_instance, source.attname))
        setattr(model_instance, self.attname, value)
        return value


def _index_col(lhs: Any) -> Col:
    if not isinstance(lhs, Col):
        raise FieldError("加密字段只能直接按值查找")
    field = lhs.target
    if not isinstance(field, EncryptedCharField):
        raise FieldError("加密字段只能直接按值查找")
    index = field.model._meta.get_field(field.index_field)
    assert isinstance(index, models.Field)
    return Col(lhs.alias, index)


def _plain(value: Any) -> Any:
    if hasattr(value, "resolve_expression"):
        raise FieldError("加密字段只能与具体值比较，不能与表达式或子查询比较")
    return value


class EncryptedExact(Lookup):  # type: ignore[type-arg]
    """`field = value` → `field_index = hmac(value)`; the empty string compares the column itself."""

    lookup_name = "exact"
    prepare_rhs = False
    can_use_none_as_rhs = False

    def get_prep_lookup(self) -> Any:
        return None if self.rhs is None else _plain(self.rhs)

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        if self.rhs == "":
            lhs_sql, params = compiler.compile(self.lhs)
            return f"{lhs_sql} = %s", [*params, ""]
        sql, params = compiler.compile(_index_col(self.lhs))
        return f"{sql} = %s", [*params, self.lhs.target.index_of(self.rhs)]


class EncryptedIn(Lookup):  # type: ignore[type-arg]
    """`field IN (…)` → `field_index IN (hmac(v), …)` (plus `field = ''` when "" is among them)."""

    lookup_name = "in"
    prepare_rhs = False

    def get_prep_lookup(self) -> Any:
        values = _plain(self.rhs)
        if isinstance(values, str) or not isinstance(values, Iterable):
            raise FieldError("in 查找需要一组值")
        return [_plain(v) for v in values if v is not None]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        from django.core.exceptions import EmptyResultSet

        values = list(dict.fromkeys(self.rhs))
        if not values:
            raise EmptyResultSet
        digests = [self.lhs.target.index_of(v) for v in values if v != ""]
        parts: list[str] = []
        params: list[Any] = []
        if digests:
            sql, p = compiler.compile(_index_col(self.lhs))
            parts.append(f"{sql} IN ({', '.join(['%s'] * len(digests))})")
            params += [*p, *digests]
        if "" in values:
            lhs_sql, p = compiler.compile(self.lhs)
            parts.append(f"{lhs_sql} = %s")
            params += [*p, ""]
        return "(" + " OR ".join(parts) + ")", params


ENCRYPTED_LOOKUPS: dict[str, Any] = {"exact": EncryptedExact, "in": EncryptedIn, "isnull": IsNull}


def encrypted_fields(model: type[models.Model]) -> list[EncryptedCharField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedCharField)]


def with_index_fields(model: type[models.Model], names: Iterable[str]) -> list[str]:
    """`names` plus the index field of every encrypted field among them (for update_fields, bulk_update)."""
    out = list(names)
    for f in encrypted_fields(model):
        if (f.name in out or f.attname in out) and f.index_field not in out:
            out.append(f.index_field)
    return out


class EncryptedQuerySet(models.QuerySet):  # type: ignore[type-arg]
    """Keeps index columns in step on `update()` and `bulk_update()`."""

    def update(self, **kwargs: Any) -> int:
        for f in encrypted_fields(self.model):
            if f.name in kwargs and f.index_field not in kwargs:  # bulk_update passes both, as CASEs
                kwargs[f.index_field] = f.index_of(_plain(kwargs[f.name]))
        return super().update(**kwargs)

    def bulk_update(self, objs: Iterable[Any], fields: Iterable[str], batch_size: int | None = None) -> int:
        objs = list(objs)
        names = with_index_fields(self.model, fields)
        for f in encrypted_fields(self.model):
            if f.index_field in names:
                for obj in objs:
                    setattr(obj, f.index_field, f.index_of(getattr(obj, f.attname)))
        return super().bulk_update(objs, names, batch_size=batch_size)


class EncryptedModelMixin(models.Model):
    """`save(update_fields=[…])` writes the index too; unique index columns are checked by validate_unique."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = with_index_fields(type(self), kwargs["update_fields"])
        super().save(*args, **kwargs)

    def validate_unique(self, exclude: Any = None) -> None:
        super().validate_unique(exclude=exclude)
        manager = type(self)._default_manager
        for f in encrypted_fields(type(self)):
            value = getattr(self, f.attname)
            index = type(self)._meta.get_field(f.index_field)
            if value in EMPTY or not getattr(index, "unique", False) or (exclude and f.name in exclude):
                continue
            if manager.filter(**{f.name: value}).exclude(pk=self.pk).exists():
                raise ValidationError(
                    {
                        f.name: f.error_messages["unique"]
                        % {
                            "model_name": type(self)._meta.verbose_name,
                            "field_label": f.verbose_name,
                        }
                    }
                )
