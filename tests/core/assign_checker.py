"""An independent checker of assignment bundles (shuangsuiji-assign/1), written from the rules.

It reads nothing but the bundle's own data (the frozen tasks, inspectors, conflicts, history,
units and rules, the recorded caps, visits, teams and recusals) and imports nothing from the
module it checks, so a bug in shuangsuiji.core.assign cannot hide itself here. It checks what
any honest assignment must satisfy, not how the module happens to compute it:

- merging: every (entity, task) selection is in exactly one visit; a visit's window lies within
  each of its tasks' windows; its departments, qualifications and size are those its tasks ask
  for; two visits of one entity could not have been one (their tasks share no month);
- teams, after every recorded recusal: size, no one twice, one leader from the lead department,
  every department present and no other, every qualification held, and every member active,
  certified for the whole window, free of declared conflicts, not on the entity's last visit
  (when rules.rotation) and not of the entity's own unit (when rules.avoid_own_unit);
- loads: nobody on more visits than the cap of their department.
"""

from __future__ import annotations

import calendar
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

LEADER = "组长"


def month_days(start: str, end: str) -> tuple[str, str]:
    """The first day of the start month and the last day of the end month, ISO dates."""
    year, month = int(end[:4]), int(end[5:7])
    return f"{start}-01", f"{end}-{calendar.monthrange(year, month)[1]:02d}"


def teams_after_recusals(bundle: Mapping[str, Any]) -> tuple[dict[str, list[str]], list[str]]:
    """Each visit's inspectors (in slot order) once every recusal replaced its inspector by the
    recorded replacement, in the same slot; and any recusal that could not be applied."""
    teams = {
        visit["id"]: [member["inspector"] for member in visit["team"]] for visit in bundle["visits"]
    }
    slots = {
        visit["id"]: [member["slot"] for member in visit["team"]] for visit in bundle["visits"]
    }
    problems = []
    for recusal in bundle.get("recusals", []):
        team = teams.get(recusal["visit"])
        if team is None or recusal["inspector"] not in team:
            problems.append(
                f"recusal {recusal.get('number')}: {recusal['inspector']} is not on the team "
                f"of {recusal['visit']}"
            )
            continue
        place = team.index(recusal["inspector"])
        if slots[recusal["visit"]][place] != recusal["slot"]:
            problems.append(
                f"recusal {recusal.get('number')}: slot {recusal['slot']} is not where "
                f"{recusal['inspector']} stands"
            )
        team[place] = recusal["replacement"]
    return teams, problems


def check_merging(bundle: Mapping[str, Any]) -> list[str]:
    """Violations of the merging rules: each selection in one visit, windows, composition."""
    problems: list[str] = []
    tasks = {task["task"]: task for task in bundle["tasks"]}
    min_team = bundle["rules"]["min_team"]
    seen: Counter[tuple[str, str]] = Counter()
    for visit in bundle["visits"]:
        vid, code = visit["id"], visit["uscc"]
        start, end = visit["window"]
        if start > end:
            problems.append(f"{vid}: empty window {start}..{end}")
        own = [tasks.get(name) for name in visit["tasks"]]
        if not visit["tasks"] or None in own:
            problems.append(f"{vid}: unknown or no tasks {visit['tasks']}")
            continue
        departments: set[str] = set()
        qualifications: set[str] = set()
        for task in own:
            assert task is not None
            seen[(code, task["task"])] += 1
            if code not in task["selected"]:
                problems.append(f"{vid}: {code} was not selected by task {task['task']}")
            task_start, task_end = task["window"]
            if start < task_start or end > task_end:
                problems.append(
                    f"{vid}: window {start}..{end} is not within task {task['task']}'s "
                    f"{task_start}..{task_end}"
                )
            departments |= {task["lead"], *task.get("partners", ())}
            qualifications |= set(task.get("qualifications", ()))
            if visit["team_size"] < int(task.get("team_size") or min_team):
                problems.append(f"{vid}: team size below task {task['task']}'s")
        if sorted(visit["departments"]) != sorted(departments):
            problems.append(f"{vid}: departments {visit['departments']}, tasks ask {departments}")
        if visit["lead"] not in {task["lead"] for task in own if task is not None}:
            problems.append(f"{vid}: lead {visit['lead']} leads none of its tasks")
        if not qualifications <= set(visit["qualifications"]):
            problems.append(f"{vid}: qualifications {visit['qualifications']} miss some")
        if len(set(visit["tasks"])) != len(visit["tasks"]):
            problems.append(f"{vid}: a task twice")
    ids = Counter(visit["id"] for visit in bundle["visits"])
    problems += [f"visit id {vid} used {n} times" for vid, n in sorted(ids.items()) if n > 1]
    for task in bundle["tasks"]:
        for code in set(task["selected"]):
            if seen[(code, task["task"])] != 1:
                problems.append(
                    f"{code} of task {task['task']} is in {seen[(code, task['task'])]} visits"
                )
    by_entity: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for visit in bundle["visits"]:
        by_entity[visit["uscc"]].append(visit)
    for code, visits in by_entity.items():
        for index, first in enumerate(visits):
            for second in visits[index + 1 :]:
                shared = set(first["tasks"]) & set(second["tasks"])
                if shared:
                    problems.append(f"{code}: visits {first['id']}, {second['id']} share {shared}")
                names = [*first["tasks"], *second["tasks"]]
                if all(name in tasks for name in names):
                    windows = [tasks[name]["window"] for name in names]
                    if max(w[0] for w in windows) <= min(w[1] for w in windows):
                        problems.append(
                            f"{code}: visits {first['id']} and {second['id']} could be one visit"
                        )
    return problems


def check_teams(bundle: Mapping[str, Any]) -> list[str]:
    """Violations of the team rules over the teams after recusals, and of the caps."""
    rules = bundle["rules"]
    people = {person["id"]: person for person in bundle["inspectors"]}
    tasks = {task["task"]: task for task in bundle["tasks"]}
    conflicts = {(row["inspector"], row["uscc"]) for row in bundle["conflicts"]}
    history = {(row["inspector"], row["uscc"]) for row in bundle["history"]}
    units = bundle.get("units") or {}
    teams, problems = teams_after_recusals(bundle)
    load: Counter[str] = Counter()
    for visit in bundle["visits"]:
        vid, code = visit["id"], visit["uscc"]
        team = teams[vid]
        load.update(team)
        first_day, last_day = month_days(*visit["window"])
        departments = set(visit["departments"])
        for name in visit["tasks"]:
            if name in tasks:
                departments |= {tasks[name]["lead"], *tasks[name].get("partners", ())}
        size = max(rules["min_team"], visit["team_size"])
        if len(team) < size:
            problems.append(f"{vid}: {len(team)} members, needs {size}")
        if len(set(team)) != len(team):
            problems.append(f"{vid}: an inspector twice in {team}")
        unknown = [i for i in team if i not in people]
        if unknown:
            problems.append(f"{vid}: unknown inspectors {unknown}")
            continue
        leaders = [m["inspector"] for m in visit["team"] if m["role"] == LEADER]
        if len(leaders) != 1:
            problems.append(f"{vid}: {len(leaders)} leaders")
        leader_places = [i for i, m in enumerate(visit["team"]) if m["role"] == LEADER]
        for place in leader_places:
            if people[team[place]]["department"] != visit["lead"]:
                problems.append(f"{vid}: leader {team[place]} is not of {visit['lead']}")
        present = {people[i]["department"] for i in team}
        for department in sorted(departments - present):
            problems.append(f"{vid}: nobody from {department}")
        for qualification in sorted(
            set(visit["qualifications"])
            | {q for n in visit["tasks"] if n in tasks for q in tasks[n].get("qualifications", ())}
        ):
            if not any(qualification in people[i].get("qualifications", ()) for i in team):
                problems.append(f"{vid}: nobody holds {qualification}")
        for inspector in team:
            person = people[inspector]
            if person["department"] not in departments:
                problems.append(f"{vid}: {inspector}'s {person['department']} takes no part")
            if not person.get("active", True):
                problems.append(f"{vid}: {inspector} is not active")
            if person["valid_from"] > first_day or person["valid_until"] < last_day:
                problems.append(
                    f"{vid}: {inspector}'s certificate {person['valid_from']}.."
                    f"{person['valid_until']} does not cover {first_day}..{last_day}"
                )
            if (inspector, code) in conflicts:
                problems.append(f"{vid}: {inspector} declared a conflict with {code}")
            if rules.get("rotation", True) and (inspector, code) in history:
                problems.append(f"{vid}: {inspector} was on {code}'s last visit")
            if (
                rules.get("avoid_own_unit")
                and units.get(code)
                and person.get("unit") == units[code]
            ):
                problems.append(f"{vid}: {inspector} is of {code}'s own unit")
    caps = bundle["caps"]
    for inspector, count in sorted(load.items()):
        department = people.get(inspector, {}).get("department")
        if department is not None and count > caps.get(department, 0):
            problems.append(
                f"{inspector} is on {count} visits, over {department}'s cap {caps.get(department)}"
            )
    return problems


def check_bundle(bundle: Mapping[str, Any]) -> list[str]:
    """Every violation of the merging, team and cap rules in the bundle (empty: all hold)."""
    return check_merging(bundle) + check_teams(bundle)


def violations_for(bundles: Sequence[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Violations per bundle, keyed by public value, for bundles that have any."""
    found = {}
    for bundle in bundles:
        problems = check_bundle(bundle)
        if problems:
            found[str(bundle["ceremony"]["public_value"])] = problems
    return found
