"""The review queue's filter choices at a province's volume: the tasks, lead departments and
recorders offered are those of the waiting results, read once from the queue instead of a
subquery per list (benchmarks/scale.py: with 100,000 waiting results PostgreSQL ran the whole
queue once per department, 0.7 s, and once per user, 0.5 s)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shuangsuiji.accounts.models import User
from shuangsuiji.inspections.models import Inspection, InspectionState
from shuangsuiji.inspections.queue import ReviewFilter
from shuangsuiji.inspections.rules import reviewable
from tests.inspections.conftest import demo  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def queue_of(username: str) -> object:
    """The user's queue, its first result recorded by the department admin (so the recorder
    list has someone in it)."""
    user = User.objects.get(username=username)
    waiting = Inspection.objects.visible_to(user).filter(state=InspectionState.SUBMITTED)
    first = waiting.order_by("pk").first()
    assert first is not None  # the demo leaves some results to review
    recorder = User.objects.get(username="lucheng-dept-admin")
    Inspection.objects.filter(pk=first.pk).update(recorded_by=recorder)
    return reviewable(waiting, user)


def test_the_choices_are_the_waiting_results_tasks_departments_and_recorders(
    demo: object,  # noqa: F811
) -> None:
    queue = queue_of("lucheng-coordinator")
    waiting = list(queue.select_related("task"))  # type: ignore[attr-defined]

    fields = ReviewFilter(None, queue=queue).fields  # type: ignore[arg-type]

    assert {t.pk for t in fields["task"].queryset} == {i.task_id for i in waiting}  # type: ignore[attr-defined]
    assert {d.pk for d in fields["department"].queryset} == {  # type: ignore[attr-defined]
        i.task.lead_department_id for i in waiting
    }
    assert {u.pk for u in fields["recorder"].queryset} == {  # type: ignore[attr-defined]
        i.recorded_by_id for i in waiting if i.recorded_by_id
    }


def test_the_choice_lists_do_not_join_the_queue(demo: object) -> None:  # noqa: F811
    queue = queue_of("lucheng-coordinator")

    with CaptureQueriesContext(connection) as queries:
        fields = ReviewFilter(None, queue=queue).fields  # type: ignore[arg-type]
        for name in ("task", "department", "recorder"):
            list(fields[name].queryset)  # type: ignore[attr-defined]

    reading_results = [q["sql"] for q in queries if "inspections_inspection" in q["sql"]]
    assert len(reading_results) == 1  # the queue's (task, recorder) pairs, once
    assert len(queries) == 4  # and one for each list
