"""Substitutions in the app: a drawn entity that cannot be inspected gives way to the next
reserve of its round and stratum (draw-spec V8), recorded with reason, who and when, published
in the bundle and checked by `verify`; an entity is substituted at most once."""

import io
import json
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from shuangsuiji.accounts.models import User
from shuangsuiji.accounts.permissions import SYSTEM
from shuangsuiji.api.services import create_token
from shuangsuiji.assignments.models import Visit
from shuangsuiji.assignments.services import effective_selection
from shuangsuiji.audit.models import AuditEntry
from shuangsuiji.audit.recorder import acting_as
from shuangsuiji.core.draw import (
    read_codes_csv,
    read_population_csv,
    read_tokens_csv,
    verify,
    verify_public,
)
from shuangsuiji.demo.build import build_demo
from shuangsuiji.draws.models import Draw, Substitution
from shuangsuiji.draws.services import complete_draw, freeze_draw
from shuangsuiji.draws.substitutions import (
    SubstitutionError,
    published_bundle,
    substitute,
)
from shuangsuiji.inspections.models import Inspection, ResultCategory
from shuangsuiji.inspections.services import inspections_of, record, review, submit
from shuangsuiji.inspections.uninspectable import awaiting_substitution, unvisited_replacements
from shuangsuiji.plans.models import PlanTask
from tests.conftest import World
from tests.draws.test_services import make_task

pytestmark = pytest.mark.django_db

DICE = "6 2 5 1 3 4 4 6 1 2 5 5 3 6 2 1 4 3 6 5"


def drawn(world: World, entities: int = 40) -> Draw:
    """A drawn draw: 40 entities, ten per class A–D, ratio 0.3 — three selected and three
    reserves in each class's first round."""
    return complete_draw(
        freeze_draw(make_task(world, entities=entities), actor=SYSTEM),
        actor=SYSTEM,
        public_value=DICE,
        public_source="联席会议掷骰",
    )


def lists(draw: Draw, stratum: str) -> tuple[list[str], list[str]]:
    data = draw.bundle["rounds"][0]["strata"][stratum]
    return data["selected"], data["reserve"]


def verdict(bundle: dict[str, Any], draw: Draw) -> list[str]:
    return verify(bundle, read_population_csv(draw.population_csv))


def public_verdict(bundle: dict[str, Any], draw: Draw) -> list[str]:
    """The public record's verdict, from the codes and tokens the public downloads."""
    client = Client()
    codes, tokens = (
        client.get(reverse("disclosure:draw_file", args=[draw.draw_id, name])).content.decode()
        for name in ("population.csv", "tokens.csv")
    )
    return verify_public(bundle, read_codes_csv(codes), read_tokens_csv(tokens))


def test_the_first_substitution_takes_the_first_reserve_and_the_published_bundle_verifies(
    world: World,
) -> None:
    draw = drawn(world)
    selected, reserve = lists(draw, "A")

    made = substitute(
        draw, replaced=selected[1], reason="检查结果：已注销", actor=world.coordinator
    )

    assert (made.number, made.round, made.stratum) == (1, 1, "A")
    assert (made.replaced, made.replacement) == (selected[1], reserve[0])
    assert made.recorded_by == world.coordinator
    bundle = published_bundle(draw)
    assert bundle["substitutions"] == [
        {
            "round": 1,
            "stratum": "A",
            "replaced": selected[1],
            "replacement": reserve[0],
            "reason": "检查结果：已注销",
        }
    ]
    assert verdict(bundle, draw) == []
    assert Draw.objects.get(pk=draw.pk).bundle["substitutions"] == []  # the frozen record


def test_a_substitute_that_cannot_be_inspected_is_substituted_by_the_next_reserve(
    world: World,
) -> None:
    draw = drawn(world)
    selected, reserve = lists(draw, "B")
    substitute(draw, replaced=selected[0], reason="迁出", actor=world.coordinator)

    second = substitute(draw, replaced=reserve[0], reason="无法联系", actor=world.coordinator)

    assert (second.number, second.replaced, second.replacement) == (2, reserve[0], reserve[1])
    bundle = published_bundle(draw)
    assert verdict(bundle, draw) == []
    visited = effective_selection(bundle)
    assert reserve[1] in visited
    assert selected[0] not in visited
    assert reserve[0] not in visited


def test_each_stratum_uses_its_own_reserves_in_order(world: World) -> None:
    draw = drawn(world)
    a_selected, a_reserve = lists(draw, "A")
    c_selected, c_reserve = lists(draw, "C")

    substitute(draw, replaced=a_selected[0], reason="已注销", actor=world.coordinator)
    on_c = substitute(draw, replaced=c_selected[2], reason="已注销", actor=world.coordinator)
    on_a = substitute(draw, replaced=a_selected[2], reason="迁出", actor=world.coordinator)

    assert on_c.replacement == c_reserve[0]
    assert on_a.replacement == a_reserve[1]
    assert verdict(published_bundle(draw), draw) == []


def test_an_entity_already_substituted_is_refused_a_second_time(world: World) -> None:
    draw = drawn(world)
    selected, _ = lists(draw, "A")
    substitute(draw, replaced=selected[0], reason="已注销", actor=world.coordinator)

    with pytest.raises(SubstitutionError, match="同一主体只能被替换一次"):
        substitute(draw, replaced=selected[0], reason="又注销", actor=world.coordinator)

    assert draw.substitutions.count() == 1


def test_a_bundle_with_a_double_substitution_fails_verification(world: World) -> None:
    draw = drawn(world)
    selected, reserve = lists(draw, "A")
    substitute(draw, replaced=selected[0], reason="已注销", actor=world.coordinator)
    bundle = published_bundle(draw)
    forged = {
        "round": 1,
        "stratum": "A",
        "replaced": selected[0],
        "replacement": reserve[1],
        "reason": "又注销",
    }

    problems = verdict({**bundle, "substitutions": [*bundle["substitutions"], forged]}, draw)

    assert problems == [f"第2次替换：{selected[0]} 已在第1次替换中被替换，同一主体只能被替换一次"]


def test_the_database_refuses_a_second_row_for_the_same_entity(world: World) -> None:
    draw = drawn(world)
    selected, reserve = lists(draw, "D")
    substitute(draw, replaced=selected[0], reason="已注销", actor=world.coordinator)

    with pytest.raises(IntegrityError), transaction.atomic():
        Substitution.objects.create(
            draw=draw,
            number=2,
            round=1,
            stratum="D",
            replaced=selected[0],
            replacement=reserve[1],
            reason="绕过服务",
        )


def test_substitutions_can_be_neither_changed_nor_deleted(world: World) -> None:
    draw = drawn(world)
    selected, _ = lists(draw, "A")
    made = substitute(draw, replaced=selected[0], reason="已注销", actor=world.coordinator)

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Substitution.objects.filter(pk=made.pk).update(reason="改写")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Substitution.objects.filter(pk=made.pk).delete()

    assert Substitution.objects.get(pk=made.pk).reason == "已注销"


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_truncating_substitutions_is_refused(world: World) -> None:
    draw = drawn(world)
    selected, _ = lists(draw, "A")
    substitute(draw, replaced=selected[0], reason="已注销", actor=world.coordinator)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    with (
        pytest.raises(DatabaseError, match="TRUNCATE refused"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("TRUNCATE draws_substitution")


def test_when_the_reserves_run_out_nothing_is_recorded(world: World) -> None:
    draw = drawn(world)
    selected, reserve = lists(draw, "C")
    chain = [selected[0], *reserve]
    for replaced in chain[:-1]:
        substitute(draw, replaced=replaced, reason="无法联系", actor=world.coordinator)

    with pytest.raises(SubstitutionError, match="备选名单已用完"):
        substitute(draw, replaced=chain[-1], reason="无法联系", actor=world.coordinator)

    assert draw.substitutions.count() == len(reserve)


@pytest.mark.parametrize(
    ("replaced", "reason", "message"),
    [
        ("first", "  ", "必须说明原因"),
        ("first", "因" * 201, "不能超过 200 字"),
        ("reserve", "已注销", "不在本次抽取的抽中名单中"),
        ("91140000NOTDRAWN1", "已注销", "不在本次抽取的抽中名单中"),
    ],
)
def test_a_substitution_without_reason_or_of_an_entity_not_selected_is_refused(
    world: World, replaced: str, reason: str, message: str
) -> None:
    draw = drawn(world)
    selected, reserve = lists(draw, "A")
    code = {"first": selected[0], "reserve": reserve[0]}.get(replaced, replaced)

    with pytest.raises(SubstitutionError, match=message):
        substitute(draw, replaced=code, reason=reason, actor=world.coordinator)

    assert draw.substitutions.count() == 0


def test_a_draw_not_yet_drawn_or_corrected_takes_no_substitution(world: World) -> None:
    frozen = freeze_draw(make_task(world), actor=SYSTEM)
    with pytest.raises(SubstitutionError, match="尚未完成抽取"):
        substitute(frozen, replaced="X", reason="已注销", actor=world.coordinator)
    done = complete_draw(frozen, actor=SYSTEM, public_value=DICE, public_source="掷骰")
    freeze_draw(done.task, actor=SYSTEM, supersedes=done, reason="名录漏录两户已开业的旅馆")
    selected, _ = lists(done, "A")

    with pytest.raises(SubstitutionError, match="已被更正"):
        substitute(done, replaced=selected[0], reason="已注销", actor=world.coordinator)


def test_who_may_record_a_substitution(world: World) -> None:
    """The region's coordinator and the lead department's admin (区公安分局 leads the task);
    another department's admin, an inspector, an auditor and nobody are refused."""
    draw = drawn(world)
    selected, _ = lists(draw, "A")
    actors = {
        "coordinator": world.coordinator,
        "lead admin": world.police_admin,
        "other admin": world.education_admin,
        "inspector": world.inspector_user,
        "auditor": world.auditor,
        "anonymous": AnonymousUser(),
    }

    outcome = {}
    for name, actor in actors.items():
        with transaction.atomic():
            try:
                substitute(draw, replaced=selected[0], reason="已注销", actor=actor)
                outcome[name] = "pass"
            except PermissionDenied:
                outcome[name] = "refused"
            transaction.set_rollback(True)

    assert outcome == {
        "coordinator": "pass",
        "lead admin": "pass",
        "other admin": "refused",
        "inspector": "refused",
        "auditor": "refused",
        "anonymous": "refused",
    }


def test_a_substitution_is_written_on_the_audit_chain(world: World) -> None:
    draw = drawn(world)
    selected, reserve = lists(draw, "B")

    with acting_as(world.coordinator):  # who the chain names: the request's user, as pages do
        made = substitute(draw, replaced=selected[0], reason="迁出", actor=world.coordinator)

    entry = AuditEntry.objects.get(model="draws.substitution", object_id=str(made.pk))
    assert (entry.action, entry.user_id) == ("create", world.coordinator.pk)
    assert (entry.after["replaced"], entry.after["replacement"]) == (selected[0], reserve[0])


def test_the_draw_page_records_a_substitution_and_every_download_carries_it(
    world: World,
) -> None:
    draw = drawn(world)
    selected, reserve = lists(draw, "A")
    client = Client()
    client.force_login(world.coordinator)

    response = client.post(
        reverse("draws:substitute", args=[draw.pk]),
        {"replaced": selected[0], "reason": "检查结果：已注销"},
    )
    page = client.get(reverse("draws:detail", args=[draw.pk]))
    internal = json.loads(client.get(reverse("draws:file", args=[draw.pk, "bundle.json"])).content)
    public = json.loads(
        Client().get(reverse("disclosure:draw_file", args=[draw.draw_id, "bundle.json"])).content
    )
    token = create_token(world.coordinator, name="测试")[1]
    api_url = reverse("api:draw_bundle", args=[draw.pk])
    api = json.loads(Client().get(api_url, HTTP_AUTHORIZATION=f"Bearer {token}").content)
    public_page = Client().get(reverse("disclosure:draw", args=[draw.draw_id]))

    assert response.status_code == 302
    assert response.url == reverse("draws:detail", args=[draw.pk]) + "#substitutions"
    expected = [
        {
            "round": 1,
            "stratum": "A",
            "replaced": selected[0],
            "replacement": reserve[0],
            "reason": "检查结果：已注销",
        }
    ]
    # the public record names no stratum (draw-spec V11): it would tell both companies' class
    unlabelled = [{k: v for k, v in sub.items() if k != "stratum"} for sub in expected]
    assert internal["substitutions"] == api["substitutions"] == expected
    assert public["substitutions"] == unlabelled
    assert verdict(internal, draw) == []
    assert public_verdict(public, draw) == []
    assert f"<td>{selected[0]}</td><td>{reserve[0]}</td>" in page.content.decode()
    assert f"<td>{selected[0]}</td><td>{reserve[0]}</td>" in public_page.content.decode()


def test_a_refused_substitution_through_the_page_says_why(world: World) -> None:
    draw = drawn(world)
    client = Client()
    client.force_login(world.coordinator)

    response = client.post(
        reverse("draws:substitute", args=[draw.pk]),
        {"replaced": "NOSUCH", "reason": "已注销"},
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == ["NOSUCH 不在本次抽取的抽中名单中"]
    assert draw.substitutions.count() == 0


# --- from an inspection's result (demo data) ----------------------------------------------


def _has_a_reserve_for(draw: Draw, code: str) -> bool:
    """Whether the stratum holding `code` in the draw's first round has a reserve."""
    first = draw.bundle["rounds"][0]["strata"] if draw.bundle else {}
    return any(code in data["selected"] and data["reserve"] for data in first.values())


def test_an_approved_result_of_cancelled_registration_offers_the_one_click_substitution() -> None:
    """A visit's result says 已注销; once approved, the entity is 待替补 on the draw page, the
    coordinator's one click substitutes it, and it is no longer waiting. The assignment was
    made before, so the page says the replacement has no visit yet."""
    build_demo(entities_per_district=300)
    coordinator = User.objects.get(username="lucheng-coordinator")
    unrecorded = Visit.objects.filter(
        assignment__plan__region__code="140406", inspections__isnull=True
    ).select_related("entity")
    # codes sorted in Python: any database; the demo's draws are random, so take the first
    # visit whose company's stratum has a reserve left to take its place
    visit, inspection, draw = next(
        (visit, inspection, draw)
        for visit in sorted(unrecorded, key=lambda v: v.code)
        for inspection in inspections_of(visit)[:1]
        for draw in Draw.objects.filter(task=inspection.task, superseded_by__isnull=True)
        if _has_a_reserve_for(draw, visit.entity.uscc)
    )
    code = inspection.visit.entity.uscc
    before = {a.uscc for a in awaiting_substitution(draw)}
    reviewer = User.objects.get(username="lucheng-dept-admin")  # its department leads the task
    PlanTask.objects.filter(pk=inspection.task_id).update(lead_department=reviewer.department)
    cancelled = [ResultCategory.objects.get(code="07")]
    day = _a_day_in(visit)
    record(inspection, actor=coordinator, results=cancelled, inspected_on=day)  # a paper record
    submit(inspection, actor=coordinator)
    submitted = {a.uscc for a in awaiting_substitution(draw)}
    review(inspection, actor=reviewer, approve=True)

    waiting = {a.uscc: a for a in awaiting_substitution(draw)}
    client = Client()
    client.force_login(coordinator)
    page = client.get(reverse("draws:detail", args=[draw.pk])).content.decode()
    reason = f"检查结果：已注销（检查 {inspection.visit.code}）"
    response = client.post(
        reverse("draws:substitute", args=[draw.pk]),
        {"replaced": code, "reason": reason},
        follow=True,
    )
    said = [str(m) for m in response.context["messages"]]
    made = draw.substitutions.filter(replaced=code).first()
    assert made is not None, said

    assert code not in before
    assert submitted == before  # a result still under review offers nothing
    assert set(waiting) - before == {code}
    assert waiting[code].reason == reason
    assert f'<input type="hidden" name="replaced" value="{code}">' in page
    assert (made.reason, made.recorded_by) == (reason, coordinator)
    assert code not in {a.uscc for a in awaiting_substitution(draw)}
    assert unvisited_replacements(draw) == [made.replacement]
    assert verdict(published_bundle(draw), draw) == []


def _a_day_in(visit: Any) -> date:
    year, month = (int(part) for part in visit.window_start.split("-"))
    return date(year, month, 1)


# --- the command ----------------------------------------------------------------------------


def test_the_command_substitutes_as_its_user_and_lists_the_substitutions(world: World) -> None:
    draw = drawn(world)
    selected, reserve = lists(draw, "A")
    out = io.StringIO()

    call_command(
        "substitute",
        str(draw.pk),
        "--replaced",
        selected[0],
        "--reason",
        "检查结果：迁出",
        "--user",
        world.police_admin.username,  # 区公安分局 leads the task
        stdout=out,
    )
    listed = io.StringIO()
    call_command("substitute", str(draw.pk), "--user", world.auditor.username, stdout=listed)

    assert out.getvalue() == (f"已登记第 1 次替补\t{draw.draw_id}\t{selected[0]} → {reserve[0]}\n")
    assert listed.getvalue() == f"1\t1\tA\t{selected[0]}\t{reserve[0]}\t检查结果：迁出\n"
    entry = AuditEntry.objects.get(model="draws.substitution")
    assert entry.user_id == world.police_admin.pk


def test_the_command_refuses_whom_the_rule_refuses(world: World) -> None:
    draw = drawn(world)
    selected, _ = lists(draw, "A")
    said = {}
    for actor in (world.education_admin, world.inspector_user, world.auditor):
        with pytest.raises(CommandError) as refused:
            call_command(
                "substitute",
                str(draw.pk),
                "--replaced",
                selected[0],
                "--reason",
                "已注销",
                "--user",
                actor.username,
            )
        said[actor.username] = str(refused.value)

    assert draw.substitutions.count() == 0
    refused = "只有本辖区的协调员或牵头部门的管理员可以登记替补"
    unseen = "抽取 {} 不存在或用户“{}”无权查看"
    assert said == {  # the other department and the inspector do not see the draw at all
        world.education_admin.username: unseen.format(draw.pk, world.education_admin),
        world.inspector_user.username: unseen.format(draw.pk, world.inspector_user),
        world.auditor.username: f"用户“{world.auditor.username}”无权操作：{refused}",
    }


def test_approving_such_a_result_on_the_visit_page_tells_the_reviewer_it_awaits_a_substitute() -> (
    None
):
    build_demo(entities_per_district=300)
    coordinator = User.objects.get(username="lucheng-coordinator")
    unrecorded = Visit.objects.filter(
        assignment__plan__region__code="140406", inspections__isnull=True
    ).select_related("entity")
    visit = min(unrecorded, key=lambda v: v.code)
    inspection = inspections_of(visit)[0]
    moved = [ResultCategory.objects.get(code="10")]
    record(inspection, actor=coordinator, results=moved, inspected_on=_a_day_in(visit))
    submit(inspection, actor=coordinator)
    # as if the team had recorded it: the coordinator reviews, never its own record
    Inspection.objects.filter(pk=inspection.pk).update(recorded_by=None)
    draw = Draw.objects.get(task=inspection.task, superseded_by__isnull=True)
    client = Client()
    client.force_login(coordinator)

    page = client.post(
        reverse("inspections:step", args=[inspection.pk]), {"step": "approve"}, follow=True
    )

    assert [str(m) for m in page.context["messages"]] == [
        f"{inspection.task.name}：已保存",
        f"{visit.entity.name}的检查结果为“迁出”，待替补：请到抽取 {draw.draw_id}"
        " 的页面由备选名单中的下一位替补",
    ]


@pytest.mark.parametrize(("published", "class_cell"), [(False, ""), (True, "<td>A</td>")])
def test_the_public_page_names_the_substitutions_class_only_where_classes_are_published(
    world: World, settings: Any, published: bool, class_cell: str
) -> None:
    settings.PUBLISH_RISK_CLASSES = published
    draw = drawn(world)
    selected, reserve = lists(draw, "A")
    substitute(draw, replaced=selected[0], reason="迁出", actor=world.coordinator)

    page = Client().get(reverse("disclosure:draw", args=[draw.draw_id])).content.decode()

    row = f'<td class="num">1</td><td class="num">1</td>{class_cell}<td>{selected[0]}</td>'
    assert f"{row}<td>{reserve[0]}</td><td>迁出</td>" in page
