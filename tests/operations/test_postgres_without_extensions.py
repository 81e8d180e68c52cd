"""The PostgreSQL path on a server that lacks what the platform merely prefers
(docs/configuration.md, 信创 databases): pg_trgm (the name search's trigram indexes) and
lz4 (the large columns' compression). Both are optional: the migrations pass, the indexes
and the compression are left out, and the platform answers.

The server here has both, so their absence is made real for one role: it may not create
extensions in its database (pg_trgm is a trusted extension: CREATE on the database is what it
needs), and its search path puts a `pg_settings` without `default_toast_compression` before
the catalog's, which is how a PostgreSQL 13 server, or one built without lz4, answers.
"""

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="PostgreSQL's extensions; SQLite has none",
    ),
]


def psql(sql: str, database: str = "postgres") -> str:
    """`sql` as the test's superuser, outside the test's connection."""
    settings = connection.settings_dict
    server = ["-h", settings["HOST"], "-p", str(settings["PORT"]), "-U", settings["USER"]]
    result = subprocess.run(
        ["psql", *server, "-d", database, "-qtA", "-v", "ON_ERROR_STOP=1", "-c", sql],
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip()


@pytest.fixture
def bare_database() -> Iterator[str]:
    """A database URL whose role can neither create pg_trgm nor see lz4."""
    name = f"ssj_bare_{os.getpid()}"
    psql(f"DROP DATABASE IF EXISTS {name}")
    psql(f"DROP ROLE IF EXISTS {name}")
    psql(f"CREATE ROLE {name} LOGIN")
    psql(f"CREATE DATABASE {name}")  # owned by the superuser: the role has no CREATE on it
    psql(
        f"GRANT USAGE, CREATE ON SCHEMA public TO {name};"
        " CREATE SCHEMA older_server;"
        " CREATE VIEW older_server.pg_settings AS SELECT * FROM pg_catalog.pg_settings"
        "  WHERE name <> 'default_toast_compression';"
        f" GRANT USAGE ON SCHEMA older_server TO {name};"
        f" GRANT SELECT ON older_server.pg_settings TO {name};"
        f" ALTER ROLE {name} IN DATABASE {name} SET search_path = public, older_server, pg_catalog",
        name,
    )
    settings = connection.settings_dict
    try:
        yield f"postgres://{name}@{settings['HOST']}:{settings['PORT']}/{name}"
    finally:
        psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        psql(f"DROP ROLE IF EXISTS {name}")


def run(program: list[str], url: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "DATABASE_URL": url, "SHUANGSUIJI_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, *program], env=environment, capture_output=True, text=True
    )


HEALTH_AND_SEARCH = """
import django, json, os
os.environ["DJANGO_SETTINGS_MODULE"] = "shuangsuiji.settings"
django.setup()
from shuangsuiji.directory.models import Entity
from shuangsuiji.operations.health import database, migrations
print(json.dumps([database()["ok"], migrations()["ok"],
                  Entity.objects.filter(name__contains="鑫源").count()]))
"""


def test_migrations_pass_and_the_platform_answers_without_pg_trgm_and_lz4(
    bare_database: str, tmp_path: Path
) -> None:
    name = bare_database.rsplit("/", 1)[1]
    migrated = run(["-m", "shuangsuiji", "migrate", "--no-input"], bare_database, tmp_path)

    assert migrated.returncode == 0, migrated.stderr[-2000:]
    assert "pg_trgm unavailable" in migrated.stderr
    extensions = psql("SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'", name)
    indexes = psql(
        "SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes"
        " WHERE indexname IN ('entity_name_trgm', 'entity_initials_trgm', 'entity_industry_like')",
        name,
    )
    compression = psql(
        "SELECT count(*) FROM pg_attribute WHERE attcompression = 'l'"
        " AND attrelid IN ('draws_draw'::regclass, 'assignments_assignment'::regclass)",
        name,
    )
    assert (extensions, indexes, compression) == ("0", "entity_industry_like", "0")
    answered = run(
        ["-c", HEALTH_AND_SEARCH],
        bare_database,
        tmp_path,
    )
    assert (answered.returncode, answered.stdout.strip()) == (0, "[true, true, 0]"), answered.stderr
