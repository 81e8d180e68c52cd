"""Entries written before they named a region get the region of their record where it still
exists; then the table becomes append-only in the database itself: updates are refused
everywhere, deletions on PostgreSQL (SQLite's flush deletes row by row; its tables hold demo
and development data, and the chain still finds a removed entry)."""

from django.db import migrations
from django.db.models import BigIntegerField, OuterRef, Subquery
from django.db.models.functions import Cast

# Each audited model's path to its region when this migration was written (REGION_LOOKUP).
REGION_PATHS = {
    "accounts.user": "department__region",
    "assignments.assignment": "plan__region",
    "assignments.recusal": "assignment__plan__region",
    "assignments.teammember": "visit__assignment__plan__region",
    "assignments.visit": "assignment__plan__region",
    "directory.checkitem": "department__region",
    "directory.conflict": "inspector__department__region",
    "directory.department": "region",
    "directory.departmentalias": "region",
    "directory.entity": "region",
    "directory.entityimport": "created_by__department__region",
    "directory.inspector": "department__region",
    "directory.region": "pk",
    "draws.draw": "task__plan__region",
    "draws.drawjob": "task__plan__region",
    "inspections.attachment": "inspection__visit__assignment__plan__region",
    "inspections.inspection": "visit__assignment__plan__region",
    "plans.plan": "region",
    "plans.plantask": "plan__region",
}

MESSAGE = "audit log is append-only"
SQLITE = [
    f"""CREATE TRIGGER audit_auditentry_no_update BEFORE UPDATE ON audit_auditentry
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS audit_auditentry_no_update;"]
POSTGRES = [
    f"""CREATE FUNCTION audit_auditentry_append_only() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER audit_auditentry_append_only BEFORE UPDATE OR DELETE ON audit_auditentry
        FOR EACH ROW EXECUTE FUNCTION audit_auditentry_append_only();""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_auditentry_append_only ON audit_auditentry;",
    "DROP FUNCTION IF EXISTS audit_auditentry_append_only();",
]


def backfill(apps, schema_editor):
    entry_model = apps.get_model("audit", "AuditEntry")
    for label, path in REGION_PATHS.items():
        model = apps.get_model(*label.split("."))
        record = model._base_manager.filter(pk=Cast(OuterRef("object_id"), BigIntegerField()))
        entry_model.objects.filter(model=label, region__isnull=True).update(
            region_id=Subquery(record.values(path)[:1])
        )


def lock(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for statement in POSTGRES if postgres else SQLITE:
        schema_editor.execute(statement)


def unlock(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for statement in POSTGRES_REVERSE if postgres else SQLITE_REVERSE:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_entry_region"),
        ("accounts", "0001_initial"),
        ("assignments", "0002_assigned_is_immutable"),
        ("directory", "0007_entity_tally"),
        ("draws", "0004_draw_job"),
        ("inspections", "0004_published_index"),
        ("plans", "0004_task_population_filter"),
    ]
    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(lock, unlock),
    ]
