"""A drawn draw can be neither updated nor deleted: triggers in the database itself."""

from django.db import migrations

MESSAGE = "published draw is immutable: make a new draw that supersedes it"

SQLITE = [
    f"""CREATE TRIGGER draws_draw_no_update BEFORE UPDATE ON draws_draw
        WHEN OLD.state = 'drawn'
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
    f"""CREATE TRIGGER draws_draw_no_delete BEFORE DELETE ON draws_draw
        WHEN OLD.state = 'drawn'
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS draws_draw_no_update;",
    "DROP TRIGGER IF EXISTS draws_draw_no_delete;",
]
POSTGRES = [
    f"""CREATE FUNCTION draws_draw_immutable() RETURNS trigger AS $$
        BEGIN
            IF OLD.state = 'drawn' THEN
                RAISE EXCEPTION '{MESSAGE}';
            END IF;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER draws_draw_immutable BEFORE UPDATE OR DELETE ON draws_draw
        FOR EACH ROW EXECUTE FUNCTION draws_draw_immutable();""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS draws_draw_immutable ON draws_draw;",
    "DROP FUNCTION IF EXISTS draws_draw_immutable();",
]


def create(apps, schema_editor):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for statement in statements:
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    statements = (
        POSTGRES_REVERSE if schema_editor.connection.vendor == "postgresql" else SQLITE_REVERSE
    )
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("draws", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
