"""A result's region is required and indexed with its state, and it follows its path: if a
plan's region, an assignment's plan, a visit's assignment or a result's visit is ever changed
(no service does; the admin could), database triggers rewrite the results' region in the
same statement, so the copy never drifts from visit → assignment → plan → region.

(A separate migration from 0006's fill: on PostgreSQL, altering the table in the transaction
that updated its foreign key column fails on the pending deferred checks.) SQLite rebuilds the
table when a column becomes NOT NULL and refuses to while 0005's triggers name it: they are
lifted for this migration's transaction and put back as 0005 wrote them, as assignments 0004
does with its guards."""

from importlib import import_module

from django.db import migrations, models
import django.db.models.deletion

GUARD = import_module("shuangsuiji.inspections.migrations.0005_published_is_immutable")


def lift_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        GUARD.drop(apps, schema_editor)


def restore_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        GUARD.create(apps, schema_editor)


PLAN_REGION = (
    "SELECT p.region_id FROM assignments_assignment a JOIN plans_plan p ON p.id = a.plan_id "
    "WHERE a.id = {}"
)
# table, column, the results it moves (a condition on inspections_inspection), their region
FOLLOWS = [
    (
        "plans_plan",
        "region_id",
        "visit_id IN (SELECT v.id FROM assignments_visit v JOIN assignments_assignment a "
        "ON a.id = v.assignment_id WHERE a.plan_id = NEW.id)",
        "NEW.region_id",
    ),
    (
        "assignments_assignment",
        "plan_id",
        "visit_id IN (SELECT id FROM assignments_visit WHERE assignment_id = NEW.id)",
        "(SELECT region_id FROM plans_plan WHERE id = NEW.plan_id)",
    ),
    (
        "assignments_visit",
        "assignment_id",
        "visit_id = NEW.id",
        f"({PLAN_REGION.format('NEW.assignment_id')})",
    ),
    (
        "inspections_inspection",
        "visit_id",
        "id = NEW.id",
        "(SELECT p.region_id FROM assignments_visit v JOIN assignments_assignment a "
        "ON a.id = v.assignment_id JOIN plans_plan p ON p.id = a.plan_id WHERE v.id = NEW.visit_id)",
    ),
]


def _name(table: str) -> str:
    return f"inspection_region_follows_{table}"


def create(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for table, column, moved, region in FOLLOWS:
        update = f"UPDATE inspections_inspection SET region_id = {region} WHERE {moved};"
        if postgres:
            schema_editor.execute(
                f"""CREATE FUNCTION {_name(table)}() RETURNS trigger AS $$
                    BEGIN {update} RETURN NEW; END; $$ LANGUAGE plpgsql;"""
            )
            schema_editor.execute(
                f"""CREATE TRIGGER {_name(table)} AFTER UPDATE OF {column} ON {table}
                    FOR EACH ROW WHEN (NEW.{column} IS DISTINCT FROM OLD.{column})
                    EXECUTE FUNCTION {_name(table)}();"""
            )
        else:
            schema_editor.execute(
                f"""CREATE TRIGGER {_name(table)} AFTER UPDATE OF {column} ON {table}
                    WHEN NEW.{column} IS NOT OLD.{column}
                    BEGIN {update} END;"""
            )


def drop(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for table, *_ in FOLLOWS:
        if postgres:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {_name(table)} ON {table};")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {_name(table)}();")
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {_name(table)};")


class Migration(migrations.Migration):
    dependencies = [("inspections", "0006_inspection_region")]

    operations = [
        migrations.RunPython(lift_guard, restore_guard),
        migrations.AlterField(
            model_name="inspection",
            name="region",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="directory.region",
                verbose_name="行政区划",
            ),
        ),
        migrations.AddIndex(
            model_name="inspection",
            index=models.Index(fields=["region", "state"], name="inspection_region_state"),
        ),
        migrations.RunPython(restore_guard, lift_guard),
        migrations.RunPython(create, drop),
    ]
