"""Benchmark: building the demo directory, and bulk insert against Django's bulk_create.

Run by hand (results go to docs/benchmarks.md):

    .venv/bin/python benchmarks/demo_build.py --entities 500000 --baseline 100000

Each measurement runs in its own process on its own fresh SQLite database (DATABASE_URL unset),
so the ORM baseline and our insert path are measured on the same machine in the same run.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def measure(mode: str, count: int) -> float:
    """Seconds taken by one measurement, in a child process on a fresh SQLite database."""
    with tempfile.TemporaryDirectory() as data_dir:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(SHUANGSUIJI_DATA_DIR=data_dir, DJANGO_SETTINGS_MODULE="shuangsuiji.settings")
        output = subprocess.run(
            [sys.executable, __file__, "--child", mode, str(count)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    return float(json.loads(output.strip().splitlines()[-1])["seconds"])


def child(mode: str, count: int) -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from django.db import transaction

    from shuangsuiji.demo.build import build_demo
    from shuangsuiji.demo.catalog import LUCHENG
    from shuangsuiji.demo.entities import EntityFactory
    from shuangsuiji.directory.models import Entity, ScopeCategory
    from shuangsuiji.directory.records import NewEntity
    from shuangsuiji.directory.services import ensure_region_chain, insert_entities

    if mode == "demo":
        started = time.perf_counter()
        build_demo(entities_per_district=count)
        print(json.dumps({"seconds": time.perf_counter() - started}))
        return

    region = ensure_region_chain(LUCHENG.province, LUCHENG.city, LUCHENG.county)
    ids = {c.name: ScopeCategory.objects.create(name=c.name).pk for c in LUCHENG.categories}
    records = [
        NewEntity(
            uscc=e.uscc,
            name=e.name,
            name_initials=e.name_initials,
            legal_form=e.legal_form,
            legal_representative=e.legal_representative,
            address=e.address,
            region_id=region.pk,
            industry_code=e.industry_code,
            registered_capital=e.registered_capital,
            established_on=e.established_on,
            status=e.status,
            risk_class=e.risk_class,
            risk_classified_on=e.risk_classified_on,
            risk_source="",
            category_ids=tuple(ids[name] for name in e.categories),
        )
        for e in EntityFactory(LUCHENG, seed=1).make(count)
    ]
    started = time.perf_counter()
    with transaction.atomic():
        if mode == "insert":
            insert_entities(records)
        else:  # "bulk_create": the ORM's own bulk path, the baseline
            fields = [f for f in NewEntity._fields if f != "category_ids"]
            models = [Entity(**{f: getattr(r, f) for f in fields}) for r in records]
            Entity.objects.bulk_create(models, batch_size=2000)
            through = Entity.categories.through
            through.objects.bulk_create(
                (
                    through(entity_id=m.pk, scopecategory_id=c)
                    for m, r in zip(models, records, strict=True)
                    for c in r.category_ids
                ),
                batch_size=4000,
            )
    print(json.dumps({"seconds": time.perf_counter() - started}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entities", type=int, default=500_000, help="demo size per district")
    parser.add_argument("--baseline", type=int, default=100_000, help="rows for insert vs ORM")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]))
        return
    orm = measure("bulk_create", args.baseline)
    ours = measure("insert", args.baseline)
    print(
        f"insert {args.baseline} entities: bulk_create {orm:.2f}s, "
        f"insert_entities {ours:.2f}s, ratio {orm / ours:.2f}x"
    )
    demo = measure("demo", args.entities)
    total = 2 * args.entities
    print(
        f"demo build, {args.entities} per district ({total} entities): {demo:.1f}s "
        f"({total / demo:,.0f} entities/s)"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    main()
