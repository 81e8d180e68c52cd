"""The 行政检查审批表, 行政检查通知书 and 现场检查笔录 of a visit, filled from the platform's
records, in the Ministry of Justice's 《行政检查文书基本格式文本（试行）》 (司法部办公厅, 2025).

The field set follows what the Ministry says the formats fix as every document's basic
elements: the legal basis (法律依据), the inspecting body (执法主体), the task's source (任务来源)
and the frequency (检查频次); the inspectors' valid certificates, shown and never replaced by
another paper; the number of assistants fixed beforehand; the duty to inform, the right to
request 回避 and the remedies; approval before the check by the body's head, an emergency
approved afterwards. Sources (read 2026-12):
- http://www.moj.gov.cn/pub/sfbgw/jgsz/jgszjgtj/jgtjxzzfxtjdj/xzzfjdjtjxw/202505/t20250508_518854.html
  (司法部: 以文书标准化为抓手 规范行政检查全流程 — the seven formats and their elements)
- http://www.xjrq.gov.cn/rqxrmzf/c108774/202505/6171af9f5dad4536a6b2dd1c5b0ce6ff.shtml
  (the formats: 检查必审批、必通知, the notice tells the frequency and the discipline, 申请回避)
- http://www.cocodala.gov.cn/html/1519/2025-06-23/content-90108.html
  (Q&A 21: every check approved beforehand by the body's head; an emergency reported and
  its approval completed afterwards)
The templates' own wording was not in the sources at hand: the labels here are the elements
above in plain words, not a copy of the printed forms (docs/compliance.md says so).

Each document carries the visit's inspection code and its QR image (扫码入企)."""

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from shuangsuiji.approvals.models import Assistant
from shuangsuiji.approvals.standing import approval_line, standing_of
from shuangsuiji.assignments.models import Visit
from shuangsuiji.assignments.services import visit_items
from shuangsuiji.assignments.sheet import Sheet, Table
from shuangsuiji.checks.codes import code_for, qr_png, shown
from shuangsuiji.checks.ledger import item_methods, visit_method, yearly_cap, yearly_counts
from shuangsuiji.draws.models import Draw, DrawState
from shuangsuiji.inspections.models import Inspection

RECUSAL_RIGHT = (
    "检查人员与你单位有直接利害关系或者有其他关系可能影响公正检查的，你单位有权申请其回避；"
    "申请回避的，请在检查开始前向检查人员或牵头部门提出。"
)
CERTIFICATES = "检查人员不少于两人，检查时应当主动出示有效的行政执法证件，不得以其他证件代替。"
ASSISTANTS_RULE = "协助检查人员的人数已事先确定，只协助检查人员工作，不得单独实施检查。"
REMEDIES = (
    "你单位有权陈述、申辩；认为检查违法或者检查人员有违纪行为的，可以向牵头部门、"
    "本级司法行政部门（行政执法监督机构）投诉举报，也可以依法申请行政复议或者提起行政诉讼。"
)
DISCIPLINE = (
    "检查人员严格遵守《国务院办公厅关于严格规范涉企行政检查的意见》（国办发〔2024〕54号）"
    "规定的纪律要求，不得妨碍你单位正常生产经营，不得索取或者收受财物，不得谋取其他利益。"
)
DOCUMENTS = ("approval", "notice", "record")
TITLES = {
    "approval": "行政检查审批表",
    "notice": "行政检查通知书",
    "record": "现场检查笔录",
}


@dataclass(frozen=True)
class Facts:
    """Every field the three documents fill, read once from the records."""

    number: str  # the documents' number: the body, the year, the visit
    body: str  # the lead body, 检查主体
    partners: list[str]  # the other bodies of a joint visit
    entity: str
    uscc: str
    address: str
    representative: str
    items: list[dict[str, str]]  # name, basis, method, task, department
    legal_basis: str
    task_source: list[str]
    kind: str
    method: str
    window: str
    frequency: list[str]  # per body: this year's count of this company and its cap
    team: list[tuple[str, str, str, str]]  # role, name, department, certificate number
    assistants: list[Assistant]
    approval: str
    code: str  # shown as XXXX-XXXX-XXXX, "" before it exists (an auditor reading)
    url: str
    qr: bytes | None
    inspected_on: str


def facts_of(visit: Visit, *, actor: Any, url_for: Any) -> Facts:
    """`url_for(code)` gives the code card's absolute address (the page knows its host)."""
    plan = visit.assignment.plan
    departments = list(visit.departments.order_by("name"))
    items = visit_items(visit)
    code = code_for(visit, actor=actor)
    url = url_for(code.code) if code else ""
    members = visit.members.select_related("inspector", "department").order_by("slot")
    day = (
        Inspection.objects.filter(visit=visit, inspected_on__isnull=False)
        .order_by("inspected_on")
        .values_list("inspected_on", flat=True)
        .first()
    )
    return Facts(
        number=f"{visit.lead_department.short_name}〔{plan.year}〕{visit.code}",
        body=visit.lead_department.name,
        partners=[d.name for d in departments if d.pk != visit.lead_department_id],
        entity=visit.entity.name,
        uscc=visit.entity.uscc,
        address=visit.entity.address or "（住所未登记）",
        representative=visit.entity.legal_representative or "（未登记）",
        items=items,
        legal_basis="；".join(dict.fromkeys(i["basis"] for i in items if i["basis"]))
        or "（检查事项未列入本部门检查事项清单，依据待补）",
        task_source=_task_source(visit),
        kind="日常检查（部门联合“双随机、一公开”抽查）",
        method=visit_method([i["name"] for i in items], item_methods(plan.region_id)),
        window=f"{visit.window_start} 至 {visit.window_end}",
        frequency=[_frequency(visit, d.pk, d.short_name, plan.year) for d in departments],
        team=[
            (m.role, m.inspector.name, m.department.short_name, m.inspector.certificate_no)
            for m in members
        ],
        assistants=list(visit.assistants.all()),
        approval=approval_line(standing_of(visit)),
        code=shown(code.code) if code else "",
        url=url,
        qr=qr_png(url) if url else None,
        inspected_on=f"{day:%Y年%m月%d日}" if day else "",
    )


def _task_source(visit: Visit) -> list[str]:
    """No plan, no check: the plan, the task and the draw that chose this company."""
    plan = visit.assignment.plan
    draws = dict(
        Draw.objects.filter(
            task__in=visit.tasks.all(), state=DrawState.DRAWN, superseded_by__isnull=True
        ).values_list("task_id", "draw_id")
    )
    return [
        f"{plan.title}第{task.seq or task.position}项“{task.name}”"
        f"（随机抽取 {draws.get(task.pk, '—')}，人员分派 {visit.assignment.assignment_id}）"
        for task in visit.tasks.order_by("position")
    ]


def _frequency(visit: Visit, department_id: int, name: str, year: int) -> str:
    """This year's checks of the company by the body, this visit counted, against its cap."""
    count = yearly_counts(department_id, year)[visit.entity.uscc]
    cap = yearly_cap(department_id, year)
    limit = f"公布上限每年{cap.limit}次（{cap.source}）" if cap else "未公布年度检查频次上限"
    return f"{name}：本年度对该单位第{count}次检查（含本次），{limit}"


def _team_table(facts: Facts) -> Table:
    return Table(
        "检查人员",
        ["角色", "姓名", "所属部门", "执法证号"],
        [list(member) for member in facts.team],
    )


def _assistants_table(facts: Facts) -> Table:
    rows = [[a.name, a.organisation, a.duty] for a in facts.assistants]
    return Table(
        f"协助检查人员（{len(rows)}人）", ["姓名", "单位", "协助事项"], rows or [["无", "", ""]]
    )


def _items_table(facts: Facts) -> Table:
    return Table(
        "检查事项与依据",
        ["检查事项", "检查依据", "检查方式"],
        [[i["name"], i["basis"], i["method"]] for i in facts.items],
    )


def _code_lines(facts: Facts) -> list[str]:
    if not facts.code:
        return ["检查码：尚未生成（由检查组成员或部门在检查前生成）"]
    return [f"检查码：{facts.code}（扫描二维码或访问 {facts.url} 核对本次检查和检查人员）"]


def approval_form(facts: Facts) -> Sheet:
    """行政检查审批表: what is asked to be approved, and the head's decision."""
    return Sheet(
        title=TITLES["approval"],
        lines=[
            f"编号：{facts.number}",
            f"检查主体：{facts.body}",
            f"联合检查部门：{'、'.join(facts.partners) or '无'}",
            f"检查对象：{facts.entity}（统一社会信用代码 {facts.uscc}）",
            f"住所：{facts.address}    法定代表人（负责人）：{facts.representative}",
            f"检查类型：{facts.kind}",
            "任务来源：" + "；".join(facts.task_source),
            f"检查依据：{facts.legal_basis}",
            f"检查方式：{facts.method}    检查时间：{facts.window}",
            "检查频次：" + "；".join(facts.frequency),
            *_code_lines(facts),
        ],
        image=facts.qr,
        tables=[_items_table(facts), _team_table(facts), _assistants_table(facts)],
        closing=[
            f"审批情况：{facts.approval}",
            "承办人意见：＿＿＿＿＿＿    承办人签名：＿＿＿＿    年  月  日",
            "负责人审批意见：＿＿＿＿＿＿    负责人签名：＿＿＿＿    年  月  日",
        ],
    )


def notice(facts: Facts) -> Sheet:
    """行政检查通知书: what the company is told before the visit."""
    partners = f"会同{'、'.join(facts.partners)}" if facts.partners else ""
    return Sheet(
        title=TITLES["notice"],
        lines=[
            f"编号：{facts.number}",
            f"{facts.entity}（统一社会信用代码 {facts.uscc}）：",
            f"根据{facts.legal_basis}，本机关（{facts.body}）{partners}定于 {facts.window} "
            f"期间对你单位进行行政检查，检查方式为{facts.method}。",
            "任务来源：" + "；".join(facts.task_source),
            "检查频次：" + "；".join(facts.frequency),
            f"审批情况：{facts.approval}",
            *_code_lines(facts),
        ],
        image=facts.qr,
        tables=[_items_table(facts), _team_table(facts), _assistants_table(facts)],
        closing=[
            CERTIFICATES,
            ASSISTANTS_RULE,
            RECUSAL_RIGHT,
            DISCIPLINE,
            REMEDIES,
            f"{facts.body}（印章）",
            f"{timezone.localdate():%Y年%m月%d日}",
        ],
    )


def inspection_record(facts: Facts) -> Sheet:
    """现场检查笔录: the record made on the spot, signed by both sides."""
    return Sheet(
        title=TITLES["record"],
        lines=[
            f"编号：{facts.number}",
            f"检查时间：{facts.inspected_on or '＿＿年＿＿月＿＿日'}＿＿时＿＿分至＿＿时＿＿分",
            f"检查地点：{facts.address}",
            f"被检查人：{facts.entity}（统一社会信用代码 {facts.uscc}）",
            f"法定代表人（负责人）：{facts.representative}    现场负责人：＿＿＿＿    "
            "联系电话：＿＿＿＿",
            f"检查主体：{facts.body}；联合检查部门：{'、'.join(facts.partners) or '无'}",
            "任务来源：" + "；".join(facts.task_source),
            f"检查依据：{facts.legal_basis}",
            f"检查方式：{facts.method}",
            "检查频次：" + "；".join(facts.frequency),
            f"审批情况：{facts.approval}",
            *_code_lines(facts),
        ],
        image=facts.qr,
        tables=[_team_table(facts), _assistants_table(facts), _items_table(facts)],
        closing=[
            "告知：我们是上列检查人员，已向你出示行政执法证件。" + RECUSAL_RIGHT,
            "问：你是否申请检查人员回避？  答：＿＿＿＿＿＿＿＿",
            "检查情况：＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿",
            "被检查人意见：以上笔录已阅（已向我宣读），与事实相符。＿＿＿＿＿＿",
            "被检查人签名（盖章）：＿＿＿＿    检查人员签名：＿＿＿＿、＿＿＿＿    "
            "记录人：＿＿＿＿",
        ],
    )


BUILDERS = {"approval": approval_form, "notice": notice, "record": inspection_record}


def document(visit: Visit, name: str, *, actor: Any, url_for: Any) -> Sheet:
    """One of `DOCUMENTS` for the visit."""
    return BUILDERS[name](facts_of(visit, actor=actor, url_for=url_for))
