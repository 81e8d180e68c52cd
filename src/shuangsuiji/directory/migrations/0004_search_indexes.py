"""Indexes for the directory pages at a million entities, on PostgreSQL only.

- trigram (pg_trgm, GIN) on the entity's name and pinyin initials: `LIKE '%鑫源%'` and
  `LIKE '%tjwj%'` use them instead of reading every row;
- varchar_pattern_ops on the industry code: `LIKE 'F52%'` uses a btree whatever the
  database's collation (the USCC's prefix search already has Django's own `_like` index);
- a trigram index on the inspector's name and initials would not pay: inspectors number in
  thousands.

They are not in the models' Meta because SQLite has neither pg_trgm nor operator classes;
SQLite scans, which is fast enough at a laptop's demo sizes. Django's PostgreSQL backend casts
the column to text in LIKE (`"name"::text LIKE ...`), which these indexes match, since the
cast from varchar to text is a relabelling.
"""

import logging

from django.db import DatabaseError, migrations, transaction

INDEXES = {
    "entity_name_trgm": "USING gin (name gin_trgm_ops)",
    "entity_initials_trgm": "USING gin (name_initials gin_trgm_ops)",
    "entity_industry_like": "(industry_code varchar_pattern_ops)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:  # in a savepoint: a refused CREATE EXTENSION must not abort the migration
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        trigram = True
    except DatabaseError as error:  # not installed, or the role may not create it (信创 servers)
        trigram = False
        logging.getLogger(__name__).warning(
            "pg_trgm unavailable (%s): name searches read every row; see docs/configuration.md",
            error,
        )
    for name, definition in INDEXES.items():
        if trigram or "gin_trgm_ops" not in definition:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON directory_entity {definition}"
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("directory", "0003_task_population_filter")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
