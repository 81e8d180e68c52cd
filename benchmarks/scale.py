"""Benchmark: every page of the permission matrix and the bulk actions at the scale of a province.

Run by hand (not in CI), PostgreSQL on 127.0.0.1:5432, user postgres, trust authentication:

    nice .venv/bin/python benchmarks/scale.py --write-docs     # builds ssj_scale, then measures
    nice .venv/bin/python benchmarks/scale.py --entities 1000000 --visits 50000 …   # smaller
    nice .venv/bin/python benchmarks/scale.py --requests 5 --only review,bulk   # some cases only

The database (`--database`, default ssj_scale) is built by `scale_build.py` and kept; a later
run with the same sizes reuses it, other sizes rebuild it. The pages and what each role may
open come from `tests/test_permission_matrix.py`, so the test dependencies must be installed.
`--write-docs` rewrites the results block of the "Province scale" section of
docs/benchmarks.md; the prose around it is written by hand.
"""

import argparse
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def main() -> None:
    sys.path[:0] = [str(HERE.parent / "src"), str(HERE.parent), str(HERE)]
    import scale_build

    defaults = scale_build.Sizes()
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="ssj_scale")
    for field, value in vars(defaults).items():
        parser.add_argument(f"--{field.replace('_', '-')}", type=int, default=value)
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--requests", type=int, default=30, help="measured requests per page")
    parser.add_argument(
        "--only",
        default="",
        help="only the cases whose label has one of these (comma-separated)",
    )
    parser.add_argument("--write-docs", action="store_true", help="rewrite the docs' table")
    args = parser.parse_args()
    sizes = scale_build.Sizes(**{f: getattr(args, f) for f in vars(defaults)})

    recorded = scale_build.recorded_sizes(ADMIN_URL, args.database)
    fresh = recorded != sizes.record()
    if fresh:
        say(f"building {args.database}: {sizes.record()}")
        scale_build.recreate_database(ADMIN_URL, args.database)
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.database}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "shuangsuiji.settings"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    # The matrix's scene saves an attachment: keep it (and the secret key) out of var/.
    os.environ.setdefault("SHUANGSUIJI_DATA_DIR", "/tmp/ssj_scale_data")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # Templates name static files; the production manifest exists only after collectstatic.
    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    settings.WHITENOISE_USE_FINDERS = True  # the static-file baseline, without collectstatic
    call_command("migrate", verbosity=0)  # a reused database meets the code's newer tables
    if fresh:
        started = time.perf_counter()
        say(f"load average before: {load()}")
        timings = scale_build.build(sizes, say)
        scale_build.mark_built(ADMIN_URL, args.database, sizes)
        for label, seconds in timings.items():
            say(f"  {label:<30} {seconds:7.1f} s")
        say(f"built in {time.perf_counter() - started:.0f} s; load average after: {load()}")
    else:
        say(f"reusing {args.database} ({recorded})")
    if args.build_only:
        return
    import scale_measure

    say(f"measuring, {args.requests} requests per case; load average: {load()}")
    report = scale_measure.run(args.requests, args.only, say)
    say(f"load average after: {load()}")
    if args.write_docs:
        scale_measure.write_docs(HERE.parent / "docs" / "benchmarks.md", report, sizes)
        say("docs/benchmarks.md: the results block of the Province scale section rewritten")


def load() -> str:
    return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())}] {message}", flush=True)


if __name__ == "__main__":
    main()
