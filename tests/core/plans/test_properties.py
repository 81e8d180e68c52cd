"""Properties: any plan exports and imports back unchanged; no input crashes the parser.

Random plans are drawn in the parser's normal form (what parse_plan itself produces), with the
few constraints a table cannot carry explained where they are made.
"""

from dataclasses import replace

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from shuangsuiji.core.errors import PlanFileError
from shuangsuiji.core.plans.columns import COLUMN_LABELS, COLUMN_PATTERNS
from shuangsuiji.core.plans.fields import parse_mode
from shuangsuiji.core.plans.model import Plan, PlanTask, RiskRule, RiskRuleKind, Window
from shuangsuiji.core.plans.parse import parse_plan
from shuangsuiji.core.plans.render import ESCALATE_TEXT, render_file
from tests.core.plans.projection import plan_meta, structured_tasks

ROUND_TRIP = settings(max_examples=60, deadline=None, derandomize=True, database=None)
FUZZ = settings(max_examples=200, deadline=None, derandomize=True, database=None)

COMMON = (
    "食品药品安全生产经营企业学校医疗机构餐饮住宿旅游文化交通运输建筑工程消防环境卫生"
    "价格广告质量计量特种设备烟草农业林业水利统计税务城镇乡村社区市场管理监督执法许可"
    "备案登记公示信息教育体育民政商务公安司法资源能源电力燃气供水邮政气象人防"
)
# Left out, because a cell made of them would not be read back as written:
# - characters of column names (序号, 抽查, 事项, 部门…): a row of such cells reads as a header;
# - Chinese numerals: "二、" inside an item reads as the next item's number;
# - 等 ends a department list; 无 alone means "no rule"; 递/逐 are escalation words.
ALPHABET = "".join(
    sorted(
        set(COMMON)
        - set("".join(pattern for _, pattern in COLUMN_PATTERNS))
        - set("零〇一二两三四五六七八九十百千万")
        - set("等无递逐")
    )
)
# Names, scopes and departments are not split on numbers, so they may hold digits and brackets.
RICH = ALPHABET + "0123456789（）KTV"
# The columns a plan may have besides the always-present seq/name/items/scope. seq is always
# there: without it a row whose every cell says the same reads as one merged note row.
OPTIONAL_COLUMNS = ("sample_count", "sampling_type", "risk", "window", "lead", "partners")
NO_LEVELS = str.maketrans("", "", "省市县区州盟旗地")
MODES = ("县抽县查", "市抽县查", "省抽市查、县抽县查", "市抽市查")
RISK_LABELS_BY_CLASS = {"A": "低风险", "B": "一般风险", "C": "较高风险", "D": "高风险"}


def words(
    min_size: int = 1, max_size: int = 10, alphabet: str = ALPHABET
) -> st.SearchStrategy[str]:
    return st.text(alphabet, min_size=min_size, max_size=max_size)


def months(year: int) -> st.SearchStrategy[str]:
    return st.builds(
        lambda y, m: f"{y:04d}-{m:02d}", st.sampled_from([year, year + 1]), st.integers(1, 12)
    )


def windows(year: int) -> st.SearchStrategy[Window]:
    month = st.none() | months(year)
    return st.builds(Window, month, month)


def risk_rules() -> st.SearchStrategy[RiskRule]:
    fixed = st.sampled_from(sorted(RISK_LABELS_BY_CLASS.items())).map(
        lambda pair: RiskRule(RiskRuleKind.FIXED, pair[1], pair[0])
    )
    return st.one_of(
        st.sampled_from([ESCALATE_TEXT, ""]).map(lambda t: RiskRule(RiskRuleKind.ESCALATE, t)),
        st.sampled_from(["", "无", "/"]).map(lambda t: RiskRule(RiskRuleKind.NONE, t)),
        fixed,
        # "根据…" with none of 风险/次/无/递 in it is read as another basis, kept as text.
        words().map(lambda t: RiskRule(RiskRuleKind.OTHER, f"根据{t}")),
    )


@st.composite
def tasks(draw: st.DrawFn, seq: int, year: int) -> PlanTask:
    mode = draw(st.none() | st.sampled_from(MODES))
    return PlanTask(
        seq=seq,
        name=draw(words(alphabet=RICH)),
        items=tuple(draw(st.lists(words().map(str), min_size=1, max_size=4))),
        scope=draw(words(0, 12, RICH)),
        ratio_min=draw(st.none() | st.integers(1, 1_000_000).map(lambda n: n / 1_000_000)),
        sample_count=draw(st.none() | st.integers(0, 99_999)),
        frequency_per_year=draw(st.none() | st.integers(1, 52)),
        sampling_type=draw(st.none() | st.sampled_from(["定向", "不定向"])),
        risk_rule=draw(risk_rules()),
        window=draw(windows(year)),
        lead_department=draw(words(0, 8, RICH)),
        partner_departments=tuple(draw(st.lists(words(1, 8, RICH), max_size=3))),
        partners_open_ended=draw(st.booleans()),
        mode=parse_mode(mode) if mode else None,
        note=draw(words(0, 10, RICH)),
        source={},
    )


def fit_to_columns(task: PlanTask, columns: tuple[str, ...]) -> PlanTask:
    """What a table with these columns can say of the task; the rest is unknown, as on import."""
    has_ratio = bool({"ratio", "ratio_count"} & set(columns))
    return replace(
        task,
        ratio_min=task.ratio_min if has_ratio else None,
        frequency_per_year=task.frequency_per_year if has_ratio else None,
        sample_count=task.sample_count if has_ratio or "sample_count" in columns else None,
        sampling_type=task.sampling_type if has_ratio or "sampling_type" in columns else None,
        risk_rule=task.risk_rule if "risk" in columns else RiskRule(RiskRuleKind.NONE, ""),
        window=task.window if "window" in columns else Window(None, None),
        lead_department=task.lead_department if "lead" in columns else "",
        partner_departments=task.partner_departments if "partners" in columns else (),
        partners_open_ended=task.partners_open_ended and "partners" in columns,
        mode=task.mode if "mode" in columns else None,
    )


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    year = draw(st.integers(2019, 2030))
    # A level character inside the name (业市县) would end the locality early, at 业市.
    name = draw(st.text(ALPHABET.translate(NO_LEVELS), min_size=1, max_size=6))
    place = name + draw(st.sampled_from(["县", "区", "市"]))
    extra = draw(st.lists(st.sampled_from(OPTIONAL_COLUMNS), unique=True))
    ratio = draw(st.sampled_from([(), ("ratio",), ("ratio_count",)]))
    tail = draw(st.sampled_from([(), ("mode",), ("mode", "note"), ("note",)]))
    middle = draw(st.permutations(["name", "items", "scope", *ratio, *extra]))
    columns = ("seq", *middle, *tail)
    count = draw(st.integers(1, 6))
    drawn = [draw(tasks(seq, year)) for seq in range(1, count + 1)]
    return Plan(
        title=f"{place}{year}年度部门联合双随机抽查工作计划",
        locality=place,
        year=year,
        columns=columns,
        tasks=tuple(fit_to_columns(task, columns) for task in drawn),
    )


def test_alphabet_is_large_enough_to_mean_something() -> None:
    assert len(ALPHABET) >= 60
    assert not set(ALPHABET) & set("".join(COLUMN_LABELS.values()))


@pytest.mark.parametrize("suffix", [".txt", ".csv", ".html", ".xlsx", ".docx"])
@ROUND_TRIP
@given(plan=plans())
def test_random_plan_round_trips_through_every_format(suffix: str, plan: Plan) -> None:
    again = parse_plan(render_file(plan, suffix), f"export{suffix}")

    assert structured_tasks(again) == structured_tasks(plan)
    assert plan_meta(again) == plan_meta(plan)
    assert again.columns == plan.columns


def parses_or_refuses(data: bytes, filename: str) -> None:
    """The parser's whole contract for bad input: a Plan, or PlanFileError, nothing else."""
    try:
        result = parse_plan(data, filename)
    except PlanFileError:
        return
    assert isinstance(result, Plan)


@FUZZ
@given(data=st.binary(max_size=2_000))
def test_random_bytes_parse_or_are_refused(data: bytes) -> None:
    parses_or_refuses(data, "x.txt")


# Pieces of real plan tables, so random text reaches the header finder and field readers.
FRAGMENTS = [
    *COLUMN_LABELS.values(),
    *("1", "2", "10", "30%", "百分之三十", "百分之点", "不低于", "1次/年", "每季度", "每半年一次"),
    *("5户", "十户", "2023.3至2023.11", "3月-11月", "次年2月", "2023年13月", "至", "起"),
    *("区市场监管局、区税务局等", "等", "县抽县查", "（1）", "1.", "二、", "；", "无", "/"),
    *("根据企业信用风险分类结果", "递加", "C类", "高风险企业", "潞城区2023年度计划", "第3页"),
]
CELL_TEXT = st.lists(st.sampled_from(FRAGMENTS), max_size=4).map("".join) | st.text(max_size=8)
LABELS = list(COLUMN_LABELS.values())


@st.composite
def table_texts(draw: st.DrawFn) -> str:
    """Text in the shape of a copied Word table: often a real header, then rows of plan-like
    cells, tab-led and separated by blank lines (or by other separators, to be awkward)."""
    labels = draw(st.lists(st.sampled_from(LABELS), max_size=12))
    header = draw(st.sampled_from([[], LABELS])) + labels
    width = draw(st.sampled_from([len(header), len(header), None]))  # None: ragged rows
    row = st.lists(CELL_TEXT, min_size=width or 0, max_size=width or 12)
    rows = draw(st.lists(row, max_size=8))
    cell = draw(st.sampled_from(["\t", " \u3000\t", "", ","]))
    row_end = draw(st.sampled_from(["\n\n", "\n", "\n \n"]))
    title = draw(st.sampled_from(["", "某某区2023年度部门联合双随机抽查工作计划\n"]))
    return title + row_end.join(
        "\n".join(f"{cell}{text}" for text in row) for row in [header, *rows]
    )


@st.composite
def task_rows(draw: st.DrawFn) -> str:
    """Every known column and one numbered task row of random cells: each field reader runs."""
    cells = draw(st.lists(CELL_TEXT, min_size=len(LABELS) - 1, max_size=len(LABELS) - 1))
    return "\n\n".join("\n".join(f"\t{text}" for text in row) for row in (LABELS, ["1", *cells]))


@FUZZ
@given(text=task_rows() | table_texts() | st.text(max_size=500))
@example(text="\t序号\n\t抽查任务名称\n\t抽查事项\n\t抽查比例\n\n\t1\n\t甲\n\t乙\n\t百分之点")
@example(text="\r0")  # a lone \r once broke the csv reader
@pytest.mark.parametrize("suffix", [".txt", ".csv", ".html"])
def test_random_text_parses_or_is_refused(suffix: str, text: str) -> None:
    parses_or_refuses(text.encode("utf-8", errors="surrogatepass"), f"x{suffix}")
