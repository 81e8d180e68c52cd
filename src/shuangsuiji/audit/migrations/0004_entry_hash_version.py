"""Entries name their hash rule: none for those written before (the region outside the hash),
2 for new ones (the region inside). A nullable column, so SQLite adds it without rebuilding the
table (a rebuild would drop its append-only trigger) and existing entries keep rule 1. The
index on `at` serves the published daily heads."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_backfill_region_append_only")]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="version",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="摘要规则"),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["at"], name="audit_at"),
        ),
    ]
