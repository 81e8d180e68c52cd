"""factory_boy factories; valid USCCs come from the core's own constructor."""

from datetime import date
from itertools import count
from typing import Any

import factory
from django.contrib.auth.models import Group

from shuangsuiji.accounts.models import User
from shuangsuiji.core.uscc import make_uscc
from shuangsuiji.directory.models import (
    CheckItem,
    Conflict,
    Department,
    Entity,
    Inspector,
    Region,
)
from shuangsuiji.directory.services import ensure_region_chain
from shuangsuiji.operations.models import Job, JobKind

_serial = count(1)


def next_uscc(region_code: str = "140406") -> str:
    return make_uscc("9", "1", region_code, f"MA{next(_serial):07d}")


def lucheng() -> Region:
    """潞城区; the migration seeds it, but transactional (browser) tests flush it away."""
    return ensure_region_chain(("140000", "山西省"), ("140400", "长治市"), ("140406", "潞城区"))


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"长治市潞城区第{n}局")
    short_name = factory.Sequence(lambda n: f"区第{n}局")
    region = factory.LazyFunction(lucheng)


class EntityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entity

    uscc = factory.LazyFunction(next_uscc)
    name = factory.Sequence(lambda n: f"潞城区测试{n}有限公司")
    region = factory.LazyFunction(lucheng)
    status = "存续"
    risk_class = "B"


class InspectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspector

    name = factory.Sequence(lambda n: f"执法员{n}")
    department = factory.SubFactory(DepartmentFactory)
    certificate_no = factory.Sequence(lambda n: f"1404060{n:05d}")
    certificate_valid_from = date(2021, 1, 1)
    certificate_valid_until = date(2025, 12, 31)


class CheckItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckItem

    department = factory.SubFactory(DepartmentFactory)
    name = factory.Sequence(lambda n: f"抽查事项{n}")
    legal_basis = "《中华人民共和国行政许可法》"
    object_type = "企业"


class ConflictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conflict

    inspector = factory.SubFactory(InspectorFactory)
    entity = factory.SubFactory(EntityFactory)
    reason = "近亲属在该单位任职"


def make_user(
    username: str,
    role: str | None,
    department: Department | None,
    *,
    staff: bool = True,
    inspector: Inspector | None = None,
) -> User:
    user = User.objects.create_user(
        username=username,
        password="pw-for-tests-only",
        department=department,
        is_staff=staff,
        inspector=inspector,
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def other_district_coordinator() -> User:
    """The coordinator of 晋城市城区, a district apart from 潞城区 (nothing of either is the
    other's)."""
    chengqu = ensure_region_chain(("140000", "山西省"), ("140500", "晋城市"), ("140502", "城区"))
    market = DepartmentFactory(
        name="晋城市城区市场监督管理局", short_name="城区市场监管局", region=chengqu
    )
    return make_user("chengqu-coord", "协调员", market)


def demo_inspector_with_open_results(username: str = "lucheng-inspector") -> User:
    """The demo's inspector login, linked to an inspector of the same department on a visit
    with nothing published yet. The demo's plans are of 2023 and 2024, so the first
    inspector's results are all published, and a published result never changes (database
    triggers): a test that records or reviews needs a visit that is still open."""
    from shuangsuiji.assignments.models import TeamMember
    from shuangsuiji.inspections.models import InspectionState

    user = User.objects.get(username=username)
    department = user.inspector.department  # type: ignore[union-attr]
    members = TeamMember.objects.filter(department=department).order_by("visit__code", "slot")
    for member in members.select_related("visit", "inspector"):
        visit = member.visit
        if not visit.inspections.filter(state=InspectionState.PUBLISHED).exists():
            User.objects.filter(inspector=member.inspector).exclude(pk=user.pk).update(
                inspector=None
            )
            user.inspector = member.inspector
            user.last_name = member.inspector.name
            user.save(update_fields=["inspector", "last_name"])
            return user
    raise LookupError(f"{department} 没有尚未公示的检查")


def recusable_members(user: User) -> list[Any]:
    """The team places of `user`'s inspector that the rule can fill if they recuse, in visit
    order. On some visits nobody else of the department holds the items' qualification, and a
    recusal there is refused; a test of the recusal itself needs a place that can be filled."""
    from shuangsuiji.assignments.models import TeamMember
    from shuangsuiji.assignments.services import bundle_with_recusals
    from shuangsuiji.core import assign as rule

    members = TeamMember.objects.filter(inspector=user.inspector).select_related("visit")
    found = []
    for member in sorted(members, key=lambda m: (m.visit.code, m.slot)):
        bundle = bundle_with_recusals(member.visit.assignment)
        try:
            rule.recuse(bundle, member.visit.code, member.inspector.certificate_no, "核对")
        except rule.AssignError:
            continue
        found.append(member)
    return found


def approved_results(count: int) -> list[int]:
    """`count` more approved results in the demo's 潞城 assignment, one per added visit,
    written directly (the demo's own are a few hundred): bulk publication at a county's volume.
    Visits may still be inserted into an assigned assignment (only updates and deletes are
    refused); the visit page would flag them, the publication step does not look."""
    from django.utils import timezone

    from shuangsuiji.assignments.models import Assignment, Visit
    from shuangsuiji.inspections.models import Inspection, InspectionState

    assignment = Assignment.objects.get(plan__region__code="140406")
    task = assignment.plan.tasks.order_by("position").first()
    entities = list(
        Entity.objects.filter(region=assignment.plan.region).values_list("pk", flat=True)
    )
    visits = Visit.objects.bulk_create(
        Visit(
            assignment=assignment,
            code=f"BULK-{n:05d}",
            entity_id=entities[n % len(entities)],
            window_start="2023-03",
            window_end="2023-11",
            lead_department=task.lead_department,
        )
        for n in range(count)
    )
    reviewed = timezone.now()
    made = Inspection.objects.bulk_create(
        Inspection(
            visit=visit,
            task=task,
            state=InspectionState.APPROVED,
            inspected_on=reviewed.date(),
            reviewed_at=reviewed,
        )
        for visit in visits
    )
    return [inspection.pk for inspection in made]


def draw_job(task: Any, kind: str = JobKind.FREEZE, **fields: Any) -> Job:
    """A background draw step of `task`, as the draw pages start one."""
    return Job.objects.create(task=task, kind=kind, region_id=task.plan.region_id, **fields)


def import_step(upload: Any, kind: str, **fields: Any) -> Job:
    """A background step (its check or its write) of the entity file `upload`."""
    region = upload.created_by.department.region_id
    return Job.objects.create(entity_import=upload, kind=kind, region_id=region, **fields)
