"""The entity list's index on PostgreSQL: `(region_id, (id + 0))`, the order of a page.

`directory.listing.region_then_id` explains why the list orders by `id + 0` on PostgreSQL:
with one county in scope, `ORDER BY region_id DESC, id DESC` loses its region (a constant)
and the planner walks the primary key from the newest row instead of the `entity_region_id`
index. The primary key cannot give `id + 0` order; this index can, for one county, for
several (`region_id = ANY(…)` on the leading column keeps the index's order) and for the
whole directory. ANALYZE gathers the statistics of the new expression.

PostgreSQL only, like 0004: SQLite keeps ordering by the columns and uses `entity_region_id`.
"""

from django.db import migrations

NAME = "entity_region_listing"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {NAME} ON directory_entity (region_id, (id + 0))"
    )
    schema_editor.execute("ANALYZE directory_entity")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("directory", "0005_entity_region_id")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
