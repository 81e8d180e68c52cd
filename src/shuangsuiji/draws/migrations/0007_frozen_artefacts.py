"""The population listing and the bundle move out of draws_draw into the append-only artefact
table (artefacts 0001), named by digest, so that no list or join reads them.

Moving a drawn draw's columns is an UPDATE its guard (0002) refuses, and SQLite rebuilds the
table when a column becomes NOT NULL (dropping its triggers with it): the guard is lifted for
this migration's own transaction and put back as 0002 wrote it at the end, both ways. The
codec is written out here, not imported, so that this migration keeps doing what it did.

PostgreSQL keeps a dropped column's bytes in each row until the row is rewritten, and a published
row never is: `VACUUM FULL draws_draw;` after migrating gives the space back
(`pg_column_size` of the demo's assignment rows: 25–37 KB before it, 290 bytes after)."""

import hashlib
import json
import zlib
from importlib import import_module

import django.db.models.deletion
from django.db import migrations, models

GUARD = import_module("shuangsuiji.draws.migrations.0002_drawn_is_immutable")


def _store(stored, kind: str, data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()
    stored.objects.bulk_create(
        [stored(digest=digest, kind=kind, size=len(data), content=zlib.compress(data, 1))],
        ignore_conflicts=True,
    )
    return digest


def _read(stored, digest: str) -> bytes:
    content = stored.objects.filter(pk=digest).values_list("content", flat=True).get()
    return zlib.decompress(content)


def move_out(apps, schema_editor):
    draws, stored = apps.get_model("draws", "Draw"), apps.get_model("artefacts", "Artefact")
    for pk in draws.objects.values_list("pk", flat=True):
        draw = draws.objects.only("population_csv", "bundle").get(pk=pk)  # one at a time: MBs
        population = _store(stored, "population", draw.population_csv.encode("utf-8"))
        bundle = None
        if draw.bundle is not None:
            text = json.dumps(draw.bundle, ensure_ascii=False, separators=(",", ":"))
            bundle = _store(stored, "draw-bundle", text.encode("utf-8"))
        draws.objects.filter(pk=pk).update(
            population_artefact_id=population, bundle_artefact_id=bundle
        )


def move_back(apps, schema_editor):
    draws, stored = apps.get_model("draws", "Draw"), apps.get_model("artefacts", "Artefact")
    rows = draws.objects.values_list("pk", "population_artefact_id", "bundle_artefact_id")
    for pk, population, bundle in rows:
        draws.objects.filter(pk=pk).update(
            population_csv=_read(stored, population).decode("utf-8"),
            bundle=None if bundle is None else json.loads(_read(stored, bundle)),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("artefacts", "0001_initial"),
        ("draws", "0006_substitution"),
    ]

    operations = [
        migrations.RunPython(GUARD.drop, GUARD.create),
        migrations.AddField(
            model_name="draw",
            name="population_artefact",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="artefacts.artefact",
                verbose_name="名单",
            ),
        ),
        migrations.AddField(
            model_name="draw",
            name="bundle_artefact",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="artefacts.artefact",
                verbose_name="抽取记录",
            ),
        ),
        migrations.RunPython(move_out, move_back),
        # a default first, so that putting the column back (backwards) fills existing rows
        migrations.AlterField(
            model_name="draw", name="population_csv", field=models.TextField("名单", default="")
        ),
        migrations.RemoveField(model_name="draw", name="bundle"),
        migrations.RemoveField(model_name="draw", name="population_csv"),
        migrations.AlterField(
            model_name="draw",
            name="population_artefact",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="artefacts.artefact",
                verbose_name="名单",
            ),
        ),
        migrations.RunPython(GUARD.create, GUARD.drop),
    ]
