"""The products vocabulary (主要产品), as data: a county adds its own rows."""

from django.db import migrations

PRODUCTS = [
    ("grain", "粮食"),
    ("oil", "油料"),
    ("veg", "蔬菜"),
    ("fruit", "果品"),
    ("tea", "茶叶"),
    ("herb", "中药材"),
    ("fungi", "食用菌"),
    ("flower", "花卉苗木"),
    ("livestock", "畜禽"),
    ("aqua", "水产"),
    ("machinery", "农机服务"),
    ("tourism", "休闲农业"),
]


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    Product = apps.get_model("agribiz", "Product")
    Product.objects.bulk_create([Product(code=c, name=n) for c, n in PRODUCTS], ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("agribiz", "0001_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
