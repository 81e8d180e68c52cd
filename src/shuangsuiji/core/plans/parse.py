"""parse_plan: a plan file's bytes in, a Plan with every task and every finding out."""

import re
from collections.abc import Mapping

from shuangsuiji.core.plans.assemble import RawTask, Table, assemble
from shuangsuiji.core.plans.columns import COLUMN_LABELS
from shuangsuiji.core.plans.fields import (
    COUNT,
    EDGE_PUNCTUATION,
    Parsed,
    looks_like_frequency,
    parse_frequency,
    parse_mode,
    parse_ratio,
    parse_risk_rule,
    parse_sampling_type,
    parse_seq,
    parse_window,
    plan_level,
    read_count,
    read_frequency,
    read_ratio,
    split_departments,
    split_items,
    squeeze,
)
from shuangsuiji.core.plans.model import (
    Finding,
    Plan,
    PlanTask,
    RiskRule,
    RiskRuleKind,
    Severity,
)
from shuangsuiji.core.plans.placement import cell_kind
from shuangsuiji.core.plans.readers import read_grid

YEAR = re.compile(r"(20\d{2})\s*年")
# A 配合部门 cell that names no department: 根据需要, 视情况确定, 待定.
UNNAMED_PARTNERS = re.compile(r"(?:根据|视|按)?[\u4e00-\u9fff]{0,6}?(?:需要|情况|确定|另定|待定)")
LEVEL_MODE = re.compile(r"发起|检查|抽查|实施|组织|[省市县区]抽[省市县区]")
BRANCH = re.compile(r"局([\u4e00-\u9fff]{1,5}?[区县旗])分局")
LEADING_YEAR = re.compile(r"^\s*20\d{2}\s*年度?")
CHECK_CLASS = re.compile(r"(?:重点|一般|日常|专项|特定)?(?:检查|抽查)?(?:事项|类)?")
# A place name ends in its level (省, 市, 县…); 市场 and 城市管理 are not cities, and a name
# does not run through a department (局, 委) to a district after it.
CITY = r"市(?![场民管])"
LOCALITY = re.compile(
    r"^((?:(?:(?![局厅委办])[\u4e00-\u9fff]){1,8}?"
    rf"(?:特别行政区|自治区|自治州|自治县|省|{CITY}|地区|盟|州(?:{CITY})?|县|区|旗))+)"
)


def parse_plan(
    data: bytes,
    filename: str,
    *,
    year: int | None = None,
    corrections: Mapping[tuple[int, str], str] | None = None,
) -> Plan:
    """Read a plan file (.txt, .docx, .xlsx, .csv, .html); raise PlanFileError if it is no table.

    `corrections` replaces cells before the fields are read: {(task position from 1, column
    key): new text}, as a coordinator corrects them in the preview. Each correction leaves an
    info finding with the original text, so the record shows what the document said.
    """
    table = assemble(read_grid(data, filename))
    if corrections:
        _apply_corrections(table, corrections)
    return build_plan(table, year=year)


def _apply_corrections(table: Table, corrections: Mapping[tuple[int, str], str]) -> None:
    for (position, key), text in corrections.items():
        if not 1 <= position <= len(table.tasks):
            continue
        raw = table.tasks[position - 1]
        original = raw.cells.get(key, "")
        if squeeze(original) == squeeze(text):
            continue
        raw.cells[key] = text
        label = COLUMN_LABELS.get(key, key)
        message = f"导入时人工修改了“{label}”，原文为“{squeeze(original) or '（空）'}”"
        raw.findings.append(Finding("table", Severity.INFO, message))


def build_plan(table: Table, *, year: int | None = None) -> Plan:
    findings = list(table.findings)
    title = table.title
    title_year = YEAR.search(title)
    plan_year = year or (int(title_year[1]) if title_year else None)
    if plan_year is None:
        findings.append(Finding("year", Severity.WARNING, "标题中未找到计划年度，请指定年度"))
    # A title may open with its year (2023年度临沂市…): the locality follows it.
    locality_match = LOCALITY.match(LEADING_YEAR.sub("", title))
    locality = locality_match[1] if locality_match else ""
    branch = BRANCH.search(title)
    if locality.endswith("市") and branch and branch[1] not in locality:
        locality += branch[1]  # 武汉市生态环境局青山区分局: the city's bureau's district branch
    by_plan_name = _plan_name_names_tasks(table)
    tasks = tuple(_task(raw, plan_year, locality, by_plan_name) for raw in table.tasks)
    findings += _sequence_findings(
        tuple(task for task, raw in zip(tasks, table.tasks, strict=True) if not raw.sub_row)
    )
    return Plan(
        title=title,
        locality=locality,
        year=plan_year,
        columns=tuple(table.columns),
        tasks=tasks,
        findings=tuple(findings),
    )


def _plan_name_names_tasks(table: Table) -> bool:
    """Beside an 抽查类别/抽查领域 column, a 计划名称 column names each task when it is the finer
    of the two (西安: 肥料…监督检查, 农药生产经营企业… under one 农业生产资料监管); where it
    holds the group's plan, it is the coarser, and the 抽查领域 names the task."""
    if "domain" not in table.columns or "plan_name" not in table.columns:
        return False

    def distinct(key: str) -> int:
        return len({squeeze(raw.cells.get(key, "")) for raw in table.tasks} - {""})

    return distinct("plan_name") > max(distinct("domain"), 1)


def _task(
    raw: RawTask, year: int | None, locality: str = "", by_plan_name: bool = False
) -> PlanTask:
    cells = raw.cells
    parsed = Parsed(findings=list(raw.findings))

    def cell(key: str) -> str:
        return cells.get(key, "")

    seq = parse_seq(cell("seq"), parsed) if "seq" in cells else None
    # 抽查领域/抽查类别 groups the rows and names the task where no column is called 任务名称;
    # it comes before 计划名称, which several localities use for the whole group's plan.
    # A 抽查类别 holding a class of check (重点检查事项, 一般抽查) is a type, not a name.
    domain = squeeze(cell("domain"))
    if CHECK_CLASS.fullmatch(domain):
        domain = ""
    plan_name_cell = squeeze(cell("plan_name"))
    if by_plan_name:
        name = squeeze(cell("name")) or plan_name_cell or domain
    else:
        name = squeeze(cell("name")) or domain or plan_name_cell
    if "name" not in cells and not name and squeeze(cell("items")):
        # No task-name column: the 抽查事项 names the task (建筑市场检查).
        name = squeeze(cell("items")).strip(EDGE_PUNCTUATION)
        message = f"表格没有任务名称列：以抽查事项“{name}”为任务名称，请核对"
        parsed.note("name", Severity.WARNING, message)
    if not name:
        parsed.note("name", Severity.ERROR, "缺少抽查任务名称")
    items = split_items(cell("items"))
    if not items:
        parsed.note("items", Severity.ERROR, "缺少抽查事项")
    scope = squeeze(cell("scope"))
    if not scope:
        parsed.note("scope", Severity.WARNING, "缺少抽查对象范围")

    ratio_text = " ".join(cell(key) for key in ("ratio", "ratio_count"))
    local = cell("local_ratio")
    if parse_ratio(local) is not None or COUNT.search(local):
        if squeeze(ratio_text):
            label = COLUMN_LABELS["ratio"]
            message = f"抽查比例按本地计划列“{squeeze(local)}”，{label}列为“{squeeze(ratio_text)}”"
            parsed.note("ratio_min", Severity.INFO, message)
        ratio_text = local
    risk_text = cell("risk")
    level = plan_level(locality, cell("level") or cell("mode"))
    ratio = read_ratio(ratio_text, parsed, level)
    if ratio.ratio_min is None and not squeeze(ratio_text) and parse_ratio(scope) is not None:
        ratio = read_ratio(scope, parsed, level)  # 辖区学校总数的20%, where no column has one
        message = f"抽查比例写在抽查对象范围“{scope}”中，已按其读取"
        parsed.note("ratio_min", Severity.INFO, message)
    ratio_min = ratio.ratio_min
    frequency = read_frequency(cell("frequency"), parsed, column=True)
    if frequency is None:
        frequency = read_frequency(ratio_text, parsed)
    if frequency is None and squeeze(cell("window")):
        frequency = read_frequency(cell("window"), parsed)  # 每季度各抽查1次 under 时间
    if frequency is None and looks_like_frequency(squeeze(risk_text)):
        frequency = parse_frequency(squeeze(risk_text))
        message = "抽查频次写在了“智慧监管（信用风险分类）要求”列，已按频次识别"
        parsed.note("frequency_per_year", Severity.INFO, message)
    if ratio_min is None:
        parsed.note("ratio_min", Severity.ERROR, "未写明抽查比例")
    sample_count = (
        read_count(cell("sample_count"), parsed) if squeeze(cell("sample_count")) else None
    )
    if squeeze(cell("sample_count")).isdigit() and ratio_min is not None:
        # 抽查对象数量 49670 beside 12.5%: a bare number by a ratio may be the pool, not a draw.
        message = (
            f"抽查数量“{squeeze(cell('sample_count'))}”与抽查比例并列，未写单位："
            "按抽取户数读取；如是抽查对象总数，请改正"
        )
        parsed.note("sample_count", Severity.WARNING, message)
    if sample_count is None:
        sample_count = read_count(ratio_text, parsed)

    risk_rule = parse_risk_rule(risk_text)
    if ratio.class_ratios and risk_rule.kind is RiskRuleKind.NONE:
        risk_rule = RiskRule(RiskRuleKind.ESCALATE, squeeze(ratio_text))
    window_text = cell("window")
    if not squeeze(window_text) and "window" not in cells and squeeze(cell("draw_date")):
        window_text = cell("draw_date")  # 抽取日期 2023年1月至12月, where no column says when
        message = f"表格没有抽查时间列：以抽取日期“{squeeze(window_text)}”为起止时间"
        parsed.note("window", Severity.INFO, message)
    window = parse_window(window_text, year, parsed)
    lead = squeeze(cell("lead"))
    plan_name = squeeze(cell("plan_name"))
    if not lead and plan_name and cell_kind(plan_name) == "department":
        lead = plan_name  # 本部门计划名称: 广州市教育局, the department whose plan it is
        message = f"表格没有发起部门列：以计划名称列的部门“{lead}”为发起部门"
        parsed.note("lead_department", Severity.INFO, message)
    joint, _ = split_departments(cell("joint").replace("\n", "、"))
    if not lead and joint:
        lead = joint[0]
        message = f"表格没有发起部门列：以联查部门的第一个“{lead}”为发起部门"
        parsed.note("lead_department", Severity.INFO, message)
    if not lead and squeeze(cell("body")):
        lead = squeeze(cell("body"))  # 检查主体 where nothing else names the lead
    if not lead:
        parsed.note("lead_department", Severity.ERROR, "缺少发起部门")
    elif len(split_departments(lead)[0]) > 1:
        parsed.note("lead_department", Severity.WARNING, f"发起部门“{lead}”含多个部门")
    partners_text = cell("partners")
    if UNNAMED_PARTNERS.fullmatch(squeeze(partners_text)):
        message = f"配合部门“{squeeze(partners_text)}”未写部门名称：按没有配合部门读取"
        parsed.note("partner_departments", Severity.INFO, message)
        partners_text = ""
    partners, open_ended = split_departments(partners_text, parsed)
    if joint:  # the joint departments but the lead are partners (the lead is not its own)
        partners += tuple(name for name in joint if name != lead and name not in partners)
    if open_ended:
        message = "配合部门以“等”结尾，名单可能不全"
        parsed.note("partner_departments", Severity.INFO, message)
    if risk_rule.kind is RiskRuleKind.OTHER:
        parsed.note("risk_rule", Severity.INFO, f"信用风险要求“{squeeze(risk_text)}”按原文保留")
    _misplaced_cells(cells, parsed)
    return PlanTask(
        seq=seq,
        name=name,
        items=items,
        scope=scope,
        ratio_min=ratio_min,
        sample_count=sample_count,
        frequency_per_year=frequency,
        sampling_type=parse_sampling_type(cell("sampling_type"), ratio_text),
        risk_rule=risk_rule,
        window=window,
        lead_department=lead,
        partner_departments=partners,
        partners_open_ended=open_ended,
        mode=parse_mode(cell("mode") or _level_as_mode(cell("level"))),
        note=cell("note").strip(),
        source=dict(cells),
        findings=tuple(parsed.findings),
        class_ratios=ratio.class_ratios,
        ratio_tiers=ratio.tiers,
    )


# What a name, item or scope cell never is: a month range, a ratio, a count or a bare number.
# Found there, the row's cells have slid into the wrong columns (a cell missing upstream).
NOT_TEXT = re.compile(
    r"(?:\d{4}年)?\d{1,2}(?:-|—|－|至|~|～)?\d{0,2}月?(?:份)?|\d+(?:\.\d+)?[%％]|\d+[户家个]?|"
    r"(?:不低于|不少于)\d+(?:\.\d+)?[%％]"
)


def _level_as_mode(text: str) -> str:
    """实施层级 as the mode where it says who draws and who checks (区级发起，区级检查, 县抽县查);
    a bare level (县, 市级) is not a mode."""
    return text if LEVEL_MODE.search(squeeze(text)) else ""


def _misplaced_cells(cells: dict[str, str], parsed: Parsed) -> None:
    note = squeeze(cells.get("note", ""))
    if note and cell_kind(note) == "department" and "partners" in cells:
        # 市场监管局 / 市税务局: a partner list's second paragraph taken for the next cell
        message = f"备注列为部门名称“{note}”：可能是配合部门的续行，请核对"
        parsed.note("partner_departments", Severity.WARNING, message)
    for key in ("name", "items", "scope"):
        text = squeeze(cells.get(key, ""))
        if text and NOT_TEXT.fullmatch(text.strip(EDGE_PUNCTUATION)):
            label = COLUMN_LABELS[key]
            message = f"“{label}”列的内容“{text}”不像{label}：本行各列可能错位，请核对"
            parsed.note("table", Severity.WARNING, message)
            return


def _sequence_findings(tasks: tuple[PlanTask, ...]) -> list[Finding]:
    numbers = [task.seq for task in tasks if task.seq is not None]
    findings = []
    seen: set[int] = set()
    for number in numbers:
        if number in seen:
            findings.append(Finding("seq", Severity.WARNING, f"序号 {number} 重复"))
        seen.add(number)
    if numbers:
        missing = sorted(set(range(1, max(numbers) + 1)) - seen)
        if missing:
            listed = "、".join(str(n) for n in missing)
            findings.append(Finding("seq", Severity.WARNING, f"序号不连续，缺少 {listed}"))
    return findings
