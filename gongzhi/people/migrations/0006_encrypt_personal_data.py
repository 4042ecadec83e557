"""ID numbers and phones encrypted at rest, with their keyed-hash index columns (gongzhi.core.fields).

The columns become text; existing rows, current and historical, are encrypted in place under the current
key (settings), in batches, and their index computed. Reversible: unapplying decrypts.
"""

from django.db import migrations

import gongzhi.core.fields
from gongzhi.core.crypto import blind_index, decrypt, encrypt

TABLES = ("people_person", "people_historicalperson")
BATCH = 5000


def _rewrite(schema_editor, forward):  # type: ignore[no-untyped-def]
    conn = schema_editor.connection
    q = conn.ops.quote_name
    for table in TABLES:
        pk = "history_id" if "historical" in table else "id"
        last = 0
        while True:
            with conn.cursor() as cursor:
                cursor.execute(
                    f"SELECT {q(pk)}, id_number, phone FROM {q(table)} WHERE {q(pk)} > %s "
                    f"ORDER BY {q(pk)} LIMIT {BATCH}",
                    [last],
                )
                rows = cursor.fetchall()
                if not rows:
                    break
                last = rows[-1][0]
                out = []
                for key, idn, phone in rows:
                    if forward:
                        out.append((
                            encrypt(idn) if idn else idn, blind_index(idn) if idn else idn,
                            encrypt(phone) if phone else phone, blind_index(phone) if phone else phone,
                            key,
                        ))
                    else:
                        out.append((decrypt(idn) if idn else idn, None, decrypt(phone) if phone else phone, "", key))
                cursor.executemany(
                    f"UPDATE {q(table)} SET id_number = %s, id_number_index = %s, phone = %s, phone_index = %s "
                    f"WHERE {q(pk)} = %s",
                    out,
                )


def encrypt_rows(apps, schema_editor):  # type: ignore[no-untyped-def]
    _rewrite(schema_editor, forward=True)


def decrypt_rows(apps, schema_editor):  # type: ignore[no-untyped-def]
    _rewrite(schema_editor, forward=False)


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0005_historicalperson_path'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalperson',
            name='id_number_index',
            field=gongzhi.core.fields.BlindIndexField(db_index=True, null=True, source='id_number'),
        ),
        migrations.AddField(
            model_name='historicalperson',
            name='phone_index',
            field=gongzhi.core.fields.BlindIndexField(blank=True, db_index=True, default='', source='phone'),
        ),
        migrations.AddField(
            model_name='person',
            name='id_number_index',
            field=gongzhi.core.fields.BlindIndexField(null=True, source='id_number', unique=True),
        ),
        migrations.AddField(
            model_name='person',
            name='phone_index',
            field=gongzhi.core.fields.BlindIndexField(blank=True, db_index=True, default='', source='phone'),
        ),
        migrations.AlterField(
            model_name='historicalperson',
            name='id_number',
            field=gongzhi.core.fields.EncryptedCharField(blank=True, index_field='id_number_index', max_length=18, null=True, verbose_name='身份证号'),
        ),
        migrations.AlterField(
            model_name='historicalperson',
            name='phone',
            field=gongzhi.core.fields.EncryptedCharField(blank=True, default='', index_field='phone_index', max_length=20, verbose_name='手机号'),
        ),
        migrations.AlterField(
            model_name='person',
            name='id_number',
            field=gongzhi.core.fields.EncryptedCharField(blank=True, index_field='id_number_index', max_length=18, null=True, verbose_name='身份证号'),
        ),
        migrations.AlterField(
            model_name='person',
            name='phone',
            field=gongzhi.core.fields.EncryptedCharField(blank=True, default='', index_field='phone_index', max_length=20, verbose_name='手机号'),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows, elidable=False),
    ]
