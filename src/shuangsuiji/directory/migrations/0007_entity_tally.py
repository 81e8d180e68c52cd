"""The directory tally (`directory.tally`) and the triggers that say when it is stale.

Every statement that adds or removes entities or category tags, or changes an entity's
region, status, risk class or industry code, adds one to `DirectoryChanges.changes`. The
triggers are in the database so that no path can forget them: the ORM, `insert_entities`'
bulk inserts, the admin, a DBA's SQL. PostgreSQL's statement triggers count once per
transaction: a transaction-local setting remembers the bump (tested in the trigger's WHEN),
since a bulk insert sends one statement per row and updating one row 50,000 times in a
transaction costs quadratic time (each update walks the row's earlier versions).
`tally.rebuild` clears the setting, so a change after a rebuild in the same transaction
counts again. SQLite has only row triggers and counts rows whose values change; it updates
the row in place. On SQLite a later migration that rebuilds `directory_entity` drops its
triggers: `tests/directory/test_tally.py` fails if they are missing.
"""

import django.db.models.deletion
from django.db import migrations, models

WATCHED = "region_id, status, risk_class, industry_code"
BUMP = "UPDATE directory_directorychanges SET changes = changes + 1"
BUMPED = "shuangsuiji.directory_changed"  # `directory.tally.BUMPED` clears it
# Tested in the trigger's WHEN, not in the function: calling PL/pgSQL for each statement of a
# bulk insert would cost more than the insert's other triggers and indexes.
NOT_YET = f"current_setting('{BUMPED}', true) IS DISTINCT FROM '1'"

POSTGRESQL = [
    f"""CREATE OR REPLACE FUNCTION directory_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM set_config('{BUMPED}', '1', true);
        {BUMP};
        RETURN NULL;
    END $$""",
    f"""CREATE TRIGGER entity_tally_entities
    AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF {WATCHED} ON directory_entity
    FOR EACH STATEMENT WHEN ({NOT_YET}) EXECUTE FUNCTION directory_changed()""",
    f"""CREATE TRIGGER entity_tally_categories
    AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE ON directory_entity_categories
    FOR EACH STATEMENT WHEN ({NOT_YET}) EXECUTE FUNCTION directory_changed()""",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS entity_tally_entities ON directory_entity",
    "DROP TRIGGER IF EXISTS entity_tally_categories ON directory_entity_categories",
    "DROP FUNCTION IF EXISTS directory_changed()",
]
CHANGED = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in WATCHED.split(", "))
SQLITE = {
    "entity_tally_insert": f"AFTER INSERT ON directory_entity BEGIN {BUMP}; END",
    "entity_tally_delete": f"AFTER DELETE ON directory_entity BEGIN {BUMP}; END",
    "entity_tally_update": (
        f"AFTER UPDATE OF {WATCHED} ON directory_entity WHEN {CHANGED} BEGIN {BUMP}; END"
    ),
    "entity_tally_tag_insert": f"AFTER INSERT ON directory_entity_categories BEGIN {BUMP}; END",
    "entity_tally_tag_delete": f"AFTER DELETE ON directory_entity_categories BEGIN {BUMP}; END",
    "entity_tally_tag_update": f"AFTER UPDATE ON directory_entity_categories BEGIN {BUMP}; END",
}


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in POSTGRESQL:
            schema_editor.execute(statement)
    elif vendor == "sqlite":
        for name, body in SQLITE.items():
            schema_editor.execute(f"CREATE TRIGGER {name} {body}")
    apps.get_model("directory", "DirectoryChanges").objects.create(changes=0)
    apps.get_model("directory", "TallyStamp").objects.create()


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in POSTGRESQL_DROP:
            schema_editor.execute(statement)
    elif vendor == "sqlite":
        for name in SQLITE:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0006_entity_region_listing"),
    ]

    operations = [
        migrations.CreateModel(
            name="DirectoryChanges",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("changes", models.BigIntegerField(default=0, verbose_name="变更次数")),
            ],
            options={
                "verbose_name": "名录变更计数",
                "verbose_name_plural": "名录变更计数",
            },
        ),
        migrations.CreateModel(
            name="TallyStamp",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("tallied", models.BigIntegerField(null=True)),
                ("requested", models.BigIntegerField(null=True)),
                ("tallied_at", models.DateTimeField(null=True)),
            ],
            options={
                "verbose_name": "名录汇总状态",
                "verbose_name_plural": "名录汇总状态",
            },
        ),
        migrations.CreateModel(
            name="EntityTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("status", models.CharField(max_length=4)),
                ("risk_class", models.CharField(blank=True, max_length=1)),
                ("industry_code", models.CharField(blank=True, max_length=5)),
                ("category_key", models.TextField(blank=True)),
                ("capital_from", models.DecimalField(decimal_places=2, max_digits=14, null=True)),
                ("entities", models.PositiveIntegerField()),
                (
                    "region",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="directory.region",
                    ),
                ),
            ],
            options={
                "verbose_name": "名录汇总",
                "verbose_name_plural": "名录汇总",
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
