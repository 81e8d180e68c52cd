"""Whether a visit's rows still say what the published assignment says: its entry in the
bundle (the record assignment.json serves and the verifier re-derives), with the recorded
recusals applied, against the visit, its departments, tasks and team as the pages read them.

The bundle can be tens of megabytes, stored compressed as a frozen artefact: it is read and
indexed once per process (by visit code and inspector id, each entry kept as its JSON bytes,
about the size of the bundle itself) and kept for the next page, which is safe because an
artefact's digest always names the same bytes. A page then decodes the few entries it needs."""

import json
from functools import lru_cache
from typing import Any

from shuangsuiji.artefacts.services import decode_json, read
from shuangsuiji.assignments.models import Visit
from shuangsuiji.draws.models import Draw


def visit_discrepancies(visit: Visit) -> list[str]:
    """Each difference between the visit's rows and its bundle entry, in words (Chinese, naming
    the field); empty when they agree."""
    digest = visit.assignment.bundle_artefact_id
    if digest is None:
        return ["分派尚未完成，没有分派记录"]
    entries = _bundle_items(digest, "visits", [visit.code])
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
        for i in _bundle_items(digest, "inspectors", [r[2] for r in recusals])
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


def _bundle_items(digest: str, key: str, ids: list[str]) -> list[dict[str, Any]]:
    """The elements of the bundle's list `key` whose "id" is among `ids`, in that order."""
    entries = _indexed(digest)[key]
    return [json.loads(entries[i]) for i in ids if i in entries]


@lru_cache(maxsize=2)  # a worker serves one or two assignments' visits at a time
def _indexed(digest: str) -> dict[str, dict[str, bytes]]:
    """The bundle's visits and inspectors by id, each as its JSON bytes (fresh dicts per read,
    and a fraction of the memory the parsed bundle would hold)."""
    bundle = decode_json(read(digest))
    return {
        key: {item["id"]: json.dumps(item, ensure_ascii=False).encode() for item in bundle[key]}
        for key in ("visits", "inspectors")
    }
