from datetime import date

import pytest

from shuangsuiji.accounts.models import User
from shuangsuiji.assignments.models import Visit
from shuangsuiji.inspections.models import Inspection
from tests.assignments.conftest import demo  # noqa: F401 (a fixture used by these tests)


@pytest.fixture
def inspector(demo: object) -> User:  # noqa: F811
    return User.objects.get(username="lucheng-inspector")


@pytest.fixture
def own_visit(inspector: User) -> Visit:
    """A visit of the 潞城区 inspector's, its results not yet recorded (whatever the demo
    recorded there is removed: which visits it fills depends on the database's collation)."""
    visit = Visit.objects.filter(members__inspector=inspector.inspector).order_by("code").first()
    assert visit is not None
    Inspection.objects.filter(visit=visit).delete()
    return visit


def day_in(visit: Visit) -> date:
    return date(int(visit.window_start[:4]), int(visit.window_start[5:7]), 15)
