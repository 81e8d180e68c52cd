"""Every service that writes, called directly as each actor: the rule inside the service
decides, so a page, the API, a command and the admin that reach it are refused alike.

The table says, per service and per actor (`ACTORS` order), whether the service's rule lets
the actor through (PASS) or raises PermissionDenied (REFUSED). Each call runs in a savepoint
rolled back afterwards, so every actor meets the same records (demo data). A call that passes
the rule may still stop at a later check of the data (a step out of order, a duplicate):
that is PASS here, for what is tested is who, not what.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from shuangsuiji.accounts.models import User
from shuangsuiji.accounts.permissions import SYSTEM
from shuangsuiji.analysis.feedback import decide, make_proposals
from shuangsuiji.analysis.models import RiskProposal
from shuangsuiji.assignments.models import Assignment, TeamMember
from shuangsuiji.assignments.services import (
    complete_assignment,
    freeze_assignment,
    record_recusal,
)
from shuangsuiji.core.draw import commitment
from shuangsuiji.core.plans.parse import parse_plan
from shuangsuiji.demo.build import SEEDS, build_demo
from shuangsuiji.directory.inspector_import import import_inspectors
from shuangsuiji.directory.services import import_entities_file
from shuangsuiji.disclosure.services import publish
from shuangsuiji.draws.models import Draw
from shuangsuiji.draws.services import add_commitment, add_reveal, complete_draw, freeze_draw
from shuangsuiji.draws.substitutions import substitute
from shuangsuiji.inspections.models import FollowUp, Inspection, InspectionState
from shuangsuiji.inspections.services import (
    attach,
    close_follow_up,
    inspections_of,
    record,
    review,
    submit,
)
from shuangsuiji.plans.models import Plan, PlanTask
from shuangsuiji.plans.services import import_plan, save_population, update_task

pytestmark = pytest.mark.django_db

ACTORS = [
    None,  # anonymous
    "lucheng-coordinator",
    "lucheng-dept-admin",  # 区教育局: leads the task below and takes part in its draw
    "lucheng-inspector",  # of 区教育局, on the team of the visit below
    "lucheng-auditor",
    "chengqu-coordinator",  # another district
    "chengqu-inspector",
]
PASS, REFUSED = "pass", "refused"
SECRET = "5e" * 16
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

RULES: dict[str, list[str]] = {
    # service                anon     coord  dept     insp     audit    other    other-insp
    "import_plan": [REFUSED, PASS, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED],
    "update_task": [REFUSED, PASS, PASS, REFUSED, REFUSED, REFUSED, REFUSED],
    "update_task (new lead)": [REFUSED, PASS, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED],
    "save_population": [REFUSED, PASS, PASS, REFUSED, REFUSED, REFUSED, REFUSED],
    "freeze_draw": [REFUSED, PASS, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED],
    "add_commitment (区教育局)": [REFUSED, REFUSED, PASS, REFUSED, REFUSED, REFUSED, REFUSED],
    "add_commitment (区市场监管局)": [REFUSED, PASS, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED],
    "add_reveal (区教育局)": [REFUSED, REFUSED, PASS, REFUSED, REFUSED, REFUSED, REFUSED],
    "complete_draw": [REFUSED, PASS, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED],
    "substitute": [REFUSED, PASS, PASS, REFUSED, REFUSED, REFUSED, REFUSED],  # 区教育局 leads
    "freeze_assignment": [REFUSED, PASS, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED],
    "complete_assignment": [REFUSED, PASS, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED],
    "record_recusal": [REFUSED, PASS, PASS, PASS, REFUSED, REFUSED, REFUSED],
    "record": [REFUSED, PASS, REFUSED, PASS, REFUSED, REFUSED, REFUSED],
    "submit": [REFUSED, PASS, REFUSED, PASS, REFUSED, REFUSED, REFUSED],
    "attach": [REFUSED, PASS, REFUSED, PASS, REFUSED, REFUSED, REFUSED],
    "review": [REFUSED, PASS, PASS, REFUSED, REFUSED, REFUSED, REFUSED],
    "review (own record)": [REFUSED, REFUSED, PASS, REFUSED, REFUSED, REFUSED, REFUSED],
    "close_follow_up": [REFUSED, PASS, PASS, REFUSED, REFUSED, REFUSED, REFUSED],
    "publish": [REFUSED, PASS, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED],
    "make_proposals": [REFUSED, PASS, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED],
    "decide": [REFUSED, PASS, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED],
    # Another district's coordinator may import, into its own region: a 潞城区 row is then
    # refused by row, column and value (tests/directory/test_import_scope.py).
    "import_entities_file": [REFUSED, PASS, REFUSED, REFUSED, REFUSED, PASS, REFUSED],
    "import_inspectors": [REFUSED, PASS, PASS, REFUSED, REFUSED, REFUSED, REFUSED],
}


@dataclass
class Scene:
    """潞城区 records each service acts on, prepared by the system before any actor tries."""

    plan: Plan
    task: PlanTask  # led by 区教育局, not drawn
    ceremony: Draw  # frozen, 区教育局 and 区市场监管局 committed
    plain: Draw  # frozen, no commitments
    assignment: Assignment
    member: TeamMember
    inspection: Inspection  # of the inspector's visit, task led by 区教育局
    submitted: Inspection  # submitted by its team, task led by 区教育局
    recorded: Inspection  # submitted, recorded by the coordinator
    followed: Inspection  # approved with an open follow-up, task led by 区教育局
    approved: Inspection
    drawn: Draw  # of a task 区教育局 leads, with a reserve in its first round


def scene() -> Scene:
    coordinator = User.objects.get(username="lucheng-coordinator")
    education = User.objects.get(username="lucheng-dept-admin").department
    inspector = User.objects.get(username="lucheng-inspector")
    plan = Plan.objects.get(region__code="140406")
    drawn = plan.tasks.order_by("position").first()
    categories = list(drawn.scope_categories.all())  # type: ignore[union-attr]
    undrawn = []
    for number in (91, 92, 93):  # every task of the demo's plan is drawn: three new ones
        task = PlanTask.objects.create(
            plan=plan,
            position=number,
            seq=number,
            name=f"新增任务{number}",
            ratio_min=Decimal("0.1"),
            lead_department=education,
        )
        task.scope_categories.set(categories)
        undrawn.append(task)
    task, for_ceremony, for_plain = undrawn
    ceremony = freeze_draw(for_ceremony, actor=SYSTEM)
    for party in ("区教育局", "区市场监管局"):
        secret_commitment = commitment(ceremony.draw_id, party, SECRET)
        add_commitment(ceremony, actor=SYSTEM, party=party, commitment=secret_commitment)
    visits = inspector.inspector.memberships.order_by("visit__code")  # type: ignore[union-attr]
    member = visits.first()
    inspection = inspections_of(member.visit)[0]
    PlanTask.objects.filter(pk=inspection.task_id).update(lead_department=education)
    others = Inspection.objects.filter(task__plan=plan).exclude(
        visit__members__inspector=inspector.inspector_id
    )
    submitted, recorded = others.filter(state=InspectionState.SUBMITTED)[:2]
    Inspection.objects.filter(pk=recorded.pk).update(recorded_by=coordinator)
    Inspection.objects.filter(pk=submitted.pk).update(recorded_by=None)
    PlanTask.objects.filter(pk__in=[submitted.task_id, recorded.task_id]).update(
        lead_department=education
    )
    followed = others.filter(state=InspectionState.APPROVED).first()
    Inspection.objects.filter(pk=followed.pk).update(follow_up=FollowUp.OPEN)
    PlanTask.objects.filter(pk=followed.task_id).update(lead_department=education)
    approved = others.filter(state=InspectionState.APPROVED).exclude(pk=followed.pk).first()
    drawn = next(
        d
        for d in Draw.objects.filter(task__plan=plan, state="drawn").order_by("task__position")
        if any(s["reserve"] for s in d.bundle["rounds"][0]["strata"].values())  # type: ignore[index]
    )
    PlanTask.objects.filter(pk=drawn.task_id).update(lead_department=education)
    return Scene(
        plan=plan,
        task=PlanTask.objects.get(pk=task.pk),
        ceremony=ceremony,
        plain=freeze_draw(for_plain, actor=SYSTEM),
        assignment=plan.assignments.order_by("-number").first(),
        member=member,
        inspection=Inspection.objects.get(pk=inspection.pk),
        submitted=Inspection.objects.get(pk=submitted.pk),
        recorded=Inspection.objects.get(pk=recorded.pk),
        followed=Inspection.objects.get(pk=followed.pk),
        approved=approved,
        drawn=Draw.objects.get(pk=drawn.pk),
    )


def entity_file() -> bytes:
    rows = ["统一社会信用代码,名称,行政区划代码", "91140406MA0L0X0X1L,潞城区新开张五金店,140406"]
    return "\n".join(rows).encode()


def inspector_file() -> bytes:
    return (
        "姓名,部门,执法证号,有效期起,有效期止,资格,状态\n"
        "新来的,区教育局,14040699001,2025-01-01,2029-12-31,,在岗\n"
    ).encode()


def calls(at: Scene) -> dict[str, Callable[[Any], Any]]:
    parsed = parse_plan((SEEDS / "lucheng-2023-plan.txt").read_bytes(), "lucheng-2023-plan.txt")
    education = at.task.lead_department
    return {
        "import_plan": lambda actor: import_plan(
            parsed, filename="计划.txt", region=at.plan.region, year=2031, actor=actor
        ),
        "update_task": lambda actor: update_task(
            fresh(at.task), actor=actor, changes={"note": "改"}
        ),
        "update_task (new lead)": lambda actor: update_task(
            fresh(at.task),
            actor=actor,
            changes={"lead_department": at.plan.region.departments.get(is_coordinator=True)},
        ),
        "save_population": lambda actor: save_population(
            fresh(at.task),
            actor=actor,
            categories=[],
            regions=[],
            industry_codes=["H61"],
            statuses=[],
            min_capital=None,
        ),
        "freeze_draw": lambda actor: freeze_draw(fresh(at.task), actor=actor),
        "add_commitment (区教育局)": lambda actor: add_commitment(
            fresh(at.plain), actor=actor, party=str(education), commitment="ab" * 32
        ),
        "add_commitment (区市场监管局)": lambda actor: add_commitment(
            fresh(at.plain), actor=actor, party="区市场监管局", commitment="cd" * 32
        ),
        "add_reveal (区教育局)": lambda actor: add_reveal(
            fresh(at.ceremony), actor=actor, party="区教育局", secret=SECRET
        ),
        "complete_draw": lambda actor: complete_draw(
            fresh(at.plain), actor=actor, public_value="1 2 3 4 5 6", public_source="掷骰"
        ),
        "substitute": lambda actor: substitute(
            fresh(at.drawn), replaced=substitutable_code(at.drawn), reason="已注销", actor=actor
        ),
        "freeze_assignment": lambda actor: freeze_assignment(fresh(at.plan), actor=actor),
        "complete_assignment": lambda actor: complete_assignment(
            fresh(at.assignment), actor=actor, public_value="1 2 3", public_source="掷骰"
        ),
        "record_recusal": lambda actor: record_recusal(
            fresh(at.member), actor=actor, reason="亲属"
        ),
        "record": lambda actor: record(
            fresh(at.inspection), actor=actor, results=[], inspected_on=None
        ),
        "submit": lambda actor: submit(fresh(at.inspection), actor=actor),
        "attach": lambda actor: attach(
            fresh(at.inspection), SimpleUploadedFile("现场.png", PNG), actor=actor
        ),
        "review": lambda actor: review(
            fresh(at.submitted), actor=actor, approve=False, reason="补充"
        ),
        "review (own record)": lambda actor: review(fresh(at.recorded), actor=actor, approve=True),
        "close_follow_up": lambda actor: close_follow_up(
            fresh(at.followed), actor=actor, note="已整改"
        ),
        "publish": lambda actor: publish(Inspection.objects.filter(pk=at.approved.pk), actor=actor),
        "make_proposals": lambda actor: make_proposals(fresh(at.plan), actor=actor),
        "decide": lambda actor: decide(
            fresh(at.plan), RiskProposal.objects.filter(plan=at.plan), apply=False, actor=actor
        ),
        "import_entities_file": lambda actor: import_entities_file(
            io.BytesIO(entity_file()), "名录.csv", actor=actor
        ),
        "import_inspectors": lambda actor: import_inspectors(
            io.BytesIO(inspector_file()), "人员.csv", actor=actor, region=at.plan.region
        ),
    }


def substitutable_code(draw: Draw) -> str:
    """The first entity selected in a class of the first round that has a reserve."""
    strata = draw.bundle["rounds"][0]["strata"]  # type: ignore[index]
    return str(next(data["selected"][0] for data in strata.values() if data["reserve"]))


def fresh(record: Any) -> Any:
    """The record as the database has it: a service may change the instance it was given,
    and the savepoint's rollback does not undo that."""
    return type(record).objects.get(pk=record.pk)


def outcome(call: Callable[[Any], Any], actor: Any) -> str:
    with transaction.atomic():
        try:
            call(actor)
        except PermissionDenied:
            return REFUSED
        except ValueError:  # every service's own refusal of the data: the rule let it through
            return PASS
        finally:
            transaction.set_rollback(True)
    return PASS


def test_every_writing_service_refuses_each_actor_outside_its_rule() -> None:
    build_demo(entities_per_district=300)
    at = scene()
    actors = [User.objects.get(username=name) if name else AnonymousUser() for name in ACTORS]

    actual = {name: [outcome(call, actor) for actor in actors] for name, call in calls(at).items()}

    assert actual == RULES
