"""Who writes a body's cap and checks, as one rule read two ways: `may_write_for` for one body
and `writable_departments` for a form's choices must agree for every user and body."""

import pytest

from shuangsuiji.accounts.permissions import SYSTEM
from shuangsuiji.checks.rules import may_write_for, writable_departments
from shuangsuiji.directory.models import Department
from tests.conftest import World
from tests.factories import other_district_coordinator

pytestmark = pytest.mark.django_db


def test_the_filter_agrees_with_the_rule_for_every_user_and_body(world: World) -> None:
    users = [
        SYSTEM,
        world.coordinator,
        world.education_admin,
        world.police_admin,
        world.inspector_user,
        world.auditor,
        other_district_coordinator(),
    ]
    bodies = list(Department.objects.all())
    assert len(bodies) > 3

    for user in users:
        by_rule = {d.pk for d in bodies if may_write_for(user, d)}
        by_filter = set(
            writable_departments(user, Department.objects.all()).values_list("pk", flat=True)
        )
        assert by_filter == by_rule, user
    assert {d.pk for d in bodies if may_write_for(world.education_admin, d)} == {world.education.pk}
