"""Profile one page on the province-scale database: its queries, slowest first.

    nice .venv/bin/python benchmarks/scale_profile.py city140100-coordinator /analysis/plans/12/

Run after `scale.py` has built ssj_scale (`--database` to name another). Each query is timed
as Django ran it (CaptureQueriesContext); `--explain N` prints EXPLAIN ANALYZE of the N slowest.
"""

import argparse
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    sys.path[:0] = [str(HERE.parent / "src"), str(HERE.parent)]
    parser = argparse.ArgumentParser()
    parser.add_argument("user")
    parser.add_argument("url")
    parser.add_argument("--database", default="ssj_scale")
    parser.add_argument("--top", type=int, default=8)
    parser.add_argument("--explain", type=int, default=0)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.database}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "shuangsuiji.settings"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("SHUANGSUIJI_DATA_DIR", "/tmp/ssj_scale_data")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from shuangsuiji.accounts.models import User

    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    client = Client()
    client.force_login(User.objects.get(username=args.user))
    client.get(args.url)  # warm
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(args.url)
        if getattr(response, "streaming", False):
            for _ in response.streaming_content:
                pass
        total = time.perf_counter() - started
    spent = sum(float(q["time"]) for q in queries.captured_queries)
    print(
        f"{response.status_code}: {total * 1000:.0f} ms, {len(queries)} queries, "
        f"{spent * 1000:.0f} ms in SQL"
    )
    slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))
    for query in slowest[: args.top]:
        print(f"{float(query['time']) * 1000:7.0f} ms  {query['sql'][:600]}")
    for query in slowest[: args.explain]:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
