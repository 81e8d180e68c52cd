"""A coordinator's year by `shuangsuiji` commands alone (CLI parity with the pages): the 潞城区
seed plan, entities and inspectors from .xlsx files, two draws (one by commit–reveal, one by a
public value), the second random, results recorded through the inspection services, publication,
the annual report, risk feedback; and the errors a script must be able to rely on."""

import io
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from docx import Document

import shuangsuiji.demo
from shuangsuiji.accounts.models import User
from shuangsuiji.analysis.models import ProposalState, RiskProposal
from shuangsuiji.assignments.models import AssignmentState
from shuangsuiji.audit.models import AuditEntry
from shuangsuiji.core.draw import commitment
from shuangsuiji.demo.build import _create_categories, _create_departments
from shuangsuiji.demo.catalog import LUCHENG
from shuangsuiji.directory.models import (
    Department,
    Entity,
    Inspector,
    Qualification,
    ScopeCategory,
)
from shuangsuiji.draws.models import Draw, DrawState
from shuangsuiji.inspections.models import Inspection, InspectionState, ResultCategory
from shuangsuiji.inspections.services import inspections_of, record, review, submit
from shuangsuiji.plans.models import Plan
from tests.factories import EntityFactory, lucheng, make_user, next_uscc
from tests.files import xlsx_bytes

pytestmark = pytest.mark.django_db

SEEDS = Path(shuangsuiji.demo.__file__).parent / "seeds"
LUCHENG_PLAN = SEEDS / "lucheng-2023-plan.txt"
GRAIN, HOTELS = 3, 9  # the plan's tasks drawn here: 粮食经营者 (区市场监管局), 旅馆 (区公安分局)
ENTITY_HEADER = ["统一社会信用代码", "名称", "行政区划代码", "检查对象类别", "信用风险分类"]
INSPECTOR_HEADER = ["姓名", "部门", "执法证号", "有效期起", "有效期止", "资格", "状态"]


@dataclass
class Office:
    coordinator: User
    police_admin: User
    auditor: User


@pytest.fixture
def office(db: None) -> Office:
    """潞城区's departments (with the spellings the plan uses), categories and staff: what the
    administrator sets up once, before the year's commands."""
    departments = _create_departments(LUCHENG, lucheng())
    _create_categories(LUCHENG)
    Qualification.objects.create(name="治安管理")
    return Office(
        coordinator=make_user("wangmin", "协调员", departments["区市场监管局"]),
        police_admin=make_user("police-admin", "部门管理员", departments["区公安分局"]),
        auditor=make_user("auditor", "审计员", departments["区市场监管局"]),
    )


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def refusal(*args: str, stderr: io.StringIO | None = None) -> str:
    """The message of the CommandError the command stops with."""
    with pytest.raises(CommandError) as error:
        call_command(*args, stdout=io.StringIO(), stderr=stderr or io.StringIO())
    return str(error.value)


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    path.write_bytes(xlsx_bytes(rows).getvalue())
    return path


def entity_rows() -> list[list[object]]:
    """Ten 粮食经营者 and ten 旅馆, classes B and C."""
    rows: list[list[object]] = [ENTITY_HEADER]
    for category, kind in (("粮食经营者", "粮油"), ("旅馆", "宾馆")):
        for n in range(10):
            risk = "C" if n % 3 == 0 else "B"
            rows.append([next_uscc(), f"潞城区{kind}{n}有限公司", "140406", category, risk])
    return rows


def inspector_rows() -> list[list[object]]:
    """Four inspectors each in the departments of the two tasks, the plan's spellings."""
    rows: list[list[object]] = [INSPECTOR_HEADER]
    for d, department in enumerate(("区市场监督管理局", "区发改局", "区公安分局")):
        for n in range(4):
            held = "治安管理" if department == "区公安分局" else ""
            rows.append(
                [
                    f"执法员{d}{n}",
                    department,
                    f"14040699{d}{n:02d}",
                    date(2021, 1, 1),
                    date(2026, 12, 31),
                    held,
                    "在岗",
                ]
            )
    return rows


def test_a_year_by_commands(office: Office, tmp_path: Path) -> None:
    user = ("--user", "wangmin")

    # The plan, the entities, the inspectors.
    assert run("plan", "import", str(LUCHENG_PLAN), *user).startswith("已导入“潞城区")
    plan = Plan.objects.get()
    run("plan", "publish", str(plan.pk), *user)  # a draft's tasks are not drawn
    entities = write_xlsx(tmp_path / "entities.xlsx", entity_rows())
    assert run("import_entities", str(entities), *user).strip() == "已导入 20 户检查对象"
    inspectors = write_xlsx(tmp_path / "inspectors.xlsx", inspector_rows())
    assert run("import_inspectors", str(inspectors), *user).strip() == "已导入 12 名执法检查人员"
    police = Inspector.objects.filter(department__short_name="区公安分局")
    assert police.count() == 4
    assert {q.name for i in police for q in i.qualifications.all()} == {"治安管理"}
    assert AuditEntry.objects.filter(model="directory.inspector", username="wangmin").count() == 12

    # The coordinator scopes the two tasks, then freezes both draws.
    tasks = {t.position: t for t in plan.tasks.all()}
    for position, category in ((GRAIN, "粮食经营者"), (HOTELS, "旅馆")):
        seq = str(tasks[position].seq)
        shown = run("scope", "--plan", str(plan.pk), "--task", seq, "--category", category, *user)
        assert shown.splitlines()[0] == f"已保存任务 {seq} 的抽查对象范围"
        assert shown.splitlines()[-1] == "合计\t10"
    assert list(tasks[HOTELS].scope_categories.values_list("name", flat=True)) == ["旅馆"]
    frozen = run("draw", "freeze", "--plan", str(plan.pk), "--task", str(GRAIN), str(HOTELS), *user)
    grain, hotels = (Draw.objects.get(task=tasks[p]) for p in (GRAIN, HOTELS))
    assert frozen.splitlines() == [
        f"{grain.pk}\t{grain.draw_id}\t名单已冻结，等待种子\t任务 {GRAIN}：{tasks[GRAIN].name}",
        f"{hotels.pk}\t{hotels.draw_id}\t名单已冻结，等待种子\t任务 {HOTELS}：{tasks[HOTELS].name}",
    ]

    # Hotels by commit–reveal: the coordinator for its own body, the police admin for its own.
    secrets = {"区市场监管局": "a1" * 16, "区公安分局": "b2" * 16}
    for party, secret in secrets.items():
        actor = "police-admin" if party == "区公安分局" else "wangmin"
        hexdigest = commitment(hotels.draw_id, party, secret)
        run(
            "draw",
            "commit",
            str(hotels.pk),
            "--party",
            party,
            "--commitment",
            hexdigest,
            "--user",
            actor,
        )
    for party, secret in secrets.items():
        actor = "police-admin" if party == "区公安分局" else "wangmin"
        run("draw", "reveal", str(hotels.pk), "--party", party, "--secret", secret, "--user", actor)
    run(
        "draw",
        "complete",
        str(hotels.pk),
        "--public-value",
        "3 5 1 6 2 2 4 6 1 1 5 3 6 4 2 5 1 3 4 6",
        "--public-source",
        "掷骰",
        *user,
    )
    run(
        "draw",
        "complete",
        str(grain.pk),
        "--public-value",
        "2 2 4 6 3 5 1 6 6 1 2 3 4 5 5 4 3 2 1 6",
        *user,
    )
    hotels.refresh_from_db()
    grain.refresh_from_db()
    locked = refusal(
        "scope",
        "--plan",
        str(plan.pk),
        "--task",
        str(tasks[HOTELS].seq),
        "--category",
        "粮食经营者",
        *user,
    )
    assert "冻结抽取名单" in locked
    assert (hotels.state, hotels.bundle["ceremony"]["kind"]) == (DrawState.DRAWN, "commit-reveal")
    assert [r["party"] for r in hotels.reveals] == ["区市场监管局", "区公安分局"]
    assert (grain.state, grain.bundle["ceremony"]["kind"]) == (DrawState.DRAWN, "public")
    draw_entries = AuditEntry.objects.filter(model="draws.draw", object_id=str(hotels.pk))
    assert list(draw_entries.values_list("username", flat=True)) == [
        "wangmin",  # frozen
        "wangmin",  # committed
        "police-admin",
        "wangmin",  # revealed
        "police-admin",
        "wangmin",  # drawn
    ]
    listing = json.loads(run("draw", "list", "--plan", str(plan.pk), "--json", *user))
    assert [(r["task"], r["state"]) for r in listing if r["draw"]] == [
        (GRAIN, "已抽取（不可更改）"),
        (HOTELS, "已抽取（不可更改）"),
    ]
    assert len(listing) == plan.tasks.count()

    # The second random.
    preview = json.loads(run("assign", "preview", "--plan", str(plan.pk), "--json", *user))
    assert (preview["tasks"], preview["shortfalls"]) == (2, [])
    run("assign", "freeze", "--plan", str(plan.pk), *user)
    assignment = plan.assignments.get()
    done = run("assign", "complete", str(assignment.pk), "--public-value", "1 2 3", *user)
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.ASSIGNED
    assert done.strip() == (
        f"{assignment.pk}\t{assignment.assignment_id}\t已分派（不可更改）\t"
        f"检查 {preview['visits_after']} 次"
    )

    # Results: recorded by the coordinator, reviewed by the lead department's admin (services).
    categories = {c.code: c for c in ResultCategory.objects.all()}
    severe_visit = assignment.visits.filter(tasks=tasks[HOTELS]).order_by("code").first()
    for visit in assignment.visits.all():
        for inspection in inspections_of(visit):
            code = "06" if visit == severe_visit else "01"
            record(
                inspection,
                actor=office.coordinator,
                results=[categories[code]],
                inspected_on=date(2023, 6, 15),
                measures="责令改正，依法处理" if code == "06" else "",
            )
            submit(inspection, actor=office.coordinator)
            reviewer = office.police_admin if inspection.task == tasks[HOTELS] else None
            review(inspection, actor=reviewer or make_reviewer(), approve=True)
    approved = Inspection.objects.filter(state=InspectionState.APPROVED).count()
    assert approved == preview["visits_before"]

    # Publication: what is due, then all of it.
    due = run("publish", "--plan", str(plan.pk), "--list", *user).splitlines()
    assert len(due) == approved
    assert run("publish", "--plan", str(plan.pk), "--all-due", *user).strip() == (
        f"已公示 {approved} 项检查结果"
    )
    assert Inspection.objects.filter(state=InspectionState.PUBLISHED).count() == approved
    assert set(Inspection.objects.values_list("published_by__username", flat=True)) == {"wangmin"}

    # The annual report, by the auditor.
    report = tmp_path / "report.docx"
    run(
        "report", "--plan", str(plan.pk), "--format", "docx", "-o", str(report), "--user", "auditor"
    )
    title = Document(str(report)).paragraphs[0].text
    assert title == "潞城区2023年度部门联合“双随机、一公开”抽查工作报告"

    # Risk feedback: the entity that refused the inspection (06) goes to D.
    assert (
        run("risk", "propose", "--plan", str(plan.pk), *user).splitlines()[0]
        == "已生成 1 条调整建议"
    )
    proposal = RiskProposal.objects.get()
    assert run("risk", "apply", "--plan", str(plan.pk), "--all", *user).strip() == "已调整 1 条"
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.APPLIED
    assert Entity.objects.get(pk=severe_visit.entity_id).risk_class == "D"


def make_reviewer() -> User:
    """A second coordinator: the recorder may not review its own results."""
    return User.objects.filter(username="zhaoli").first() or make_user(
        "zhaoli", "协调员", Department.objects.get(short_name="区市场监管局")
    )


@pytest.fixture
def plan(office: Office) -> Plan:
    run("plan", "import", str(LUCHENG_PLAN), "--publish", "--user", "wangmin")
    return Plan.objects.get()


def scope_with_one_entity(plan: Plan, position: int, category: str) -> None:
    """The task scoped to `category`, which one entity of the directory carries."""
    categories = ScopeCategory.objects.filter(name=category)
    plan.tasks.get(position=position).scope_categories.set(categories)
    EntityFactory(name=f"甲{category}", region=plan.region).categories.set(categories)


def test_publishing_an_unknown_result_names_it(plan: Plan) -> None:
    chosen = ("--inspection", "998", "999")

    message = refusal("publish", "--plan", str(plan.pk), *chosen, "--user", "wangmin")

    assert message == f"--inspection：没有编号为 998、999 的计划 {plan.pk} 的检查结果"


def test_a_department_admin_cannot_freeze_and_is_told_the_role(plan: Plan) -> None:
    message = refusal("draw", "freeze", "--plan", str(plan.pk), "--all", "--user", "police-admin")

    assert message == (
        "用户“police-admin”无权操作：只有本辖区的协调员可以冻结名单、完成抽取或重新抽取"
    )
    assert Draw.objects.count() == 0


def test_only_the_coordinator_publishes(plan: Plan) -> None:
    message = refusal("publish", "--plan", str(plan.pk), "--all-due", "--user", "police-admin")

    assert message == "用户“police-admin”无权操作：只有协调员可以公示检查结果"


def test_the_auditor_lists_but_does_not_decide_risk_classes(plan: Plan) -> None:
    assert run("risk", "list", "--plan", str(plan.pk), "--user", "auditor") == ""
    assert refusal("risk", "apply", "--plan", str(plan.pk), "--all", "--user", "auditor") == (
        "用户“auditor”无权操作：只有本辖区的协调员可以调整风险分类"
    )


@pytest.mark.parametrize(
    "command",
    [
        ("draw", "list"),
        ("assign", "preview"),
        ("publish", "--list"),
        ("risk", "propose"),
        ("report", "-o", "/dev/null"),
    ],
)
def test_an_unknown_plan_is_named(office: Office, command: tuple[str, ...]) -> None:
    message = refusal(*command, "--plan", "999", "--user", "wangmin")

    assert message == "--plan：计划 999 不存在或用户“wangmin”无权查看"


def test_an_unknown_user_is_named(plan: Plan) -> None:
    message = refusal("draw", "list", "--plan", str(plan.pk), "--user", "nobody")

    assert message == "--user：没有用户“nobody”"


def test_a_freeze_that_fails_for_one_task_writes_no_draw(plan: Plan) -> None:
    scope_with_one_entity(plan, GRAIN, "粮食经营者")
    err = io.StringIO()
    tasks = ("--task", str(GRAIN), str(HOTELS))

    message = refusal(
        "draw", "freeze", "--plan", str(plan.pk), *tasks, "--user", "wangmin", stderr=err
    )

    assert message == "冻结失败：1 项任务不能冻结，未写入任何抽取"
    assert err.getvalue().strip() == (
        f"任务 {HOTELS}：任务“{plan.tasks.get(position=HOTELS)}”的抽取名单为空：请检查抽查对象范围"
    )
    assert Draw.objects.count() == 0


def test_a_department_admin_commits_only_for_its_own_department(plan: Plan) -> None:
    scope_with_one_entity(plan, HOTELS, "旅馆")
    run("draw", "freeze", "--plan", str(plan.pk), "--task", str(HOTELS), "--user", "wangmin")
    draw = Draw.objects.get()

    as_admin = ("--user", "police-admin")

    other_party = refusal(
        "draw",
        "commit",
        str(draw.pk),
        "--party",
        "联席会议办公室",
        "--commitment",
        "ab" * 32,
        *as_admin,
    )
    completing = refusal("draw", "complete", str(draw.pk), "--public-value", "1", *as_admin)

    assert other_party == (
        "用户“police-admin”无权操作：不能以“联席会议办公室”的名义提交承诺："
        "每个部门只能由本部门以自己的名义参加"
    )
    assert completing == (
        "用户“police-admin”无权操作：只有本辖区的协调员可以冻结名单、完成抽取或重新抽取"
    )
    draw.refresh_from_db()
    assert (draw.commitments, draw.state) == ([], DrawState.FROZEN)


def test_inspector_file_problems_are_named_by_row_and_nothing_is_written(
    office: Office, tmp_path: Path
) -> None:
    rows: list[list[object]] = [
        INSPECTOR_HEADER,
        ["甲", "区市场监管局", "1404069900001", "2021-01-01", "2025-12-31", "", ""],
        ["乙", "区水务局", "1404069900002", "2021-01-01", "2025-12-31", "", ""],
        ["丙", "区公安分局", "1404069900003", "2021-13-01", "2020-12-31", "", "休假"],
        ["丁", "区公安分局", "1404069900004", "2021-01-01", "2025-12-31", "治安管理、爆破", ""],
        ["戊", "区公安分局", "1404069900001", "2021-01-01", "2025-12-31", "", "离岗"],
    ]
    file = write_xlsx(tmp_path / "inspectors.xlsx", rows)
    err = io.StringIO()

    message = refusal("import_inspectors", str(file), "--user", "wangmin", stderr=err)

    assert message == "导入失败：5处问题，未写入任何数据"
    assert err.getvalue().splitlines() == [
        "第3行“部门”列（区水务局）：长治市潞城区没有这个部门（全称、简称或别称）",
        "第4行“有效期起”列（2021-13-01）：日期无效，应写作 2023-03-01",
        "第4行“状态”列（休假）：应为 在岗 或 离岗",
        "第5行“资格”列（爆破）：未知的执法资格，请先在“执法资格”中添加",
        "第6行“执法证号”列（1404069900001）：与第2行的执法证号重复",
    ]
    assert Inspector.objects.count() == 0


def test_a_department_admin_imports_only_its_own_inspectors(office: Office, tmp_path: Path) -> None:
    rows: list[list[object]] = [
        INSPECTOR_HEADER[:5],
        ["甲", "区公安分局", "1404069900001", "2021-01-01", "2025-12-31"],
        ["乙", "区市场监管局", "1404069900002", "2021-01-01", "2025-12-31"],
    ]
    file = write_xlsx(tmp_path / "inspectors.xlsx", rows)
    err = io.StringIO()

    message = refusal("import_inspectors", str(file), "--user", "police-admin", stderr=err)

    assert message == "导入失败：1处问题，未写入任何数据"
    assert err.getvalue().strip() == (
        "第3行“部门”列（区市场监管局）：部门管理员只能导入本部门的执法人员"
    )
    own = write_xlsx(tmp_path / "own.xlsx", rows[:2])
    assert run("import_inspectors", str(own), "--user", "police-admin").strip() == (
        "已导入 1 名执法检查人员"
    )
    assert Inspector.objects.get().department.short_name == "区公安分局"


def test_an_auditor_cannot_import_inspectors(office: Office, tmp_path: Path) -> None:
    file = write_xlsx(tmp_path / "inspectors.xlsx", [INSPECTOR_HEADER])

    message = refusal("import_inspectors", str(file), "--user", "auditor")

    assert message == "用户“auditor”的角色是审计员：此操作只有协调员或部门管理员可以进行"


def test_the_shuangsuiji_command_sends_draw_steps_to_the_database_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from shuangsuiji.cli import main

    with pytest.raises(SystemExit) as exit_code:
        main(["draw", "freeze", "--help"])

    assert exit_code.value.code == 0
    assert "--plan 计划编号" in capsys.readouterr().out
