"""A published result is neither deleted nor set back (to returned, approved …), and what the
public sees of it — its visit (the entity), task, date, results and publication — does not
change; the internal fields (notes, follow-up, who recorded and reviewed) are not published and
stay as they are. There is no correction service yet, so no path changes a published result's
public part at all: a correction, when one is built, will be a new record that names the one
it corrects, as draws and assignments do.

Who published may become empty (the user deleted: SET NULL), never someone else. The results
table (which categories a result has) refuses updates and deletions
of a published result's rows; an added row is not refused (the demo writes a published result
and then its categories), see docs/security.md.

PostgreSQL also refuses TRUNCATE of either table while it holds a published result."""

from importlib import import_module

from django.db import migrations

GUARD = import_module("shuangsuiji.audit.migrations.0005_refuse_truncate")
MESSAGE = "published result is immutable: only its follow-up may change"
FROZEN = ("state", "visit_id", "task_id", "inspected_on", "published_at")
PEOPLE = ("published_by_id",)
PUBLISHED_RESULT = "(SELECT state FROM inspections_inspection WHERE id = {}) = 'published'"


def _changed(distinct: str) -> str:
    fields = [f"NEW.{f} {distinct} OLD.{f}" for f in FROZEN]
    people = [f"(NEW.{f} IS NOT NULL AND NEW.{f} {distinct} OLD.{f})" for f in PEOPLE]
    return "(" + " OR ".join(fields + people) + ")"


def _sqlite() -> list[str]:
    return [
        f"""CREATE TRIGGER inspections_inspection_no_update BEFORE UPDATE ON inspections_inspection
            WHEN OLD.state = 'published' AND {_changed("IS NOT")}
            BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
        f"""CREATE TRIGGER inspections_inspection_no_delete BEFORE DELETE ON inspections_inspection
            WHEN OLD.state = 'published'
            BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
        *(
            f"""CREATE TRIGGER inspections_inspection_results_no_{event}
                BEFORE {event.upper()} ON inspections_inspection_results
                WHEN {PUBLISHED_RESULT.format("OLD.inspection_id")}
                BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"""
            for event in ("update", "delete")
        ),
    ]


def _postgres() -> list[str]:
    return [
        f"""CREATE FUNCTION inspections_inspection_immutable() RETURNS trigger AS $$
            BEGIN
                IF OLD.state = 'published'
                    AND (TG_OP = 'DELETE' OR {_changed("IS DISTINCT FROM")}) THEN
                    RAISE EXCEPTION '{MESSAGE}';
                END IF;
                IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                RETURN NEW;
            END; $$ LANGUAGE plpgsql;""",
        """CREATE TRIGGER inspections_inspection_immutable
            BEFORE UPDATE OR DELETE ON inspections_inspection
            FOR EACH ROW EXECUTE FUNCTION inspections_inspection_immutable();""",
        f"""CREATE FUNCTION inspections_inspection_results_immutable() RETURNS trigger AS $$
            BEGIN
                IF {PUBLISHED_RESULT.format("OLD.inspection_id")} THEN
                    RAISE EXCEPTION '{MESSAGE}';
                END IF;
                IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                RETURN NEW;
            END; $$ LANGUAGE plpgsql;""",
        """CREATE TRIGGER inspections_inspection_results_immutable
            BEFORE UPDATE OR DELETE ON inspections_inspection_results
            FOR EACH ROW EXECUTE FUNCTION inspections_inspection_results_immutable();""",
        *GUARD.statements("inspections_inspection", "state = 'published'")[0],
        *GUARD.statements(
            "inspections_inspection_results", PUBLISHED_RESULT.format("guarded.inspection_id")
        )[0],
    ]


POSTGRES_REVERSE = [
    *GUARD.statements("inspections_inspection")[1],
    *GUARD.statements("inspections_inspection_results")[1],
    *(
        statement
        for table in ("inspections_inspection", "inspections_inspection_results")
        for statement in (
            f"DROP TRIGGER IF EXISTS {table}_immutable ON {table};",
            f"DROP FUNCTION IF EXISTS {table}_immutable();",
        )
    ),
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS {table}_no_{event};"
    for table in ("inspections_inspection", "inspections_inspection_results")
    for event in ("update", "delete")
]


def create(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for statement in _postgres() if postgres else _sqlite():
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for statement in POSTGRES_REVERSE if postgres else SQLITE_REVERSE:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0004_published_index"),
        ("audit", "0005_refuse_truncate"),
    ]
    operations = [migrations.RunPython(create, drop)]
