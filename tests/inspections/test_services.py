"""Recording, review and follow-up of inspection results, and who may do each step."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shuangsuiji.accounts.models import User
from shuangsuiji.accounts.permissions import NotAllowed
from shuangsuiji.assignments.models import Visit
from shuangsuiji.inspections.models import FollowUp, Inspection, InspectionState, ResultCategory
from shuangsuiji.inspections.rules import may_review, reviewable
from shuangsuiji.inspections.services import (
    InspectionStepError,
    attach,
    close_follow_up,
    inspections_of,
    record,
    review,
    submit,
)
from shuangsuiji.plans.models import PlanTask
from tests.inspections.conftest import day_in

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def result(code: str) -> ResultCategory:
    return ResultCategory.objects.get(code=code)


def reviewer_of(inspection: Inspection) -> User:
    return User.objects.get(username="lucheng-coordinator")


def test_the_demo_leaves_results_in_every_state(demo: object) -> None:
    states = set(Inspection.objects.values_list("state", flat=True))

    assert states == {"published", "approved", "submitted", "returned"}
    assert Inspection.objects.filter(follow_up=FollowUp.OPEN).exists()


def test_opening_a_visit_makes_one_inspection_per_task(own_visit: Visit) -> None:
    inspections = inspections_of(own_visit)

    assert sorted(i.task_id for i in inspections) == sorted(
        own_visit.tasks.values_list("pk", flat=True)
    )
    assert inspections_of(own_visit) == inspections  # idempotent
    assert {i.state for i in inspections} == {InspectionState.PENDING}


def test_a_team_member_records_and_submits_and_the_coordinator_approves(
    inspector: User, own_visit: Visit
) -> None:
    inspection = inspections_of(own_visit)[0]

    record(inspection, actor=inspector, results=[result("01")], inspected_on=day_in(own_visit))
    submit(inspection, actor=inspector)
    approved = review(inspection, actor=reviewer_of(inspection), approve=True)

    assert approved.state == InspectionState.APPROVED
    assert approved.follow_up == FollowUp.NONE
    assert approved.recorded_by == inspector


def test_a_finding_needs_measures_opens_a_follow_up_and_is_closed_with_a_note(
    inspector: User, own_visit: Visit
) -> None:
    inspection = inspections_of(own_visit)[0]
    finding = [result("0201")]

    with pytest.raises(InspectionStepError, match="后续处置措施"):
        record(inspection, actor=inspector, results=finding, inspected_on=day_in(own_visit))
    record(
        inspection,
        actor=inspector,
        results=finding,
        inspected_on=day_in(own_visit),
        measures="责令15日内补报年报",
    )
    submit(inspection, actor=inspector)
    review(inspection, actor=reviewer_of(inspection), approve=True)
    closed = close_follow_up(inspection, actor=inspector, note="已补报，复查合格")

    assert closed.follow_up == FollowUp.CLOSED


@pytest.mark.parametrize(
    ("codes", "message"),
    [
        ((), "至少选择一项"),
        (("02",), "请选择具体情形"),
        (("01", "03"), "不能与其他检查结果同时选择"),
    ],
)
def test_results_that_do_not_fit_together_are_refused(
    inspector: User, own_visit: Visit, codes: tuple[str, ...], message: str
) -> None:
    inspection = inspections_of(own_visit)[0]

    with pytest.raises(InspectionStepError, match=message):
        record(
            inspection,
            actor=inspector,
            results=[result(c) for c in codes],
            inspected_on=day_in(own_visit),
            measures="x",
        )


def test_the_inspection_date_must_lie_in_the_visit_window(
    inspector: User, own_visit: Visit
) -> None:
    inspection = inspections_of(own_visit)[0]
    before = day_in(own_visit).replace(year=day_in(own_visit).year - 1)

    with pytest.raises(InspectionStepError, match="检查时间"):
        record(inspection, actor=inspector, results=[result("01")], inspected_on=before)


def test_only_the_team_records_and_the_recorder_never_reviews_their_own(
    inspector: User, own_visit: Visit
) -> None:
    inspection = inspections_of(own_visit)[0]
    outsider = User.objects.get(username="chengqu-inspector")
    coordinator = reviewer_of(inspection)

    with pytest.raises(NotAllowed, match="检查组成员"):
        record(inspection, actor=outsider, results=[result("01")], inspected_on=day_in(own_visit))
    record(inspection, actor=coordinator, results=[result("01")], inspected_on=day_in(own_visit))
    submit(inspection, actor=coordinator)
    with pytest.raises(NotAllowed, match="录入人不能审核"):
        review(inspection, actor=coordinator, approve=True)


def test_a_returned_result_needs_a_reason_and_can_be_corrected_and_resubmitted(
    inspector: User, own_visit: Visit
) -> None:
    inspection = inspections_of(own_visit)[0]
    record(inspection, actor=inspector, results=[result("01")], inspected_on=day_in(own_visit))
    submit(inspection, actor=inspector)
    coordinator = reviewer_of(inspection)

    with pytest.raises(InspectionStepError, match="原因"):
        review(inspection, actor=coordinator, approve=False)
    returned = review(inspection, actor=coordinator, approve=False, reason="日期有误")
    record(inspection, actor=inspector, results=[result("03")], inspected_on=day_in(own_visit))
    again = submit(inspection, actor=inspector)

    assert returned.state == InspectionState.RETURNED
    assert again.state == InspectionState.SUBMITTED
    with pytest.raises(InspectionStepError, match="不能再修改"):
        record(inspection, actor=inspector, results=[result("01")], inspected_on=day_in(own_visit))


def test_attachments_are_photos_or_pdfs_by_content_not_by_name(
    inspector: User, own_visit: Visit, settings: object
) -> None:
    inspection = inspections_of(own_visit)[0]

    photo = attach(inspection, SimpleUploadedFile("现场.png", PNG), actor=inspector)
    assert (photo.content_type, photo.size) == ("image/png", len(PNG))
    for upload, message in [
        (SimpleUploadedFile("现场.jpg", PNG), "扩展名与内容"),
        (SimpleUploadedFile("脚本.png", b"<script>alert(1)</script>"), "不是 JPEG"),
    ]:
        with pytest.raises(InspectionStepError, match=message):
            attach(inspection, upload, actor=inspector)
    settings.ATTACHMENT_MAX_MB = 0  # type: ignore[attr-defined]
    with pytest.raises(InspectionStepError, match="超过"):
        attach(inspection, SimpleUploadedFile("大.png", PNG), actor=inspector)
    assert BytesIO(photo.file.read()).getvalue() == PNG


def test_the_review_filter_agrees_with_may_review_for_every_user_and_result(
    demo: object,
) -> None:
    inspections = Inspection.objects.select_related("task")
    coordinator = User.objects.get(username="lucheng-coordinator")
    admin = User.objects.get(username="lucheng-dept-admin")
    # A result of a task 区教育局 leads (opened as the page opens a visit, whether or not the
    # demo recorded it), and one result each reviewer recorded itself: never theirs to review.
    led_task = PlanTask.objects.filter(lead_department=admin.department).order_by("pk").first()
    visit = Visit.objects.filter(tasks=led_task).order_by("pk").first()
    led = next(i for i in inspections_of(visit) if i.task_id == led_task.pk)
    for recorder, inspection in ((coordinator, inspections.order_by("pk")[0]), (admin, led)):
        Inspection.objects.filter(pk=inspection.pk).update(recorded_by=recorder)

    for user in User.objects.all():
        expected = {i.pk for i in inspections if may_review(user, i)}
        assert set(reviewable(inspections, user).values_list("pk", flat=True)) == expected, user
