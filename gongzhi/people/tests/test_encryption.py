"""ID numbers and phones encrypted at rest, transparent to code that reads and filters them."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.exceptions import FieldError, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from gongzhi.core import crypto
from gongzhi.core.crypto import PersonalDataKeyError
from gongzhi.core.rotation import stale_count
from gongzhi.people.bulk import NewPerson, persons_create_bulk, persons_set_phone_bulk
from gongzhi.people.models import Ownership, Person
from gongzhi.people.services import person_create
from gongzhi.tests.factories import SYSTEM, PersonFactory, load_divisions, make_compound

ID1, ID2 = "11010519491231002X", "370202199001011237"
OTHER_KEY = base64.b64encode(b"o" * 32).decode()
NEW_KEY = base64.b64encode(b"n" * 32).decode()


def raw(table: str = "people_person") -> list[tuple[str, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id_number, phone, id_number_index, phone_index FROM {table}")
        return cursor.fetchall()


@given(st.text(max_size=40))
@settings(max_examples=50)
def test_encrypt_round_trip_any_text(text):
    for cipher in crypto.CIPHERS:
        ring = crypto.Keyring("t1", {"t1": b"k" * 32}, cipher, b"i" * 32, "sha256")
        stored = crypto.encrypt(text, ring)
        assert stored.startswith(f"t1:{cipher}:")
        assert crypto.decrypt(stored, ring) == text


def test_same_value_encrypts_differently_but_indexes_alike():
    assert crypto.encrypt(ID1) != crypto.encrypt(ID1)
    assert crypto.blind_index(ID1) == crypto.blind_index(ID1) != crypto.blind_index(ID2)


@pytest.mark.django_db
def test_round_trip_and_no_plaintext_in_any_table():
    person = person_create(actor=SYSTEM, name="张伟", id_number=ID1, phone="13812345678")
    person.refresh_from_db()
    assert (person.id_number, person.phone) == (ID1, "13812345678")
    for table in ("people_person", "people_historicalperson"):
        for row in raw(table):
            text = repr(row)
            assert ID1 not in text and "13812345678" not in text and "2345678" not in text
            assert row[0].startswith("dev1:aes:")


@pytest.mark.django_db
def test_lookups_exact_in_join_and_empty():
    home = make_compound(load_divisions()["370202001001"], "金门路小区", 1, 1, 1, 1)[2][0]
    a = PersonFactory.create(id_number=ID1, phone="13900000001")
    b = PersonFactory.create(id_number=None, phone="")
    Ownership.objects.create(home=home, person=a, compound_id_cache=home.compound_id)
    assert list(Person.objects.filter(id_number=ID1)) == [a]
    assert list(Person.objects.filter(phone="13900000001")) == [a]
    assert set(Person.objects.filter(id_number__in=[ID1, ID2, ""])) == {a}
    assert list(Person.objects.filter(phone__in=["", "13900000001"]).order_by("pk")) == [a, b]
    assert list(Person.objects.filter(phone="")) == [b]
    assert list(Person.objects.filter(id_number=None)) == [b]
    assert list(Person.objects.exclude(id_number=None)) == [a]
    assert list(Person.objects.filter(id_number__isnull=True)) == [b]
    assert list(Ownership.objects.filter(person__id_number=ID1)) == [a.ownerships.get()]
    assert list(Person.objects.filter(id_number__in=[])) == []
    assert Person.objects.values_list("id_number", flat=True).get(pk=a.pk) == ID1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "lookup", ["contains", "icontains", "startswith", "endswith", "iexact", "regex", "gt"]
)
def test_substring_and_range_lookups_refused(lookup):
    PersonFactory(id_number=ID1)
    with pytest.raises(FieldError, match="已加密"):
        list(Person.objects.filter(**{f"id_number__{lookup}": "1101"}))
    with pytest.raises(FieldError, match="已加密"):
        list(Person.objects.filter(**{f"phone__{lookup}": "138"}))


@pytest.mark.django_db
def test_expression_comparison_refused():
    from django.db.models import F

    with pytest.raises(FieldError):
        list(Person.objects.filter(id_number=F("name")))


@pytest.mark.django_db
def test_id_number_unique():
    PersonFactory(id_number=ID1)
    dup = Person(name="王芳", id_number=ID1)
    with pytest.raises(ValidationError):
        dup.validate_unique()
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(id_number=ID1)
    PersonFactory(id_number=None)
    PersonFactory(id_number=None)  # several persons without an ID number


@pytest.mark.django_db
def test_bulk_create_update_and_save_keep_the_index():
    Person.objects.bulk_create([Person(name="甲", id_number=ID1, phone="13700000001")])
    p = Person.objects.get(id_number=ID1)
    p.phone = "13700000002"
    Person.objects.bulk_update([p], ["phone"])
    assert Person.objects.get(phone="13700000002") == p
    Person.objects.filter(pk=p.pk).update(phone="13700000003")
    assert Person.objects.get(phone="13700000003") == p
    p.refresh_from_db()
    p.phone = "13700000004"
    p.save(update_fields=["phone"])
    assert Person.objects.get(phone="13700000004") == p
    assert not Person.objects.filter(phone="13700000001").exists()


@pytest.mark.django_db
def test_insert_rows_path_of_imports_encrypts_and_indexes():
    ids = persons_create_bulk(
        actor=SYSTEM, persons=[NewPerson(name="乙", id_number=ID2, phone="13600000001")]
    )
    assert Person.objects.get(id_number=ID2).pk == ids[0]
    persons_set_phone_bulk(actor=SYSTEM, phones={ids[0]: "13600000002"})
    assert Person.objects.get(phone="13600000002").pk == ids[0]
    assert all(ID2 not in repr(r) for t in ("people_person", "people_historicalperson") for r in raw(t))
    history = Person.history.filter(id=ids[0]).order_by("history_id")  # type: ignore[attr-defined]
    assert [h.phone for h in history] == ["13600000001", "13600000002"]


@pytest.mark.django_db
def test_bulk_persons_are_encrypted_once_for_the_record_and_its_history_row(monkeypatch):
    calls: list[str] = []
    real = crypto.encrypt

    def counting(text: str, ring: crypto.Keyring | None = None) -> str:
        calls.append(text)
        return real(text, ring)

    monkeypatch.setattr("gongzhi.core.bulk.encrypt", counting)
    new = [
        NewPerson(name=f"丙{i}", id_number=f"37020219900101{i:03d}X"[-18:], phone=f"1360000{i:04d}")
        for i in range(3)
    ]
    ids = persons_create_bulk(actor=SYSTEM, persons=new)
    assert len(calls) == 2 * len(new)  # an ID number and a phone each, not again for the history table
    person, history = raw("people_person"), raw("people_historicalperson")
    assert sorted(person) == sorted(history)  # the history row holds the record's ciphertext and index
    assert [p.phone for p in Person.objects.filter(pk__in=ids).order_by("pk")] == [n.phone for n in new]


@pytest.mark.django_db
def test_wrong_key_is_refused_not_misread():
    PersonFactory(id_number=ID1)
    wrong = override_settings(GONGZHI_PERSONAL_DATA_KEYS=f"dev1:{OTHER_KEY}")
    with wrong, pytest.raises(PersonalDataKeyError, match="dev1"):
        Person.objects.get(id_number=ID1)
    unknown = override_settings(GONGZHI_PERSONAL_DATA_KEYS=f"k9:{OTHER_KEY}")
    with unknown, pytest.raises(PersonalDataKeyError, match="未配置"):
        Person.objects.values_list("id_number", flat=True).get()


@pytest.mark.django_db
def test_tampered_ciphertext_is_refused():
    p = PersonFactory.create(id_number=ID1)
    stored = raw()[0][0]
    body = bytearray(base64.b64decode(stored.split(":", 2)[2]))
    body[-1] ^= 1
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE people_person SET id_number = %s WHERE id = %s",
            [stored.rsplit(":", 1)[0] + ":" + base64.b64encode(bytes(body)).decode(), p.pk],
        )
    with pytest.raises(PersonalDataKeyError):
        Person.objects.get(pk=p.pk)


@pytest.mark.django_db
def test_sm4_selectable():
    with override_settings(GONGZHI_PERSONAL_DATA_CIPHER="sm4"):
        PersonFactory(id_number=ID1, phone="13500000001")
        assert raw()[0][0].startswith("dev1:sm4:")
        assert Person.objects.get(id_number=ID1).phone == "13500000001"
    # a stored value names its own cipher: still readable after switching back
    assert Person.objects.get(phone="13500000001").id_number == ID1


@pytest.mark.django_db
def test_rotation_is_batched_resumable_and_keeps_lookups():
    for i in range(5):
        PersonFactory(id_number=None, phone=f"1340000000{i}")
    PersonFactory(id_number=ID1)
    keys = f"k2:{NEW_KEY},{crypto.DEV_KEYS}"
    with override_settings(GONGZHI_PERSONAL_DATA_KEYS=keys):
        assert stale_count(Person) == 6
        call_command("rotate_personal_data_key", batch=2, max_batches=1, stdout=StringIO())
        assert stale_count(Person) == 4  # stopped after one batch: the rest is still readable
        assert Person.objects.get(id_number=ID1).phone.startswith("138")
        call_command("rotate_personal_data_key", batch=2, stdout=StringIO())
        assert stale_count(Person) == 0
        assert stale_count(Person.history.model) == 0  # type: ignore[attr-defined]
        assert all(r[1].startswith("k2:aes:") for r in raw())
    # the old key alone can no longer read the rotated rows
    old_only = override_settings(GONGZHI_PERSONAL_DATA_KEYS=crypto.DEV_KEYS)
    with old_only, pytest.raises(PersonalDataKeyError):
        list(Person.objects.all())
    with override_settings(GONGZHI_PERSONAL_DATA_KEYS=f"k2:{NEW_KEY}"):
        assert Person.objects.get(phone="13400000003").phone == "13400000003"


def test_bad_key_settings_refused():
    from django.core.exceptions import ImproperlyConfigured

    for bad in ("", "nokey", "k1:notbase64!", "k1:" + base64.b64encode(b"short").decode()):
        with pytest.raises(ImproperlyConfigured):
            crypto.parse_keys(bad)


def _start(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GONGZHI_PERSONAL_DATA")}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**clean, "DJANGO_SETTINGS_MODULE": "gongzhi.settings", "GONGZHI_DEBUG": "0", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_refuse_the_development_keys():
    refused = _start({"GONGZHI_HTTPS": "1"})
    assert refused.returncode != 0 and "GONGZHI_PERSONAL_DATA_KEYS" in refused.stderr
    key = base64.b64encode(os.urandom(32)).decode()
    given = {"GONGZHI_PERSONAL_DATA_KEYS": f"p1:{key}", "GONGZHI_PERSONAL_DATA_INDEX_KEY": key}
    assert _start({"GONGZHI_HTTPS": "1", **given}).returncode == 0
