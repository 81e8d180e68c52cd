"""Whether a year's draws can be inspected by the people a county has: the inspector-visits
each department is asked for, month by month, against its inspectors and a sustainable number
of visits per inspector per month.

The demo once asked each 税务局 inspector for about 2,076 inspections a year and nothing said
so until the assignment failed or, worse, succeeded on paper. This estimate is made before any
draw is frozen, from the expected sample sizes, so a coordinator can change a ratio, a window or
a partner department while it is still cheap to. It is an estimate by design:

- A visit of a task made by one department takes `team_size` of its inspectors; a joint visit
  takes at least one from each department (its other places may go to any of them).
- Visits are spread evenly over the months of the task's window; merging visits of several
  tasks to one entity (进一次门、查多项事) can only lower the real figure, so the estimate errs
  on the side of a warning.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class TaskDemand:
    """What one task asks of the departments over the year."""

    key: str  # how the caller names the task (its id)
    visits: int  # entities its draws select, all rounds together
    departments: tuple[str, ...]  # the lead first, then the partners
    team_size: int  # inspectors on a visit the lead makes alone
    months: tuple[str, ...]  # "YYYY-MM" of its window, at least one

    def places(self, department: str) -> int:
        """Inspector-visits the task asks of `department` over the year."""
        if department not in self.departments:
            return 0
        per_visit = self.team_size if len(self.departments) == 1 else 1
        return self.visits * per_visit


@dataclass(frozen=True)
class DepartmentLoad:
    department: str
    inspectors: int  # active inspectors
    places: int  # inspector-visits the year asks of it
    busiest_month: str  # "" when nothing is asked
    busiest_places: int  # inspector-visits asked in that month (rounded up)
    monthly_capacity: int  # inspectors × sustainable visits per inspector per month

    @property
    def per_inspector(self) -> int | None:
        """Visits a year per inspector (rounded up); None without inspectors."""
        if not self.inspectors:
            return None
        return -(-self.places // self.inspectors)

    @property
    def over(self) -> bool:
        return self.busiest_places > self.monthly_capacity


def department_loads(
    tasks: Iterable[TaskDemand], inspectors: Mapping[str, int], per_month: int
) -> list[DepartmentLoad]:
    """Each department any task names, with its load against its capacity, busiest first by
    how far the busiest month exceeds what its inspectors can do."""
    tasks = list(tasks)
    monthly: dict[str, dict[str, Fraction]] = defaultdict(lambda: defaultdict(Fraction))
    totals: dict[str, int] = defaultdict(int)
    for task in tasks:
        for department in task.departments:
            places = task.places(department)
            totals[department] += places
            share = Fraction(places, len(task.months))
            for month in task.months:
                monthly[department][month] += share
    loads = []
    for department in sorted(totals):
        months = monthly[department]
        busiest = max(sorted(months), key=lambda m: months[m], default="")
        asked = months[busiest] if busiest else Fraction(0)
        people = inspectors.get(department, 0)
        loads.append(
            DepartmentLoad(
                department=department,
                inspectors=people,
                places=totals[department],
                busiest_month=busiest,
                busiest_places=-(-asked.numerator // asked.denominator),
                monthly_capacity=people * per_month,
            )
        )
    return sorted(loads, key=lambda load: load.monthly_capacity - load.busiest_places)


def overloaded_tasks(
    tasks: Iterable[TaskDemand], loads: Iterable[DepartmentLoad]
) -> dict[str, list[DepartmentLoad]]:
    """Task key → the over-capacity departments it weighs on: those whose busiest month falls in
    the task's window and take at least SHARE_FLAGGED of that month's places from this task. A
    small task in a crowded month is not blamed for it; the tasks that crowd it are."""
    over = {load.department: load for load in loads if load.over}
    flagged: dict[str, list[DepartmentLoad]] = {}
    for task in tasks:
        named = []
        for department in task.departments:
            load = over.get(department)
            if load is None or load.busiest_month not in task.months:
                continue
            asked = Fraction(task.places(department), len(task.months))
            if asked and asked >= SHARE_FLAGGED * load.busiest_places:
                named.append(load)
        if named:
            flagged[task.key] = named
    return flagged


SHARE_FLAGGED = Fraction(1, 10)
