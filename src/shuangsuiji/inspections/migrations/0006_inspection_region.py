"""Each result carries its plan's region (`Inspection.region`), filled here from visit →
assignment → plan for the results already stored; 0007 makes it required, indexes it and
keeps it following that path."""

from importlib import import_module

import django.db.models.deletion
from django.db import migrations, models

GUARD = import_module("shuangsuiji.inspections.migrations.0005_published_is_immutable")

POSTGRES_FILL = """
    UPDATE inspections_inspection i SET region_id = p.region_id
    FROM assignments_visit v
    JOIN assignments_assignment a ON a.id = v.assignment_id
    JOIN plans_plan p ON p.id = a.plan_id
    WHERE v.id = i.visit_id
"""
SQLITE_FILL = """
    UPDATE inspections_inspection SET region_id = (
        SELECT p.region_id FROM assignments_visit v
        JOIN assignments_assignment a ON a.id = v.assignment_id
        JOIN plans_plan p ON p.id = a.plan_id
        WHERE v.id = inspections_inspection.visit_id
    )
"""


def lift_guard(apps, schema_editor):
    """Undoing the column rebuilds the table on SQLite, which refuses while 0005's triggers
    name it (as 0007 says): lifted for the reversal and put back after it."""
    if schema_editor.connection.vendor == "sqlite":
        GUARD.drop(apps, schema_editor)


def restore_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        GUARD.create(apps, schema_editor)


def fill(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    schema_editor.execute(POSTGRES_FILL if postgres else SQLITE_FILL)


class Migration(migrations.Migration):
    dependencies = [
        ("assignments", "0004_frozen_artefacts"),
        ("directory", "0011_check_item_lists"),
        ("inspections", "0005_published_is_immutable"),
        ("plans", "0006_task_class_ratios"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, restore_guard),
        migrations.AddField(
            model_name="inspection",
            name="region",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="directory.region",
                verbose_name="行政区划",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(migrations.RunPython.noop, lift_guard),
    ]
