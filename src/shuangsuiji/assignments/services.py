"""Running a plan's second random: gather the drawn selections and the inspector pools, freeze,
fix the seed, assign, lay the bundle out as visits; and recusals afterwards.

The rule is `shuangsuiji.core.assign`; this module turns directory and draw records into its
inputs and keeps each step's state in the database.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from shuangsuiji.accounts.permissions import require
from shuangsuiji.artefacts.models import ArtefactKind
from shuangsuiji.artefacts.services import store_json
from shuangsuiji.assignments.models import (
    Assignment,
    AssignmentState,
    Recusal,
    TeamMember,
    Visit,
)
from shuangsuiji.assignments.rules import may_assign, may_recuse
from shuangsuiji.core import assign as rule
from shuangsuiji.core import draw as draw_rule
from shuangsuiji.directory.models import CheckItem, Conflict, Department, Entity, Inspector
from shuangsuiji.draws.models import Draw, DrawState
from shuangsuiji.draws.substitutions import published_bundle
from shuangsuiji.plans.models import Plan, PlanTask


def configured_rules() -> rule.Rules:
    """The team rules from settings (docs/configuration.md)."""
    return rule.Rules(
        min_team=settings.ASSIGN_MIN_TEAM,
        cap=settings.ASSIGN_CAP or None,
        rotation=settings.ASSIGN_ROTATION,
        visit_limit=settings.ASSIGN_VISIT_LIMIT,
    )


class AssignStepError(ValueError):
    """A step that cannot be taken now (no draws yet, a shortfall, an assignment done …)."""


@dataclass
class Inputs:
    """What the rule needs, gathered from the database, and what was left out and why."""

    tasks: list[dict[str, Any]] = field(default_factory=list)
    inspectors: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, str]] = field(default_factory=list)
    history: list[dict[str, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    task_ids: dict[str, int] = field(default_factory=dict)  # task key (draw id) → PlanTask pk


def effective_selection(bundle: dict[str, Any]) -> list[str]:
    """The codes a draw sends inspectors to: every round's selection with the substitutions
    applied in order (a substitute substituted in turn gives way to the next reserve), each
    code once. `bundle` is the published one (`draws.substitutions.published_bundle`)."""
    lists = draw_rule.current_lists(bundle["rounds"], bundle.get("substitutions", []))
    return list(dict.fromkeys(code for codes in lists.values() for code in codes))


def gather_inputs(plan: Plan) -> Inputs:
    """Each task's current draw as a rule task; the pools of every department involved."""
    inputs = Inputs()
    draws = {
        d.task_id: d
        for d in Draw.objects.filter(
            task__plan=plan, state=DrawState.DRAWN, superseded_by__isnull=True
        ).order_by("number")
    }
    departments: set[int] = set()
    tasks = plan.tasks.select_related("lead_department").prefetch_related("partner_departments")
    for task in tasks.order_by("position"):
        label = f"{task.seq or task.position}. {task.name}"
        if task.lead_department is None:
            inputs.skipped.append(f"{label}：发起部门未对应到部门名录")
            continue
        current = draws.get(task.pk)
        if current is None or current.bundle_artefact_id is None:
            inputs.skipped.append(f"{label}：尚未完成第一次随机抽取")
            continue
        partners = [
            d
            for d in task.partner_departments.all()
            if d.pk != task.lead_department_id and task.joint_inspection
        ]
        departments |= {task.lead_department_id, *(d.pk for d in partners)}
        inputs.tasks.append(
            {
                "task": current.draw_id,
                "name": task.name,
                "draw_seed": current.seed,
                "window": list(_window(task)),
                "lead": task.lead_department.name,
                "partners": sorted(d.name for d in partners),
                "qualifications": _qualifications(task, [task.lead_department, *partners]),
                "team_size": max(task.team_size or 0, settings.ASSIGN_MIN_TEAM),
                "selected": effective_selection(published_bundle(current) or {}),
            }
        )
        inputs.task_ids[current.draw_id] = task.pk
    _gather_pools(inputs, departments, plan)
    return inputs


def _window(task: PlanTask) -> tuple[str, str]:
    year = task.plan.year
    return task.window_start or f"{year}-01", task.window_end or f"{year}-12"


def _qualifications(task: PlanTask, departments: list[Department]) -> list[str]:
    """The qualifications the task's check items (matched by name in its departments' lists)
    require of at least one team member."""
    return sorted(
        set(
            CheckItem.objects.filter(
                department__in=departments,
                name__in=task.items,
                required_qualification__isnull=False,
            ).values_list("required_qualification__name", flat=True)
        )
    )


def _gather_pools(inputs: Inputs, department_ids: set[int], plan: Plan) -> None:
    inspectors = (
        Inspector.objects.filter(department_id__in=department_ids)
        .select_related("department")
        .prefetch_related("qualifications")
        .order_by("certificate_no")
    )
    inputs.inspectors = [
        {
            "id": i.certificate_no,
            "name": i.name,
            "department": i.department.name,
            "valid_from": i.certificate_valid_from.isoformat(),
            "valid_until": i.certificate_valid_until.isoformat(),
            "active": i.is_active,
            "qualifications": sorted(q.name for q in i.qualifications.all()),
        }
        for i in inspectors
    ]
    codes = {code for t in inputs.tasks for code in t["selected"]}
    inputs.conflicts = [
        {"inspector": inspector, "uscc": uscc, "reason": reason}
        for inspector, uscc, reason in Conflict.objects.filter(
            inspector__department_id__in=department_ids
        ).values_list("inspector__certificate_no", "entity__uscc", "reason")
        if uscc in codes
    ]
    inputs.history = _last_visits(codes, plan)


def _last_visits(codes: set[str], plan: Plan) -> list[dict[str, str]]:
    """For each entity, the inspectors of its latest visit in another plan's assignment (a
    redo of this plan's assignment is not a later visit)."""
    latest: dict[str, tuple[Any, int]] = {}
    visits = (
        Visit.objects.filter(
            assignment__state=AssignmentState.ASSIGNED,
            assignment__superseded_by__isnull=True,
            entity__uscc__in=codes,
        )
        .exclude(assignment__plan=plan)
        .values_list("pk", "entity__uscc", "assignment__assigned_at")
    )
    for pk, uscc, at in visits:
        if uscc not in latest or at > latest[uscc][0]:
            latest[uscc] = (at, pk)
    members = TeamMember.objects.filter(visit_id__in=[pk for _, pk in latest.values()])
    return [
        {"uscc": uscc, "inspector": certificate}
        for uscc, certificate in members.values_list(
            "visit__entity__uscc", "inspector__certificate_no"
        )
    ]


def preview(plan: Plan) -> dict[str, Any]:
    """What assigning now would do: visits before and after merging, shortfalls, caps."""
    inputs = gather_inputs(plan)
    rules = configured_rules()
    freeze = rule.freeze_assignment(
        "preview", rules, inputs.tasks, inputs.inspectors, inputs.conflicts, inputs.history
    )
    visits = rule.merge_visits(freeze["tasks"], rules.min_team)
    pool = rule.Pool.from_freeze(freeze)
    return {
        "inputs": inputs,
        "report": rule.merge_report(freeze["tasks"], visits, rules.visit_limit),
        "shortfalls": rule.shortfalls(pool, visits) if visits else [],
        "caps": rule.caps(pool, visits) if visits else {},
        "usable": {d: len(p) for d, p in sorted(pool.usable(visits).items())},
    }


ASSIGN_REFUSED = "只有本辖区的协调员可以分派检查人员"


@transaction.atomic
def freeze_assignment(
    plan: Plan, *, actor: Any, supersedes: Assignment | None = None, reason: str = ""
) -> Assignment:
    """Freeze the selections, pools, conflicts and history; refuse a shortfall first. Pressing
    the button twice gives one assignment; a redo must name the one it corrects."""
    require(may_assign(actor, plan), ASSIGN_REFUSED)
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    latest = locked.assignments.order_by("-number").first()
    if supersedes is None and latest is not None:
        return latest
    if supersedes is not None:
        if latest is None or supersedes.pk != latest.pk:
            raise AssignStepError("只能更正本计划最新的一次分派")
        if not reason.strip():
            raise AssignStepError("重新分派必须说明原因")
    inputs = gather_inputs(locked)
    if not inputs.tasks:
        raise AssignStepError("本计划还没有完成抽取的任务，无法分派检查人员")
    number = 1 if latest is None else latest.number + 1
    assignment_id = f"{locked.region.code}-{locked.year}-P{locked.pk}-A{number}"
    freeze = rule.freeze_assignment(
        assignment_id,
        configured_rules(),
        inputs.tasks,
        inputs.inspectors,
        inputs.conflicts,
        inputs.history,
    )
    visits = rule.merge_visits(freeze["tasks"], freeze["rules"]["min_team"])
    problems = rule.shortfalls(rule.Pool.from_freeze(freeze), visits)
    if problems:
        raise AssignStepError("执法人员不足，无法分派：" + "；".join(problems))
    return Assignment.objects.create(
        plan=locked,
        number=number,
        assignment_id=assignment_id,
        freeze_artefact=store_json(ArtefactKind.ASSIGNMENT_FREEZE, freeze),
        supersedes=supersedes,
        reason=reason,
        created_by=actor if getattr(actor, "pk", None) else None,
    )


@transaction.atomic
def complete_assignment(
    assignment: Assignment,
    *,
    actor: Any,
    public_value: str,
    public_source: str,
    system: bool = False,
) -> Assignment:
    """Fix the public value, derive the seed, fill every team and publish."""
    require(may_assign(actor, assignment.plan), ASSIGN_REFUSED)
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.state != AssignmentState.FROZEN:
        raise AssignStepError("该分派已完成，不能更改")
    if not public_value.strip():
        raise AssignStepError("请录入公开随机值（如联席会议现场掷骰结果）")
    ceremony = {
        "kind": "system" if system else "public",
        "commitments": [],
        "reveals": [],
        "public_value": public_value.strip(),
        "public_source": public_source.strip(),
    }
    try:
        bundle = rule.run_assignment(locked.freeze, ceremony)
    except (rule.AssignError, draw_rule.DrawError) as error:
        raise AssignStepError(str(error)) from error
    if locked.supersedes_id:
        bundle["supersedes"] = locked.supersedes.assignment_id  # type: ignore[union-attr]
    locked.bundle_artefact = store_json(ArtefactKind.ASSIGNMENT_BUNDLE, bundle)
    locked.seed, locked.state = bundle["seed"], AssignmentState.ASSIGNED
    locked.assigned_at = timezone.now()
    locked.save(update_fields=["bundle_artefact", "seed", "state", "assigned_at"])
    _lay_out(locked, bundle)
    return locked


def _lay_out(assignment: Assignment, bundle: dict[str, Any]) -> None:
    """The bundle's visits and teams as rows."""
    codes = {v["uscc"] for v in bundle["visits"]}
    entities = dict(Entity.objects.filter(uscc__in=codes).values_list("uscc", "pk"))
    names = {d["lead"] for d in bundle["tasks"]} | {
        p for d in bundle["tasks"] for p in d["partners"]
    }
    departments = dict(Department.objects.filter(name__in=names).values_list("name", "pk"))
    inspectors = dict(
        Inspector.objects.filter(
            certificate_no__in={m["inspector"] for v in bundle["visits"] for m in v["team"]}
        ).values_list("certificate_no", "pk")
    )
    task_ids = dict(
        Draw.objects.filter(draw_id__in=[t["task"] for t in bundle["tasks"]]).values_list(
            "draw_id", "task_id"
        )
    )
    rows = Visit.objects.bulk_create(
        Visit(
            assignment=assignment,
            code=v["id"],
            entity_id=entities[v["uscc"]],
            window_start=v["window"][0],
            window_end=v["window"][1],
            lead_department_id=departments[v["lead"]],
            qualifications=v["qualifications"],
        )
        for v in bundle["visits"]
    )
    by_code = {row.code: row.pk for row in rows}
    Visit.departments.through.objects.bulk_create(
        Visit.departments.through(visit_id=by_code[v["id"]], department_id=departments[d])
        for v in bundle["visits"]
        for d in v["departments"]
    )
    Visit.tasks.through.objects.bulk_create(
        Visit.tasks.through(visit_id=by_code[v["id"]], plantask_id=task_ids[t])
        for v in bundle["visits"]
        for t in v["tasks"]
    )
    TeamMember.objects.bulk_create(
        TeamMember(
            visit_id=by_code[v["id"]],
            slot=m["slot"],
            inspector_id=inspectors[m["inspector"]],
            department_id=departments[m["department"]],
            role=m["role"],
            qualification=m["qualification"] or "",
        )
        for v in bundle["visits"]
        for m in v["team"]
    )


def bundle_with_recusals(assignment: Assignment) -> dict[str, Any]:
    """The published bundle with every recusal recorded since, as the verifier reads it."""
    recusals = assignment.recusals.select_related("visit", "inspector", "replacement")
    return {**(assignment.bundle or {}), "recusals": [r.record() for r in recusals]}


@transaction.atomic
def record_recusal(member: TeamMember, *, reason: str, actor: Any) -> Recusal:
    """The member leaves the team; the rule's next candidate replaces them. The conflict is
    also declared in the directory, so later assignments avoid it from the freeze on."""
    require(may_recuse(actor, member), "只有本人、其部门管理员或本辖区协调员可以登记回避")
    assignment = Assignment.objects.select_for_update().get(pk=member.visit.assignment_id)
    bundle = bundle_with_recusals(assignment)
    try:
        record = rule.recuse(bundle, member.visit.code, member.inspector.certificate_no, reason)
    except rule.AssignError as error:
        raise AssignStepError(str(error)) from error
    replacement = Inspector.objects.get(certificate_no=record["replacement"])
    recusal = Recusal.objects.create(
        assignment=assignment,
        number=record["number"],
        visit=member.visit,
        slot=record["slot"],
        inspector=member.inspector,
        replacement=replacement,
        reason=record["reason"],
        declared_by=actor if getattr(actor, "pk", None) else None,
    )
    Conflict.objects.get_or_create(
        inspector=member.inspector,
        entity=member.visit.entity,
        defaults={"reason": record["reason"]},
    )
    member.inspector = replacement
    member.department = replacement.department
    member.save(update_fields=["inspector", "department"])
    return recusal


def department_loads(assignment: Assignment) -> list[dict[str, Any]]:
    """Per department: inspectors, fewest and most visits each, from the current teams."""
    if assignment.bundle_artefact_id is None:
        return []
    loads: dict[str, list[int]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    for team in rule.current_teams(bundle_with_recusals(assignment)).values():
        for m in team:
            counts[m["inspector"]] += 1
    published = assignment.bundle["loads"]
    usable = rule.Pool.from_freeze(assignment.bundle).usable_for_records(
        assignment.bundle["visits"]
    )
    for department, people in usable.items():
        loads[department] = [counts.get(i, 0) for i in people]
    return [
        {
            "department": d,
            "inspectors": len(c),
            "min": min(c),
            "max": max(c),
            "total": sum(c),
            "cap": assignment.bundle["caps"].get(d),
            "published": published.get(d),
        }
        for d, c in sorted(loads.items())
    ]


def visit_items(visit: Visit) -> list[dict[str, str]]:
    """The visit's check items, each with its department, legal basis and method."""
    rows = []
    for task in visit.tasks.order_by("position"):
        known = {
            item.name: item
            for item in CheckItem.objects.filter(
                department__in=visit.departments.all(), name__in=task.items
            ).select_related("department")
        }
        for name in task.items:
            item = known.get(name)
            rows.append(
                {
                    "task": task.name,
                    "name": name,
                    "department": item.department.short_name if item else "",
                    "basis": item.legal_basis if item else "",
                    "method": item.get_method_display() if item else "",
                }
            )
    return rows
