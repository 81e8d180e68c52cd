from datetime import date

import pytest

from shuangsuiji.accounts.models import User
from shuangsuiji.assignments.models import Visit
from shuangsuiji.inspections.models import Inspection, InspectionState
from tests.assignments.conftest import demo  # noqa: F401 (a fixture used by these tests)
from tests.factories import demo_inspector_with_open_results


@pytest.fixture
def inspector(demo: object) -> User:  # noqa: F811
    """The 潞城区 inspector, on a team whose results are not all published yet."""
    return demo_inspector_with_open_results()


@pytest.fixture
def own_visit(inspector: User) -> Visit:
    """A visit of the 潞城区 inspector's with nothing published, its results not yet recorded
    (whatever the demo recorded there is removed: a published result never changes)."""
    visits = Visit.objects.filter(members__inspector=inspector.inspector).order_by("code")
    visit = visits.exclude(inspections__state=InspectionState.PUBLISHED).first()
    assert visit is not None
    Inspection.objects.filter(visit=visit).delete()
    return visit


def day_in(visit: Visit) -> date:
    return date(int(visit.window_start[:4]), int(visit.window_start[5:7]), 15)
