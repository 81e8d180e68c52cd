"""The regions both seed plans need (GB/T 2260); more are added in the admin or by import."""

from django.db import migrations

REGIONS = [
    ("140000", "山西省", "province", None),
    ("140400", "长治市", "city", "140000"),
    ("140406", "潞城区", "county", "140400"),
    ("140500", "晋城市", "city", "140000"),
    ("140502", "城区", "county", "140500"),
]


def seed_regions(apps, schema_editor):
    Region = apps.get_model("directory", "Region")
    for code, name, level, parent_code in REGIONS:
        parent = Region.objects.get(code=parent_code) if parent_code else None
        Region.objects.update_or_create(
            code=code, defaults={"name": name, "level": level, "parent": parent}
        )


def remove_regions(apps, schema_editor):
    Region = apps.get_model("directory", "Region")
    for code, *_ in reversed(REGIONS):
        Region.objects.filter(code=code, entity__isnull=True, departments__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(seed_regions, remove_regions)]
