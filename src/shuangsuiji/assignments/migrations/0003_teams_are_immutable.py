"""Once their assignment is assigned, its visits (with their departments and tasks) and team
members are neither updated nor deleted — except the one change a recusal makes: a member's
inspector becomes the replacement a recorded recusal names for that visit and slot (and the
department becomes the replacement's). Rows are still inserted after the state changes (the
lay-out runs in the same transaction), so an added row is not refused here: the visit page
checks its rows against the bundle (assignments/integrity.py).

PostgreSQL also refuses TRUNCATE of every guarded table while it holds a guarded row (TRUNCATE
skips row triggers): assignments, recusals, visits, their departments and tasks, team members."""

from importlib import import_module

from django.db import migrations

GUARD = import_module("shuangsuiji.audit.migrations.0005_refuse_truncate")
MESSAGE = "published assignment is immutable: make a new assignment that supersedes it"

ASSIGNED = "(SELECT state FROM assignments_assignment WHERE id = {}) = 'assigned'"
VISIT_ASSIGNED = (
    "(SELECT a.state FROM assignments_assignment a JOIN assignments_visit v"
    " ON v.assignment_id = a.id WHERE v.id = {}) = 'assigned'"
)
# The update a recusal makes (assignments.services.record_recusal), and nothing else.
RECUSAL = """(NEW.id = OLD.id AND NEW.visit_id = OLD.visit_id AND NEW.slot = OLD.slot
    AND NEW.role = OLD.role AND NEW.qualification = OLD.qualification
    AND NEW.department_id = (
        SELECT department_id FROM directory_inspector WHERE id = NEW.inspector_id)
    AND EXISTS (SELECT 1 FROM assignments_recusal r WHERE r.visit_id = OLD.visit_id
        AND r.slot = OLD.slot AND r.inspector_id = OLD.inspector_id
        AND r.replacement_id = NEW.inspector_id))"""

# table -> (condition on OLD refusing a DELETE, one refusing an UPDATE)
GUARDED = {
    "assignments_visit": (ASSIGNED.format("OLD.assignment_id"),) * 2,
    "assignments_visit_departments": (VISIT_ASSIGNED.format("OLD.visit_id"),) * 2,
    "assignments_visit_tasks": (VISIT_ASSIGNED.format("OLD.visit_id"),) * 2,
    "assignments_teammember": (
        VISIT_ASSIGNED.format("OLD.visit_id"),
        f"{VISIT_ASSIGNED.format('OLD.visit_id')} AND NOT {RECUSAL}",
    ),
}
# table -> the rows whose presence refuses a TRUNCATE
TRUNCATE = {
    "assignments_assignment": "state = 'assigned'",
    "assignments_recusal": "TRUE",
    "assignments_visit": ASSIGNED.format("guarded.assignment_id"),
    "assignments_visit_departments": VISIT_ASSIGNED.format("guarded.visit_id"),
    "assignments_visit_tasks": VISIT_ASSIGNED.format("guarded.visit_id"),
    "assignments_teammember": VISIT_ASSIGNED.format("guarded.visit_id"),
}


def _sqlite(table: str, on_delete: str, on_update: str) -> list[str]:
    return [
        f"""CREATE TRIGGER {table}_no_{event} BEFORE {event.upper()} ON {table}
            WHEN {condition}
            BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"""
        for event, condition in (("delete", on_delete), ("update", on_update))
    ]


def _postgres(table: str, on_delete: str, on_update: str) -> list[str]:
    return [
        f"""CREATE FUNCTION {table}_immutable() RETURNS trigger AS $$
            BEGIN
                IF TG_OP = 'DELETE' THEN
                    IF {on_delete} THEN RAISE EXCEPTION '{MESSAGE}'; END IF;
                    RETURN OLD;
                END IF;
                IF {on_update} THEN RAISE EXCEPTION '{MESSAGE}'; END IF;
                RETURN NEW;
            END; $$ LANGUAGE plpgsql;""",
        f"""CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION {table}_immutable();""",
    ]


def create(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    build = _postgres if postgres else _sqlite
    for table, (on_delete, on_update) in GUARDED.items():
        for statement in build(table, on_delete, on_update):
            schema_editor.execute(statement)
    if postgres:
        for table, condition in TRUNCATE.items():
            for statement in GUARD.statements(table, condition)[0]:
                schema_editor.execute(statement)


def drop(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for table in GUARDED:
        if postgres:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_immutable ON {table};")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_immutable();")
        else:
            for event in ("update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{event};")
    if postgres:
        for table, condition in TRUNCATE.items():
            for statement in GUARD.statements(table, condition)[1]:
                schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("assignments", "0002_assigned_is_immutable"),
        ("audit", "0005_refuse_truncate"),
        ("directory", "0008_import_confirm_when_checked"),
    ]
    operations = [migrations.RunPython(create, drop)]
