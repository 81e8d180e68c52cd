"""The measurements of `benchmarks/scale.py`: every page of the permission matrix as the role
that uses it, the same pages as the province's coordinator, the big city objects, and the bulk
actions (publishing 10,000 results, the review queue's filters and bulk decisions).

Pages are requested with Django's test Client in this process (every middleware, the session,
the permission checks and the template; no network, no gunicorn), each case `requests` times
after two unmeasured requests; a case whose first request takes over 3 s is measured 5 times.
Everything that writes runs in a transaction rolled back afterwards, so the database is the
same for the next run: the matrix's scene (`tests.test_permission_matrix.scene`, which adds a
draw job, an attachment and an entity import), each publication and each review.
"""

import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TARGET_MS = 300
SLOW_FIRST_S = 3.0
SLOW_REPEATS = 5
PUBLISHED = 10_000
REPEATS = 3  # each bulk action, median taken

# The role a page is for when several may open it (else the first of the matrix's columns,
# coordinator → department admin → inspector → auditor, that gets the page).
USED_BY = {
    "assignments:mine": "lucheng-inspector",
    "assignments:visit": "lucheng-inspector",
    "assignments:sheet": "lucheng-inspector",
    "inspections:visit": "lucheng-inspector",
    "inspections:notice": "lucheng-inspector",
    "inspections:attachment": "lucheng-inspector",
    "directory:inspector": "lucheng-inspector",
    "plans:task_edit (lead department)": "lucheng-dept-admin",
    "audit": "lucheng-auditor",
    "analysis:latest": "lucheng-auditor",
}
PROVINCE = "province-coordinator"
CITY = "city140100-coordinator"


@dataclass
class Row:
    section: str
    label: str
    user: str
    times: list[float]
    status: int | str = 200

    @property
    def p50(self) -> float:
        return statistics.median(self.times)

    @property
    def p95(self) -> float:
        ordered = sorted(self.times)
        return ordered[max(0, round(len(ordered) * 0.95) - 1)]


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sizes: dict[str, int] = field(default_factory=dict)
    load: list[str] = field(default_factory=list)


Say = Callable[[str], None]


def run(requests: int, only: str, say: Say) -> Report:
    from django.db import transaction

    report = Report(sizes=_sizes())
    report.load.append(_load())
    say(", ".join(f"{k} {v:,}" for k, v in report.sizes.items()))
    with transaction.atomic():
        _pages(report, requests, only, say)
        transaction.set_rollback(True)
    report.load.append(_load())
    if not only or _chosen("bulk", only):
        _bulk(report, say)
    report.load.append(_load())
    return report


def _chosen(label: str, only: str) -> bool:
    """Whether `label` has one of the comma-separated parts of --only."""
    return any(part and part in label for part in only.split(","))


def _load() -> str:
    import os

    return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def _sizes() -> dict[str, int]:
    from django.db import connection

    tables = {
        "entities": "directory_entity",
        "regions": "directory_region",
        "inspectors": "directory_inspector",
        "plans": "plans_plan",
        "tasks": "plans_plantask",
        "draws": "draws_draw",
        "visits": "assignments_visit",
        "team members": "assignments_teammember",
        "results": "inspections_inspection",
        "users": "accounts_user",
        "audit entries": "audit_auditentry",
    }
    with connection.cursor() as cursor:
        sizes = {}
        for label, table in tables.items():
            cursor.execute(f"SELECT count(*) FROM {table}")
            sizes[label] = cursor.fetchone()[0]
    return sizes


def _time(call: Callable[[], Any], requests: int) -> list[float]:
    started = time.perf_counter()
    call()
    if time.perf_counter() - started > SLOW_FIRST_S:
        requests = SLOW_REPEATS
    else:
        call()
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return times


def _line(row: Row) -> str:
    flag = "" if row.p95 < TARGET_MS else "  MISSED"
    return (
        f"  {row.label[:52]:<52} {row.user[:24]:<24} p50 {row.p50:7.1f}  p95 {row.p95:7.1f}"
        f"  max {max(row.times):7.1f} ms  [{row.status}]{flag}"
    )


def _clients() -> Callable[[str | None], Any]:
    from django.test import Client

    from shuangsuiji.accounts.models import User

    made: dict[str | None, Any] = {}

    def client(username: str | None) -> Any:
        if username not in made:
            made[username] = Client()
            if username:
                made[username].force_login(User.objects.get(username=username))
        return made[username]

    return client


def _measure(
    report: Report, section: str, label: str, user: str | None, url: str, requests: int, say: Say
) -> None:
    """Time GET `url` as `user`. A streamed download (the open-data files) is timed to its
    first chunk here, and read whole once by `_download`."""
    client = _clients_cache(user)
    status: list[int] = []

    def get() -> None:
        if label == "health":
            _beat()  # a worker is alive, as in production
        response = client.get(url)
        if getattr(response, "streaming", False) and "first chunk" in label:
            next(iter(response.streaming_content))  # not closed: that ends the connection
        elif getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        status.append(response.status_code)

    row = Row(section, label, user or "anonymous", _time(get, requests))
    row.status = status[-1]
    report.rows.append(row)
    say(_line(row))


def _beat() -> None:
    from django.utils import timezone

    from shuangsuiji.operations import heartbeat

    heartbeat.beat("scale-benchmark", timezone.now())


def _download(report: Report, label: str, url: str, say: Say) -> None:
    """One whole streamed download: seconds and rows, beside the first-chunk times."""
    client = _clients_cache(None)
    started = time.perf_counter()
    response = client.get(url)
    lines = sum(chunk.count(b"\n") for chunk in response.streaming_content)
    row = Row("download", f"{label}: the whole file, {lines:,} lines", "anonymous", [])
    row.times.append((time.perf_counter() - started) * 1000)
    report.rows.append(row)
    say(_line(row))


_CLIENT: dict[str, Callable[[str | None], Any]] = {}


def _clients_cache(user: str | None) -> Any:
    if "get" not in _CLIENT:
        _CLIENT["get"] = _clients()
    return _CLIENT["get"](user)


def _pages(report: Report, requests: int, only: str, say: Say) -> None:
    from django.db import connection
    from django.urls import reverse

    from tests.test_permission_matrix import MATRIX, USERS, scene, urls

    pages = urls(scene())
    coordinator = USERS.index("lucheng-coordinator")

    def select_one() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")

    baseline = Row("baseline", "SELECT 1 (the database round trip)", "—", _time(select_one, 100))
    report.rows.append(baseline)
    say(_line(baseline))
    _measure(
        report, "baseline", "login page (a template, no query)", None, reverse("login"), 100, say
    )
    _measure(
        report,
        "baseline",
        "a static file (/static/css/site.css)",
        None,
        "/static/css/site.css",
        100,
        say,
    )
    for page, url in pages.items():
        statuses = MATRIX[page]
        usable = [USERS[i] for i, s in enumerate(statuses) if s in (200, 302) and USERS[i]]
        if not usable and statuses[0] != 200:
            report.notes.append(f"{page}: write-only (POST), not timed as a page")
            continue
        user = USED_BY.get(page) or (None if statuses[0] == 200 else usable[0])
        if only and not _chosen(page, only):
            continue
        label = f"{page} (first chunk)" if page == "disclosure:results_data" else page
        _measure(report, "matrix", label, user, url, requests, say)
        if page == "disclosure:results_data":
            _download(report, page, url, say)
        if user is not None and statuses[coordinator] in (200, 302):
            _measure(report, "province", page, PROVINCE, url, requests, say)
    for label, url in _city_pages().items():
        if only and not _chosen(label, only):
            continue
        _measure(report, "city", label, CITY, url, requests, say)


def _city_pages() -> dict[str, str]:
    """The biggest objects the province holds: a city's plan (its tasks, the 45,000 results
    of its 18,000 visits), and the review queue filtered every way. The city's assignment page
    is not among them: it replays the bundle, and the bulk assignments have placeholders."""
    from django.urls import reverse

    from shuangsuiji.accounts.models import User
    from shuangsuiji.plans.models import Plan

    plan = Plan.objects.get(source_filename="scale.py", region__code="140100")
    task = plan.tasks.order_by("position").first()
    recorder = User.objects.get(username="city140100-dept-admin")
    review = reverse("inspections:review")
    return {
        "home (city)": reverse("home"),
        "plans:list (city)": reverse("plans:list"),
        "plans:detail (city plan)": reverse("plans:detail", args=[plan.pk]),
        "plans:export csv (city plan)": reverse("plans:export", args=[plan.pk, "csv"]),
        "plans:task (city task)": reverse("plans:task", args=[task.pk]),
        "plans:task_history (city task)": reverse("plans:task_history", args=[task.pk]),
        "analysis:plan (city plan)": reverse("analysis:plan", args=[plan.pk]),
        "analysis:risk (city plan)": reverse("analysis:risk", args=[plan.pk]),
        "analysis:report xlsx (city plan)": reverse("analysis:report", args=[plan.pk, "xlsx"]),
        "disclosure:plan (city plan)": reverse("disclosure:plan", args=[plan.pk]),
        "publication (city)": reverse("publication"),
        "directory:entities (city)": reverse("directory:entities"),
        "directory:inspectors (city)": reverse("directory:inspectors"),
        "audit (city)": reverse("audit"),
        "review queue (city)": review,
        "review queue, page 40": f"{review}?page=40",
        "review queue, one task": f"{review}?task={task.pk}",
        "review queue, lead department": f"{review}?department={task.lead_department_id}",
        "review queue, recorder": f"{review}?recorder={recorder.pk}",
        "review queue, submitted in June": (
            f"{review}?submitted_from=2024-06-01&submitted_to=2024-06-30"
        ),
        "review queue, task + recorder + dates": (
            f"{review}?task={task.pk}&recorder={recorder.pk}"
            "&submitted_from=2024-01-01&submitted_to=2024-12-31"
        ),
    }


def _bulk(report: Report, say: Say) -> None:
    """Publishing 10,000 results and bulk review, each in a transaction rolled back, beside
    the bare UPDATE of the same rows (no check, no lock, no audit entry) as the baseline."""
    from django.db import transaction
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from shuangsuiji.accounts.models import User
    from shuangsuiji.audit.recorder import acting_as
    from shuangsuiji.disclosure.services import publish
    from shuangsuiji.inspections.models import Inspection, InspectionState
    from shuangsuiji.inspections.services import review_many

    coordinator = User.objects.get(username=CITY)
    mine = Inspection.objects.filter(
        task__plan__source_filename="scale.py", task__plan__region__code="140100"
    ).order_by("pk")
    approved = list(mine.filter(state="approved").values_list("pk", flat=True)[:PUBLISHED])
    submitted = list(mine.filter(state="submitted").values_list("pk", flat=True)[:1000])

    def rolled_back(action: Callable[[], object]) -> float:
        with transaction.atomic():
            started = time.perf_counter()
            action()
            seconds = time.perf_counter() - started
            transaction.set_rollback(True)
        return seconds

    def bare(ids: list[int], **values: object) -> Callable[[], object]:
        return lambda: Inspection.objects.filter(pk__in=ids).update(**values)

    def publishing() -> None:
        with acting_as(coordinator):
            assert publish(Inspection.objects.filter(pk__in=approved), actor=coordinator) == len(
                approved
            )

    def reviewing(ids: list[int], approve: bool) -> Callable[[], object]:
        def act() -> None:
            chosen = list(
                Inspection.objects.filter(pk__in=ids).select_related("visit__entity", "task")
            )
            with acting_as(coordinator):
                review_many(chosen, actor=coordinator, approve=approve, reason="材料不全，请补充")

        return act

    client = Client()
    client.force_login(coordinator)

    def page_post(ids: list[int]) -> Callable[[], object]:
        def post() -> None:
            response = client.post(
                reverse("inspections:review"), {"action": "approve", "chosen": ids, "query": ""}
            )
            assert response.status_code == 302, response.status_code

        return post

    now = timezone.now()
    cases = [
        (
            f"bare UPDATE of {len(approved):,} results to published (baseline)",
            bare(
                approved,
                state=InspectionState.PUBLISHED,
                published_at=now,
                published_by=coordinator,
            ),
        ),
        (f"publish {len(approved):,} results in one step", publishing),
        (
            f"bare UPDATE of {len(submitted[:50])} results to approved (baseline)",
            bare(submitted[:50], state=InspectionState.APPROVED, reviewed_by=coordinator),
        ),
        ("review_many: approve 50 (a page of the queue)", reviewing(submitted[:50], True)),
        ("review_many: return 50 with a reason", reviewing(submitted[:50], False)),
        ("POST the review queue: approve 50 ticked", page_post(submitted[:50])),
        (
            f"bare UPDATE of {len(submitted):,} results to approved (baseline)",
            bare(submitted, state=InspectionState.APPROVED, reviewed_by=coordinator),
        ),
        (f"review_many: approve {len(submitted):,}", reviewing(submitted, True)),
    ]
    for label, action in cases:
        repeats = 1 if "review_many: approve 1," in label else REPEATS  # a minute each
        times = [rolled_back(action) * 1000 for _ in range(repeats)]
        row = Row("bulk", label, CITY, times)
        report.rows.append(row)
        runs = ", ".join(f"{t / 1000:.2f}" for t in times)
        say(f"  {label:<60} median {row.p50 / 1000:6.2f} s  (runs: {runs})")


BEGIN = "<!-- scale.py results: written by benchmarks/scale.py --write-docs -->"
END = "<!-- /scale.py results -->"


def write_docs(path: Path, report: Report, sizes: Any) -> None:
    """Replace the block between the markers in the Province scale section (add both if
    absent) with this run's tables."""
    text = path.read_text()
    block = f"{BEGIN}\n{render(report)}\n{END}"
    if BEGIN in text:
        text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n## Province scale — `benchmarks/scale.py`\n\n" + block + "\n"
    path.write_text(text)


def render(report: Report) -> str:
    day = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    out = [
        f"Run of {day}; load average (1, 5, 15 min) before the pages {report.load[0]}, after them "
        f"{report.load[1]}, after the bulk actions {report.load[-1]}.",
        "",
        "| table | rows |",
        "| --- | ---: |",
        *(f"| {label} | {count:,} |" for label, count in report.sizes.items()),
        "",
    ]
    titles = {
        "baseline": "Baselines (same run)",
        "matrix": "Every page of the permission matrix, as the role that uses it (潞城区)",
        "province": "The same pages as the province's coordinator (山西省: everything in scope)",
        "city": "The city's objects, as 太原市's coordinator",
        "download": "Open data downloaded whole, once",
    }
    baseline = next((r for r in report.rows if r.label.startswith("login page")), None)
    for section, title in titles.items():
        rows = [r for r in report.rows if r.section == section]
        if not rows:
            continue
        out += [
            f"**{title}**",
            "",
            "| page | user | n | p50 ms | p95 ms | ÷ login page p95 | status |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for row in rows:
            compared = baseline and section != "baseline"
            ratio = f"{row.p95 / baseline.p95:.0f}×" if compared else ""  # type: ignore[union-attr]
            p95 = f"**{row.p95:.0f}**" if row.p95 >= TARGET_MS else f"{row.p95:.0f}"
            out.append(
                f"| `{row.label}` | {row.user} | {len(row.times)} | {row.p50:.0f} | {p95} | "
                f"{ratio} | {row.status} |"
            )
        out.append("")
    bulk = [r for r in report.rows if r.section == "bulk"]
    if bulk:
        out += [
            "**Bulk actions** (each in a transaction rolled back; median of "
            f"{REPEATS}, as 太原市's coordinator)",
            "",
            "| action | median s | runs s |",
            "| --- | ---: | --- |",
            *(
                f"| {r.label} | {r.p50 / 1000:.2f} | "
                f"{', '.join(f'{t / 1000:.2f}' for t in r.times)} |"
                for r in bulk
            ),
            "",
        ]
    slowest = sorted(
        (r for r in report.rows if r.section not in ("bulk", "baseline")), key=lambda r: -r.p95
    )
    out.append(
        "Slowest pages by p95: "
        + "; ".join(f"`{r.label}` ({r.user}) {r.p95:.0f} ms" for r in slowest[:8])
        + "."
    )
    if report.notes:
        out += ["", "Not timed: " + "; ".join(report.notes) + "."]
    return "\n".join(out)
