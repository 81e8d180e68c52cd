"""The shapes the API promises: request bodies, responses, the page envelope, errors.

Text parameters refuse the NUL character (PostgreSQL cannot store or compare it) and ids stay
within a 64-bit integer, so no input reaches the database in a form it rejects with an error.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar

from ninja import Field, Schema

MAX_ID = 2**63 - 1
MAX_LIMIT = 200
MAX_OFFSET = 1_000_000_000
NO_NUL = r"^[^\x00]*$"

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Year = Annotated[int, Field(ge=1, le=9999)]
Text = Annotated[str, Field(max_length=200, pattern=NO_NUL)]
LongText = Annotated[str, Field(max_length=5000, pattern=NO_NUL)]

T = TypeVar("T")


class PageQuery(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description=f"每页条数，至多 {MAX_LIMIT}")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="跳过的条数")


class PlanFilters(Schema):
    year: Year | None = Field(None, description="计划年度")


class DrawFilters(Schema):
    plan: Id | None = Field(None, description="计划 id")
    task: Id | None = Field(None, description="抽查任务 id")


class VisitFilters(Schema):
    plan: Id | None = Field(None, description="计划 id")
    entity: Text = Field("", description="检查对象的统一社会信用代码")


class ResultFilters(Schema):
    """The public page's search (disclosure.services.search_published)."""

    q: Text = Field("", description="检查对象名称中的字词，或统一社会信用代码")
    department: Text = Field("", description="发起部门全称")
    year: Year | None = Field(None, description="计划年度")
    result: Text = Field("", description="检查结果类别代码（含其下级结果）")


class Page(Schema, Generic[T]):
    count: int = Field(description="符合条件的总条数")
    limit: int
    offset: int
    items: list[T]


class Error(Schema):
    detail: Any = Field(description="原因（文字，或参数校验的逐项说明）")


class ProblemOut(Schema):
    row: int = Field(description="行号（0 表示整个文件或表头）")
    column: str
    value: str
    message: str


class ImportRejectedOut(Schema):
    detail: str
    errors: list[ProblemOut]


class ImportOut(Schema):
    created: int


class ImportJobOut(Schema):
    id: int
    filename: str
    status: str = Field(
        description="queued 排队检查 · checking 检查中 · rejected 有错误，未写入 · importing 写入中"
        " · done 已导入 · failed 写入失败，未写入"
    )
    status_label: str
    total_rows: int
    checked_rows: int
    created: int
    problem_count: int
    problems: list[ProblemOut] = Field(description="前 1000 处问题")
    message: str
    created_at: datetime
    finished_at: datetime | None


class MeOut(Schema):
    username: str
    role: str | None
    department: str | None
    inspector: str | None = Field(description="执法证号（执法人员）")
    token: str = Field(description="令牌用途")


class RegionOut(Schema):
    code: str
    name: str


class PlanOut(Schema):
    id: int
    title: str
    year: int
    region: RegionOut
    locality: str
    source_filename: str
    imported_at: datetime
    tasks: int


class TaskOut(Schema):
    id: int
    plan: int
    position: int
    seq: int | None
    name: str
    items: list[Any]
    scope: str
    ratio_min: Decimal | None
    sample_count: int | None
    frequency_per_year: int | None
    sampling_type: str
    risk_kind: str
    risk_text: str
    window_start: str
    window_end: str
    lead_department: str | None
    partner_departments: list[str]
    mode_text: str
    note: str
    team_size: int | None
    joint_inspection: bool


class DrawOut(Schema):
    id: int
    draw_id: str
    task: int
    plan: int
    number: int
    state: str
    seed: str
    created_at: datetime
    drawn_at: datetime | None
    supersedes: str | None = Field(description="更正的抽取编号")
    reason: str


class DrawDetailOut(DrawOut):
    freeze: dict[str, Any]
    commitments: list[Any]
    reveals: list[Any]
    bundle_url: str | None = Field(description="抽取记录（已抽取时）")
    population_url: str
    public_url: str | None = Field(description="公示网站上的同一抽取（冻结起即公开）")


class EntityOut(Schema):
    uscc: str
    name: str


class VisitOut(Schema):
    id: int
    code: str
    plan: int
    assignment: str
    entity: EntityOut
    window_start: str
    window_end: str
    lead_department: str
    departments: list[str]
    tasks: list[int]


class MemberOut(Schema):
    slot: int
    name: str
    certificate_no: str
    department: str
    role: str
    qualification: str


class InspectionOut(Schema):
    id: int
    task: int
    state: str
    results: list[str] = Field(description="检查结果类别代码")
    inspected_on: date | None
    measures: str
    notes: str
    return_reason: str
    follow_up: str


class VisitDetailOut(VisitOut):
    members: list[MemberOut]
    inspections: list[InspectionOut]


class ResultIn(Schema):
    results: list[Annotated[str, Field(max_length=10, pattern=NO_NUL)]] = Field(
        max_length=50, description="检查结果类别代码，如 01、0201"
    )
    inspected_on: date | None = None
    measures: LongText = ""
    notes: LongText = ""
    submit: bool = Field(False, description="录入后同时提交审核")


class PublishedResultOut(Schema):
    entity: str
    uscc: str
    plan: str
    year: int
    task: str
    department: str
    results: str
    date: str
    published: str


class ResultPage(Page[PublishedResultOut]):
    """Items in the fields of the open-data schema shuangsuiji-results/1."""

    capped: bool = Field(description="count 为上限：符合条件的结果多于此数")
