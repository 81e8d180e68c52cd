"""The analysis of a plan's year, on a small year worked out by hand.

Two tasks: T1 (led by 甲局) drew A e1, B e2 e3, C e4 (reserve B e6); T2 (乙局) drew B e2, D e5.
Six selections make five visits (e2's two tasks merged). Results: e1/T1 approved 01; e2/T1
published 0201; e2/T2 approved 03; e3/T1 submitted 02 (not confirmed); e4/T1 approved 06;
e5/T2 approved 0203 + 0204. Teams: 甲 i1 ×3, i2 ×3, i4 ×1; 乙 i3 ×2, i5 ×1.
"""

from dataclasses import dataclass
from typing import Any

import pytest

from shuangsuiji.analysis.figures import plan_figures, trend
from shuangsuiji.artefacts.models import ArtefactKind
from shuangsuiji.artefacts.services import store_json, store_text
from shuangsuiji.assignments.models import Assignment, AssignmentState, TeamMember, Visit
from shuangsuiji.draws.models import Draw, DrawState
from shuangsuiji.inspections.models import Inspection, InspectionState, ResultCategory
from shuangsuiji.plans.models import Plan, PlanTask
from tests.factories import DepartmentFactory, EntityFactory, InspectorFactory, lucheng

pytestmark = pytest.mark.django_db

APPROVED, PUBLISHED, SUBMITTED = (
    InspectionState.APPROVED,
    InspectionState.PUBLISHED,
    InspectionState.SUBMITTED,
)


@dataclass
class Year:
    plan: Plan
    t1: PlanTask
    t2: PlanTask


def draw(task: PlanTask, strata: dict[str, list[Any]], reserve: dict[str, list[Any]]) -> None:
    rounds = [
        {
            "round": 1,
            "strata": {
                s: {"N": 10, "k": len(chosen), "selected": [e.uscc for e in chosen]}
                | {"reserve": [e.uscc for e in reserve.get(s, [])]}
                for s, chosen in strata.items()
            },
        }
    ]
    Draw.objects.create(
        task=task,
        number=1,
        draw_id=f"D-{task.pk}",
        state=DrawState.DRAWN,
        freeze={},
        population_artefact=store_text(ArtefactKind.POPULATION, ""),
        bundle_artefact=store_json(ArtefactKind.DRAW_BUNDLE, {"rounds": rounds}),
    )


@pytest.fixture
def year() -> Year:
    region = lucheng()
    plan = Plan.objects.create(title="潞城区2023年抽查计划", year=2023, region=region)
    jia, yi = DepartmentFactory(name="甲局"), DepartmentFactory(name="乙局")
    t1 = PlanTask.objects.create(plan=plan, position=1, name="T1", lead_department=jia)
    t2 = PlanTask.objects.create(plan=plan, position=2, name="T2", lead_department=yi)
    e1, e2, e3, e4, e5, e6 = (EntityFactory() for _ in range(6))
    draw(t1, {"A": [e1], "B": [e2, e3], "C": [e4]}, {"B": [e6]})
    draw(t2, {"B": [e2], "D": [e5]}, {})
    assignment = Assignment.objects.create(
        plan=plan,
        number=1,
        assignment_id="A-1",
        state=AssignmentState.ASSIGNED,
        freeze_artefact=store_json(ArtefactKind.ASSIGNMENT_FREEZE, {}),
    )
    i1, i2, i4 = (InspectorFactory(department=jia) for _ in range(3))
    i3, i5 = (InspectorFactory(department=yi) for _ in range(2))
    category = {c.code: c for c in ResultCategory.objects.all()}
    visits = {}
    for n, (entity, tasks, team) in enumerate(
        [
            (e1, [t1], [i1, i2]),
            (e2, [t1, t2], [i1, i3]),
            (e3, [t1], [i2, i4]),
            (e4, [t1], [i1, i2]),
            (e5, [t2], [i3, i5]),
        ]
    ):
        visit = Visit.objects.create(
            assignment=assignment,
            code=f"V{n}",
            entity=entity,
            window_start="2023-04",
            window_end="2023-09",
            lead_department=tasks[0].lead_department,
        )
        visit.tasks.set(tasks)
        for slot, inspector in enumerate(team):
            TeamMember.objects.create(
                visit=visit,
                slot=slot,
                inspector=inspector,
                department=inspector.department,
                role="组长" if slot == 0 else "组员",
            )
        visits[entity.pk] = visit
    for entity, task, state, codes in [
        (e1, t1, APPROVED, ["01"]),
        (e2, t1, PUBLISHED, ["0201"]),
        (e2, t2, APPROVED, ["03"]),
        (e3, t1, SUBMITTED, ["02"]),
        (e4, t1, APPROVED, ["06"]),
        (e5, t2, APPROVED, ["0203", "0204"]),
    ]:
        inspection = Inspection.objects.create(visit=visits[entity.pk], task=task, state=state)
        inspection.results.set([category[c] for c in codes])
    return Year(plan, t1, t2)


def test_the_overview_counts_tasks_merging_and_findings(year: Year) -> None:
    f = plan_figures(year.plan)

    assert (f.tasks, f.drawn, f.completed) == (2, 2, 1)  # T1 still has e3 under review
    assert (f.selections, f.visits, f.merged_away) == (6, 5, 1)
    assert (f.confirmed, f.findings.hits) == (5, 4)
    assert f.findings.value == pytest.approx(0.8)


def test_findings_by_risk_class_use_the_class_drawn_from_with_an_interval(year: Year) -> None:
    f = plan_figures(year.plan)
    rows = {c.code: (c.findings.hits, c.findings.total) for c in f.by_class}
    b = next(c for c in f.by_class if c.code == "B")

    assert rows == {"A": (0, 1), "B": (2, 2), "C": (1, 1), "D": (1, 1)}  # no 未分类 row
    assert b.findings.low == pytest.approx(0.3424, abs=1e-4)
    assert b.findings.high == 1.0


def test_sub_results_count_once_towards_their_parent(year: Year) -> None:
    counts = {c.code: c.count for c in plan_figures(year.plan).categories if c.count}

    assert counts == {"01": 1, "02": 2, "0201": 1, "0203": 1, "0204": 1, "03": 1, "06": 1}


def test_departments_and_inspector_workload(year: Year) -> None:
    f = plan_figures(year.plan)
    departments = {
        d.name: (d.tasks, d.drawn, d.completed, d.confirmed, d.findings.hits) for d in f.departments
    }
    workload = {w.department: (w.inspectors, w.places, w.fewest, w.most) for w in f.workload}

    assert departments == {"甲局": (1, 1, 0, 3, 2), "乙局": (1, 1, 1, 2, 2)}
    assert workload == {"甲局": (3, 7, 1, 3), "乙局": (2, 3, 1, 2)}


def test_the_trend_lists_each_year_of_the_region(year: Year) -> None:
    Plan.objects.create(title="潞城区2022年抽查计划", year=2022, region=year.plan.region)

    rows = [(y.plan.year, y.confirmed, y.findings.hits) for y in trend(year.plan)]

    assert rows == [(2022, 0, 0), (2023, 5, 4)]


def test_a_department_sees_the_tasks_it_leads(year: Year) -> None:
    jia = year.t1.lead_department
    f = plan_figures(year.plan, jia)

    assert (f.tasks, f.drawn, f.completed) == (1, 1, 0)
    assert (f.selections, f.visits) == (4, 4)  # e1, e2 (merged with T2, counted once), e3, e4
    assert (f.confirmed, f.findings.hits) == (3, 2)
    assert {c.code: c.findings.total for c in f.by_class} == {"A": 1, "B": 1, "C": 1, "D": 0}
    assert [(w.department, w.inspectors, w.places) for w in f.workload] == [("甲局", 3, 7)]


def test_the_page_narrows_to_a_department(year: Year) -> None:
    from django.test import Client

    from tests.analysis.test_feedback import coordinator

    client = Client()
    client.force_login(coordinator())
    jia = year.t1.lead_department
    url = f"/analysis/plans/{year.plan.pk}/"

    whole, narrowed = client.get(url), client.get(url, {"department": jia.pk})

    assert whole.context["figures"].confirmed == 5
    assert narrowed.context["figures"].confirmed == 3
    assert narrowed.context["department"] == jia
