"""The publicity system's result categories, as editable data."""

from django.db import migrations

from shuangsuiji.inspections.categories import load_categories


def seed(apps, schema_editor):
    load_categories(apps.get_model("inspections", "ResultCategory"))


def unseed(apps, schema_editor):
    apps.get_model("inspections", "ResultCategory").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
