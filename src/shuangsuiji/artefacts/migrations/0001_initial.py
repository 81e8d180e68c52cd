"""Frozen artefacts: an append-only table. The database refuses any update or deletion of a
row (and, on PostgreSQL, a TRUNCATE of the table while it holds one), as it does for
substitutions (draws 0006): a digest recorded in a published draw, an assignment or the audit
chain always finds the same bytes. On PostgreSQL the already-compressed content is stored
without TOAST compressing it again."""

from importlib import import_module

from django.db import migrations, models

MESSAGE = "frozen artefacts are append-only"
TABLE = "artefacts_artefact"
SQLITE = [
    f"""CREATE TRIGGER {TABLE}_no_{event} BEFORE {event.upper()} ON {TABLE}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"""
    for event in ("update", "delete")
]
SQLITE_REVERSE = [f"DROP TRIGGER IF EXISTS {TABLE}_no_{event};" for event in ("update", "delete")]
TRUNCATE, NO_TRUNCATE = import_module(
    "shuangsuiji.audit.migrations.0005_refuse_truncate"
).statements(TABLE)
POSTGRES = [
    f"ALTER TABLE {TABLE} ALTER COLUMN content SET STORAGE EXTERNAL;",
    f"""CREATE FUNCTION {TABLE}_append_only() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql;""",
    f"""CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only();""",
    *TRUNCATE,
]
POSTGRES_REVERSE = [
    *NO_TRUNCATE,
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE};",
    f"DROP FUNCTION IF EXISTS {TABLE}_append_only();",
]


def create(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for statement in POSTGRES if postgres else SQLITE:
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for statement in POSTGRES_REVERSE if postgres else SQLITE_REVERSE:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    initial = True

    dependencies = [("audit", "0005_refuse_truncate")]

    operations = [
        migrations.CreateModel(
            name="Artefact",
            fields=[
                (
                    "digest",
                    models.CharField(
                        max_length=64, primary_key=True, serialize=False, verbose_name="SHA-256"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("population", "抽取名单"),
                            ("draw-bundle", "抽取记录"),
                            ("assignment-freeze", "分派冻结记录"),
                            ("assignment-bundle", "分派记录"),
                        ],
                        max_length=20,
                        verbose_name="类型",
                    ),
                ),
                ("size", models.PositiveBigIntegerField(verbose_name="字节数（未压缩）")),
                ("content", models.BinaryField(verbose_name="内容（zlib 压缩）")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="保存时间")),
            ],
            options={
                "verbose_name": "冻结文件",
                "verbose_name_plural": "冻结文件",
                "base_manager_name": "objects",
            },
        ),
        migrations.RunPython(create, drop),
    ]
