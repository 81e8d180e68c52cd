"""Whether a visit's rows still say what the published assignment says: its entry in the
bundle (the record assignment.json serves and the verifier re-derives), with the recorded
recusals applied, against the visit, its departments, tasks and team as the pages read them.

The bundle can be tens of megabytes: the database picks out the one visit entry (and the
replacements' inspector records) with its own JSON functions, so a page reads a few hundred
bytes of it, never the whole."""

import json
from typing import Any

from django.db import connection

from shuangsuiji.assignments.models import Visit
from shuangsuiji.draws.models import Draw


def visit_discrepancies(visit: Visit) -> list[str]:
    """Each difference between the visit's rows and its bundle entry, in words (Chinese, naming
    the field); empty when they agree."""
    entries = _bundle_items(visit.assignment_id, "visits", [visit.code])
    if not entries:
        return [f"分派记录中没有编号为 {visit.code} 的检查"]
    want = entries[0]
    recusals = list(
        visit.recusals.order_by("number").values_list(
            "slot", "inspector__certificate_no", "replacement__certificate_no"
        )
    )
    departments_of = {
        i["id"]: i["department"]
        for i in _bundle_items(visit.assignment_id, "inspectors", [r[2] for r in recusals])
    }
    team = {m["slot"]: m for m in want["team"]}
    for slot, recused, replacement in recusals:
        if slot in team and team[slot]["inspector"] == recused:
            team[slot] = {
                **team[slot],
                "inspector": replacement,
                "department": departments_of.get(replacement),
            }
    problems = _visit_problems(visit, want)
    members = visit.members.values_list(
        "slot", "inspector__certificate_no", "department__name", "role", "qualification"
    )
    got = {slot: (cert, dept, role, qual) for slot, cert, dept, role, qual in members}
    for slot in sorted(set(team) | set(got)):
        member = team.get(slot)
        expected = (
            (
                member["inspector"],
                member["department"],
                member["role"],
                member["qualification"] or "",
            )
            if member
            else None
        )
        if got.get(slot) != expected:
            problems.append(
                f"检查组第 {slot} 岗位：本平台记为 {_member(got.get(slot))}，"
                f"分派记录为 {_member(expected)}"
            )
    return problems


def _visit_problems(visit: Visit, want: dict[str, Any]) -> list[str]:
    task_ids = dict(
        Draw.objects.filter(draw_id__in=want["tasks"]).values_list("task_id", "draw_id")
    )
    rows = {
        "检查对象": (visit.entity.uscc, want["uscc"]),
        "检查时间": ([visit.window_start, visit.window_end], want["window"]),
        "牵头部门": (visit.lead_department.name, want["lead"]),
        "参加部门": (
            sorted(visit.departments.values_list("name", flat=True)),
            sorted(want["departments"]),
        ),
        "抽查任务": (
            sorted(task_ids.get(pk, f"#{pk}") for pk in visit.tasks.values_list("pk", flat=True)),
            sorted(want["tasks"]),
        ),
        "所需资格": (sorted(visit.qualifications), sorted(want["qualifications"])),
    }
    return [
        f"{label}：本平台记为 {_text(got)}，分派记录为 {_text(expected)}"
        for label, (got, expected) in rows.items()
        if got != expected
    ]


def _member(member: tuple[str, ...] | None) -> str:
    if member is None:
        return "（无）"
    certificate, department, role, qualification = member
    return f"{role} {certificate}（{department}{'，' + qualification if qualification else ''}）"


def _text(value: Any) -> str:
    return "、".join(map(str, value)) if isinstance(value, list) else str(value)


def _bundle_items(assignment_id: int, key: str, ids: list[str]) -> list[dict[str, Any]]:
    """The elements of the bundle's list `key` whose "id" is among `ids`, picked out by the
    database (the bundle never comes to Python whole)."""
    if not ids:
        return []
    marks = ", ".join(["%s"] * len(ids))
    if connection.vendor == "postgresql":
        sql = f"""SELECT e::text FROM assignments_assignment a
            CROSS JOIN LATERAL jsonb_array_elements(a.bundle -> %s) e
            WHERE a.id = %s AND e ->> 'id' IN ({marks})"""
    else:
        sql = f"""SELECT e.value FROM assignments_assignment a, json_each(a.bundle, '$.' || %s) e
            WHERE a.id = %s AND json_extract(e.value, '$.id') IN ({marks})"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, assignment_id, *ids])
        return [json.loads(value) for (value,) in cursor.fetchall()]
