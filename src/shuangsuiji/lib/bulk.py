"""Fast multi-row inserts for bulk loads (imports of a whole directory, the demo data set).

Django's bulk_create prepares every value through every field, which costs more than the
database does at a million rows; here the caller hands over rows already in database form and
one executemany per batch does the rest. Portable: the same SQL runs on SQLite and PostgreSQL.
"""

from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Any

from django.db import connection
from django.db.models import Model

BATCH_SIZE = 5_000
LOOKUP_CHUNK = 900  # under SQLite's default limit of 999 bound parameters


def insert_rows(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert rows (database-form values in `columns` order); the caller owns the transaction."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(column) for column in columns)
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"
    iterator = iter(rows)
    inserted = 0
    with connection.cursor() as cursor:
        while batch := list(islice(iterator, BATCH_SIZE)):
            cursor.executemany(sql, batch)
            inserted += len(batch)
    return inserted


def ids_by_key(model: type[Model], key: str, values: Sequence[str]) -> dict[str, int]:
    """Primary keys of rows found by a unique column, for rows inserted without returning ids."""
    found: dict[str, int] = {}
    manager = model._default_manager
    for start in range(0, len(values), LOOKUP_CHUNK):
        chunk = values[start : start + LOOKUP_CHUNK]
        found.update(manager.filter(**{f"{key}__in": chunk}).values_list(key, "pk"))
    return found
