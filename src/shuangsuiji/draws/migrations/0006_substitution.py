"""Substitutions: an append-only table beside the frozen draw. The database refuses any
update or deletion of a row (and, on PostgreSQL, a TRUNCATE of the table while it holds one),
as it refuses them for a drawn draw (0002, 0005): a published substitution is corrected by
nobody, a wrong one stays on record."""

from importlib import import_module

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MESSAGE = "substitutions are append-only"
TABLE = "draws_substitution"
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
    dependencies = [
        ("draws", "0005_refuse_truncate"),
        ("audit", "0005_refuse_truncate"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Substitution",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveIntegerField(verbose_name="第几次替补")),
                ("round", models.PositiveSmallIntegerField(verbose_name="轮次")),
                ("stratum", models.CharField(max_length=1, verbose_name="分层")),
                ("replaced", models.CharField(max_length=64, verbose_name="被替换主体")),
                ("replacement", models.CharField(max_length=64, verbose_name="替补主体")),
                ("reason", models.CharField(max_length=200, verbose_name="替补原因")),
                ("recorded_at", models.DateTimeField(auto_now_add=True, verbose_name="登记时间")),
                (
                    "draw",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="substitutions",
                        to="draws.draw",
                        verbose_name="抽取",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="登记人",
                    ),
                ),
            ],
            options={
                "verbose_name": "替补",
                "verbose_name_plural": "替补",
                "ordering": ["draw", "number"],
                "constraints": [
                    models.UniqueConstraint(fields=("draw", "number"), name="substitution_number"),
                    models.UniqueConstraint(
                        fields=("draw", "round", "stratum", "replaced"), name="substituted_once"
                    ),
                ],
            },
        ),
        migrations.RunPython(create, drop),
    ]
