"""An assigned assignment and every recusal are neither updated nor deleted: database
triggers, as for drawn draws. Only the laid-out visits and team rows follow recusals."""

from django.db import migrations

MESSAGE = "published assignment is immutable: make a new assignment that supersedes it"
GUARDED = {  # table -> condition on OLD under which a change is refused
    "assignments_assignment": "OLD.state = 'assigned'",
    "assignments_recusal": "1 = 1",
}


def _sqlite(table: str, condition: str) -> list[str]:
    return [
        f"""CREATE TRIGGER {table}_no_{event} BEFORE {event.upper()} ON {table}
            WHEN {condition}
            BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"""
        for event in ("update", "delete")
    ]


def _postgres(table: str, condition: str) -> list[str]:
    return [
        f"""CREATE FUNCTION {table}_immutable() RETURNS trigger AS $$
            BEGIN
                IF {condition} THEN
                    RAISE EXCEPTION '{MESSAGE}';
                END IF;
                IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                RETURN NEW;
            END; $$ LANGUAGE plpgsql;""",
        f"""CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION {table}_immutable();""",
    ]


def create(apps, schema_editor):
    build = _postgres if schema_editor.connection.vendor == "postgresql" else _sqlite
    for table, condition in GUARDED.items():
        for statement in build(table, condition):
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


class Migration(migrations.Migration):
    dependencies = [("assignments", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
