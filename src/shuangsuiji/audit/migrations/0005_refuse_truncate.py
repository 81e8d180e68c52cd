"""PostgreSQL: TRUNCATE skips row triggers, so a statement trigger refuses it on the audit log
(and, through `statements`, on every table whose rows are guarded — the draws, assignments and
inspections migrations that follow use it). A table is refused only while it holds a guarded
row (`condition`), so truncating pending draws stays as possible as deleting them.

The one way through is Django's `flush` (tests between transactional tests, `demo --rebuild`):
the audit app's `flush` command sets `shuangsuiji.flush` for its own transaction. The database
owner can set it too, as it can drop any trigger: these guards stop an accident or a casual
edit, the published chain head (audit/anchor.py) is what finds a deliberate one.

SQLite has no TRUNCATE: its `DELETE FROM` without WHERE runs row triggers when a table has any."""

from django.db import migrations

FUNCTION = "shuangsuiji_refuse_truncate"
CREATE_FUNCTION = f"""CREATE FUNCTION {FUNCTION}() RETURNS trigger AS $$
    DECLARE refused boolean;
    BEGIN
        IF coalesce(current_setting('shuangsuiji.flush', true), '') = 'on' THEN
            RETURN NULL;
        END IF;
        EXECUTE format(
            'SELECT EXISTS (SELECT 1 FROM %I AS guarded WHERE %s)', TG_TABLE_NAME, TG_ARGV[0]
        ) INTO refused;
        IF refused THEN
            RAISE EXCEPTION '% holds published records: TRUNCATE refused', TG_TABLE_NAME;
        END IF;
        RETURN NULL;
    END; $$ LANGUAGE plpgsql;"""
DROP_FUNCTION = f"DROP FUNCTION IF EXISTS {FUNCTION}();"


def statements(table: str, condition: str = "TRUE") -> tuple[list[str], list[str]]:
    """(create, drop) for the BEFORE TRUNCATE trigger of `table`; `condition` selects the rows
    whose presence refuses it (SQL over the table's columns, which a subquery names as
    `guarded.column` so that a column of the subquery's own table cannot shadow them)."""
    name = f"{table}_no_truncate"
    create = [
        f"""CREATE TRIGGER {name} BEFORE TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}('{condition.replace("'", "''")}');"""
    ]
    return create, [f"DROP TRIGGER IF EXISTS {name} ON {table};"]


CREATE, DROP = statements("audit_auditentry")


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_FUNCTION, params=None)  # no placeholders: format's %I, %s
        for statement in CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in [*DROP, DROP_FUNCTION]:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_entry_hash_version")]
    operations = [migrations.RunPython(create, drop)]
