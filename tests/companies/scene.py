"""The demo records the company tests act on, in 潞城区 (codes sorted in Python, not by a
collation): two companies with published results, one visit not yet carried out, and the
people on each side."""

from dataclasses import dataclass

from django.test import Client
from django.urls import reverse

from shuangsuiji.accounts.models import User
from shuangsuiji.accounts.permissions import SYSTEM
from shuangsuiji.assignments.models import Visit
from shuangsuiji.checks.codes import code_for
from shuangsuiji.companies.tokens import notice_token
from shuangsuiji.inspections.models import Inspection, InspectionState
from tests.factories import make_user

DISTRICT = "140406"


@dataclass
class Scene:
    visit: Visit  # company A's, carried out, a result published
    other: Visit  # company B's, the same
    open_visit: Visit  # company C's, not carried out yet: slots may be offered and booked
    result: Inspection  # A's published result
    other_result: Inspection  # B's


def published_visits() -> list[Visit]:
    """Visits with a published result whose company has not yet rated or objected (the demo's
    own company account has done both)."""
    demo_company = Visit.objects.filter(rating__isnull=False).values("entity")
    visits = (
        Visit.objects.filter(
            assignment__plan__region__code=DISTRICT, inspections__state=InspectionState.PUBLISHED
        )
        .exclude(entity__in=demo_company)
        .distinct()
    )
    return sorted(visits, key=lambda v: v.code)


def scene() -> Scene:
    visit, other = published_visits()[:2]
    open_visits = Visit.objects.filter(
        assignment__plan__region__code=DISTRICT, inspections__isnull=True
    ).exclude(entity__in=[visit.entity, other.entity])
    open_visit = min(open_visits, key=lambda v: v.code)
    for v in (visit, other, open_visit):
        code_for(v, actor=SYSTEM)
    published = Inspection.objects.filter(state=InspectionState.PUBLISHED).order_by("pk")
    return Scene(
        visit=visit,
        other=other,
        open_visit=open_visit,
        result=published.filter(visit=visit).first(),  # type: ignore[arg-type]
        other_result=published.filter(visit=other).first(),  # type: ignore[arg-type]
    )


def company_client(visit: Visit) -> Client:
    """A browser signed in as the visit's company, through the sign-in page with the token
    printed on the visit's notice."""
    client = Client()
    token = notice_token(visit)
    response = client.post(
        reverse("companies:sign_in"), {"uscc": visit.entity.uscc, "password": token}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def staff_client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def team_inspector(visit: Visit) -> User:
    """A sign-in for a member of the visit's team (one whose inspector has none yet)."""
    member = visit.members.filter(inspector__user__isnull=True).select_related("inspector").first()
    assert member is not None
    return make_user(
        f"team-{visit.pk}", "执法人员", member.department, staff=False, inspector=member.inspector
    )


def department_admin(department_id: int, name: str) -> User:
    from shuangsuiji.directory.models import Department

    return make_user(name, "部门管理员", Department.objects.get(pk=department_id))
