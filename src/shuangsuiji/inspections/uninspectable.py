"""Results that say a drawn entity cannot be inspected, and the draw's entities awaiting a
substitution because of one (待替补).

Only an approved (or published) result is offered: a submitted one may still be returned by
its reviewer, and a substitution, once recorded, is published and never withdrawn. The offer
is a button for the coordinator or the lead department, not an automatic substitution — the
reviewer's approval says the result is right, the substitution is a second public act with
its own author (draw-spec V8: reason, who, when).
"""

from dataclasses import dataclass

from shuangsuiji.assignments.models import AssignmentState, Visit
from shuangsuiji.draws.models import Draw
from shuangsuiji.draws.substitutions import current_selection
from shuangsuiji.inspections.models import Inspection, InspectionState

# 已注销, 迁出, 通过登记的住所（经营场所）无法联系 (categories.py): nobody is there to inspect.
# 吊销 and 撤销 are left out: the entity still exists and its result is itself the finding.
UNINSPECTABLE = ("07", "10", "0203")
SETTLED = (InspectionState.APPROVED, InspectionState.PUBLISHED)


@dataclass(frozen=True)
class Awaiting:
    """A drawn entity whose settled result says it cannot be inspected."""

    uscc: str
    name: str
    result: str
    visit: str

    @property
    def reason(self) -> str:
        """The substitution's reason, as the one click records it."""
        return f"检查结果：{self.result}（检查 {self.visit}）"


def awaiting_substitution(draw: Draw) -> list[Awaiting]:
    """Entities on the draw's current lists (substitutes included) whose approved result for
    the draw's task says they cannot be inspected; none once the draw has been corrected."""
    if not draw.is_drawn or Draw.objects.filter(supersedes=draw).exists():
        return []
    codes = {code for listed in current_selection(draw).values() for code in listed}
    rows = (
        Inspection.objects.filter(
            task_id=draw.task_id,
            state__in=SETTLED,
            results__code__in=UNINSPECTABLE,
            visit__entity__uscc__in=codes,
        )
        .order_by("visit__code", "results__code")
        .values_list("visit__entity__uscc", "visit__entity__name", "results__name", "visit__code")
    )
    found: dict[str, Awaiting] = {}
    for uscc, name, result, visit in rows:
        found.setdefault(uscc, Awaiting(uscc, name, result, visit))
    return list(found.values())


def unvisited_replacements(draw: Draw) -> list[str]:
    """Replacements the plan's current assignment has no visit for, when the assignment was
    made before their substitution: the assignment's bundle is frozen too, so they are
    visited only once the assignment is redone (更正分派), which reads the substitutions."""
    replacements = list(draw.substitutions.values_list("replacement", flat=True))
    if not replacements:
        return []
    current = Visit.objects.filter(
        assignment__plan_id=draw.task.plan_id,
        assignment__state=AssignmentState.ASSIGNED,
        assignment__superseded_by__isnull=True,
    )
    if not current.exists():
        return []  # not assigned yet: the assignment will read the substitutions
    visited = set(
        current.filter(tasks=draw.task_id, entity__uscc__in=replacements).values_list(
            "entity__uscc", flat=True
        )
    )
    return [code for code in replacements if code not in visited]


def offered_by(inspection: Inspection) -> tuple[Draw, Awaiting] | None:
    """The draw whose 待替补 list this result has just put its entity on, if it has: what the
    reviewer is told on approving it."""
    draw = (
        Draw.objects.filter(task_id=inspection.task_id, state="drawn", superseded_by__isnull=True)
        .order_by("-number")
        .first()
    )
    if draw is None:
        return None
    uscc = inspection.visit.entity.uscc
    found = next((a for a in awaiting_substitution(draw) if a.uscc == uscc), None)
    return (draw, found) if found else None
