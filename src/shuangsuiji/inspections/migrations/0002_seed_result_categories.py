"""The publicity system's result categories, as editable data."""

from django.db import migrations

from shuangsuiji.inspections.categories import RESULT_CATEGORIES


def seed(apps, schema_editor):
    category = apps.get_model("inspections", "ResultCategory")
    made = {}
    for code, name, parent, finding, follow_up, alone in RESULT_CATEGORIES:
        made[code] = category.objects.create(
            code=code,
            name=name,
            parent=made.get(parent),
            is_finding=finding,
            needs_follow_up=follow_up,
            stands_alone=alone,
        )


def unseed(apps, schema_editor):
    apps.get_model("inspections", "ResultCategory").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
