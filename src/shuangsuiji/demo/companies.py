"""The demo's company account (企业端): one company of the plan, with a sign-in token printed
at `make demo`'s start like the staff accounts, a time slot it booked before its visit, its
rating of the visit, and two objections to its published results — one answered by the lead
department, one pending (the public result page shows 异议处理中 beside it).

The demo's plans are of past years and the visit has been carried out, so the slots are
written as they were before it (the service refuses slots for a visit already made); the
rating and the objections go through the services, the answer as SYSTEM for the lead."""

from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from shuangsuiji.accounts.permissions import SYSTEM
from shuangsuiji.assignments.models import Visit
from shuangsuiji.checks.codes import code_for
from shuangsuiji.companies.models import VisitSlot
from shuangsuiji.companies.services import answer_objection, object_to, rate
from shuangsuiji.companies.tokens import notice_token
from shuangsuiji.inspections.models import InspectionState
from shuangsuiji.plans.models import Plan

EVIDENCE = b"%PDF-1.4\n% demo evidence\n%%EOF\n"


def demo_company(plan: Plan) -> tuple[str, str, str] | None:
    """The company account as `DemoSummary.companies` lists it: (统一社会信用代码, its
    sign-in token, its name); None for a demo too small to have published a result. The token
    is spent by its first sign-in; a notice printed again from the visit's page carries the
    next one."""
    visit = _visit_with_published_results(plan)
    if visit is None:
        return None
    company = visit.entity
    code_for(visit, actor=SYSTEM)
    _booked_slot(visit)
    rate(company, visit.pk, score=4, comment="提前预约了检查时段，检查人员出示了检查码（演示数据）")
    published = list(visit.inspections.filter(state=InspectionState.PUBLISHED).order_by("pk")[:2])
    answered = object_to(
        company,
        published[0].pk,
        reason="检查后已按要求整改完毕，附整改报告（演示数据）",
        upload=SimpleUploadedFile("整改报告.pdf", EVIDENCE, content_type="application/pdf"),
    )
    answer_objection(
        answered,
        accept=False,
        answer="检查结果反映检查当日的情况，整改情况已记入后续处理（演示数据）",
        actor=SYSTEM,
    )
    if len(published) > 1:
        reason = "检查事项与我单位经营范围不符（演示数据）"
        object_to(company, published[1].pk, reason=reason, upload=None)
    token = notice_token(visit)
    return company.uscc, token, company.name


def _visit_with_published_results(plan: Plan) -> Visit | None:
    """The first visit (by code) with two published results, else with one, else None."""
    visits = Visit.objects.filter(assignment__plan=plan, assignment__superseded_by__isnull=True)
    counted = [
        (sum(i.state == InspectionState.PUBLISHED for i in visit.inspections.all()), visit)
        for visit in sorted(visits.prefetch_related("inspections"), key=lambda v: v.code)
    ]
    for wanted in (2, 1):
        chosen = next((visit for n, visit in counted if n >= wanted), None)
        if chosen is not None:
            return chosen
    return None


def _booked_slot(visit: Visit) -> None:
    """Two times the team offered a week before the visit, the company's pick the first."""
    done = min(i.inspected_on for i in visit.inspections.all() if i.inspected_on is not None)
    zone = timezone.get_current_timezone()
    for hours, chosen in ((9, True), (14, False)):
        starts = timezone.make_aware(datetime.combine(done, time(hours)), zone)
        offered = starts - timedelta(days=7)
        slot = VisitSlot.objects.create(
            visit=visit,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            note="现场检查（演示数据）",
            chosen_at=offered + timedelta(days=1) if chosen else None,
        )
        VisitSlot.objects.filter(pk=slot.pk).update(offered_at=offered)
