"""PostgreSQL: TRUNCATE of draws_draw (directly or by CASCADE from a task or plan) is refused
while it holds a drawn draw, as deleting one row is (0002)."""

from importlib import import_module

from django.db import migrations

GUARD = import_module("shuangsuiji.audit.migrations.0005_refuse_truncate")
CREATE, DROP = GUARD.statements("draws_draw", "state = 'drawn'")


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("draws", "0004_draw_job"), ("audit", "0005_refuse_truncate")]
    operations = [migrations.RunPython(create, drop)]
