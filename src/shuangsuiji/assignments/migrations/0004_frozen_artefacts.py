"""The freeze record and the bundle move out of assignments_assignment into the append-only
artefact table (artefacts 0001), named by digest, so that no list or join of visits reads them.

Moving an assigned assignment's columns is an UPDATE its guard (0002) refuses, and SQLite
rebuilds the table when a column becomes NOT NULL (dropping its triggers with it, and refusing
to while the visits' and teams' triggers of 0003 name it): the guards of 0002 and 0003 are
lifted for this migration's own transaction and put back as they wrote them at the end, both
ways. The codec is written out here, not imported, so that this migration keeps doing what it
did.

PostgreSQL keeps a dropped column's bytes in each row until the row is rewritten, and a published
row never is: `VACUUM FULL assignments_assignment;` after migrating gives the space back
(`pg_column_size` of the demo's assignment rows: 25–37 KB before it, 290 bytes after)."""

import hashlib
import json
import zlib
from importlib import import_module

import django.db.models.deletion
from django.db import migrations, models

GUARDS = [
    import_module(f"shuangsuiji.assignments.migrations.{name}")
    for name in ("0002_assigned_is_immutable", "0003_teams_are_immutable")
]


def lift_guards(apps, schema_editor):
    for guard in reversed(GUARDS):
        guard.drop(apps, schema_editor)


def restore_guards(apps, schema_editor):
    for guard in GUARDS:
        guard.create(apps, schema_editor)


def _store(stored, kind: str, value: object) -> str:
    data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()
    stored.objects.bulk_create(
        [stored(digest=digest, kind=kind, size=len(data), content=zlib.compress(data, 1))],
        ignore_conflicts=True,
    )
    return digest


def _read(stored, digest: str) -> object:
    content = stored.objects.filter(pk=digest).values_list("content", flat=True).get()
    return json.loads(zlib.decompress(content))


def move_out(apps, schema_editor):
    assignments = apps.get_model("assignments", "Assignment")
    stored = apps.get_model("artefacts", "Artefact")
    for pk in assignments.objects.values_list("pk", flat=True):
        assignment = assignments.objects.only("freeze", "bundle").get(pk=pk)  # MBs each
        freeze = _store(stored, "assignment-freeze", assignment.freeze)
        bundle = None
        if assignment.bundle is not None:
            bundle = _store(stored, "assignment-bundle", assignment.bundle)
        assignments.objects.filter(pk=pk).update(
            freeze_artefact_id=freeze, bundle_artefact_id=bundle
        )


def move_back(apps, schema_editor):
    assignments = apps.get_model("assignments", "Assignment")
    stored = apps.get_model("artefacts", "Artefact")
    rows = assignments.objects.values_list("pk", "freeze_artefact_id", "bundle_artefact_id")
    for pk, freeze, bundle in rows:
        assignments.objects.filter(pk=pk).update(
            freeze=_read(stored, freeze),
            bundle=None if bundle is None else _read(stored, bundle),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("artefacts", "0001_initial"),
        ("assignments", "0003_teams_are_immutable"),
    ]

    operations = [
        migrations.RunPython(lift_guards, restore_guards),
        migrations.AddField(
            model_name="assignment",
            name="freeze_artefact",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="artefacts.artefact",
                verbose_name="冻结记录",
            ),
        ),
        migrations.AddField(
            model_name="assignment",
            name="bundle_artefact",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="artefacts.artefact",
                verbose_name="分派记录",
            ),
        ),
        migrations.RunPython(move_out, move_back),
        # a default first, so that putting the column back (backwards) fills existing rows
        migrations.AlterField(
            model_name="assignment", name="freeze", field=models.JSONField("冻结记录", default=dict)
        ),
        migrations.RemoveField(model_name="assignment", name="bundle"),
        migrations.RemoveField(model_name="assignment", name="freeze"),
        migrations.AlterField(
            model_name="assignment",
            name="freeze_artefact",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="artefacts.artefact",
                verbose_name="冻结记录",
            ),
        ),
        migrations.RunPython(restore_guards, lift_guards),
    ]
