"""Each cell of a task row read into structure; what cannot be read becomes a finding."""

import re
from dataclasses import dataclass, field

import cn2an

from shuangsuiji.core.plans.model import (
    Finding,
    Mode,
    RiskRule,
    RiskRuleKind,
    Severity,
    Window,
)
from shuangsuiji.core.risk import RISK_LABELS

CHINESE_DIGITS = "零〇一二两三四五六七八九十百千"
NUMBER = rf"(\d+|[{CHINESE_DIGITS}]+)"
PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*[%％]|百分之([零〇一二两三四五六七八九十百点]+)")
COUNT = re.compile(rf"{NUMBER}\s*户")
EMPTY_MARKS = {"", "无", "/", "／", "-", "—", "——", "无要求", "不涉及", "暂无"}
ESCALATE_WORDS = ("递加", "递增", "提高抽查比例", "提高抽查频次", "逐级提高")
SEPARATORS = re.compile(r"[、，,；;\s]+")
RANGE = re.compile(r"\s*(?:至|到|～|~|—|–|－|--)\s*")
ENDPOINT = re.compile(
    r"(次年)?\s*(?:(\d{4})\s*(?:年|\.|/|-|．))?\s*(\d{1,2})\s*(?:月(?:份)?|(?=(?:起|开始)?$))"
    r"(?:\s*(?:底|初|中旬|上旬|下旬|末))?"
)
ITEM_MARKER = re.compile(
    r"[（(]?(?P<n>\d{1,2})(?P<p>[)）][.．、]?|[.．、])?"
    r"|(?P<cn>[一二三四五六七八九十]{1,3})(?P<cp>、)"
)
ITEM_SEGMENTS = re.compile(r"\n+|[ \u3000\t]{2,}")
EDGE_PUNCTUATION = "。；;，,、：:．. \u3000"


def squeeze(text: str) -> str:
    """Chinese cell text with its line breaks and padding removed."""
    return re.sub(r"\s+", "", text)


def to_int(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    try:
        return int(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, TypeError):
        return None


@dataclass
class Parsed:
    """Values read from one row, with the findings gathered along the way."""

    findings: list[Finding] = field(default_factory=list)

    def note(self, field_name: str, severity: Severity, message: str) -> None:
        self.findings.append(Finding(field_name, severity, message))


SEQ_NUMBER = re.compile(r"第?0*(\d{1,4})[号项]?")
LONG_CODE = re.compile(r"\d{5,}")  # no table runs to 10 000 rows: a longer number is a code


def parse_seq(text: str, parsed: Parsed) -> int | None:
    value = squeeze(text)
    if LONG_CODE.fullmatch(value):
        # 430000202302231001: a platform's task code under 抽查任务编号, not a row number
        parsed.note("seq", Severity.INFO, f"任务编号“{value}”是平台编码，不是序号：不作序号读取")
        return None
    numbered = SEQ_NUMBER.fullmatch(value)  # 001号, 第3项
    number = int(numbered[1]) if numbered else to_int(value) if value else None
    if number is None:
        parsed.note("seq", Severity.WARNING, f"序号“{value}”不是数字" if value else "缺少序号")
    return number


def split_items(text: str) -> tuple[str, ...]:
    """The 抽查事项 as separate items: "1.…2.…", "1、…；2、…", runs of spaces, "2单位…"."""
    items: list[str] = []
    expected = 1  # numbering runs on over lines: "1.…\n2.…" is one list, not two
    for segment in ITEM_SEGMENTS.split(text):
        parts, following = _split_numbered(segment, expected)
        numbered = following != expected  # the segment holds numbered items
        expected = following
        for index, part in enumerate(parts):
            if numbered and index > 0:
                items.append(part)  # inside a numbered item, semicolons list its points
            else:
                items.extend(piece for piece in re.split(r"[；;]", part))
    cleaned = (squeeze(item).strip(EDGE_PUNCTUATION) for item in items)
    return tuple(item for item in cleaned if item)


def _split_numbered(segment: str, expected: int) -> tuple[list[str], int]:
    """The segment cut at its item numbers, counting on from `expected`; and the next number."""
    cuts: list[re.Match[str]] = []
    for match in ITEM_MARKER.finditer(segment):
        number = int(match["n"]) if match["n"] else to_int(match["cn"])
        at_start = not segment[: match.start()].strip()
        numbered_on = not cuts and expected == 1 and at_start and bool(match["p"] or match["cp"])
        if number != expected and not (numbered_on and number):
            continue  # a table numbering its items throughout starts a cell at 4. or 6.
        before = segment[match.start() - 1] if match.start() else ""
        after = segment[match.end() : match.end() + 1]
        punctuated = bool(match["p"] or match["cp"])
        if (
            before.isdigit()
            or before in (".", "．", "第")  # 第二、三类: an ordinal, not item 2
            or (not punctuated and after in ("%", "％", "年", "月", "日", "次", "户"))
        ):
            continue  # 12.年度报告… is item 12; 2年, 5% are not items
        if not punctuated and not (cuts and expected >= 2) and not (at_start and after == " "):
            continue
        cuts.append(match)
        expected = (number or expected) + 1
    if not cuts:
        return [segment], expected
    parts = [segment[: cuts[0].start()]]
    for index, match in enumerate(cuts):
        end = cuts[index + 1].start() if index + 1 < len(cuts) else len(segment)
        parts.append(segment[match.end() : end])
    return parts, expected


def parse_ratio(text: str) -> float | None:
    match = PERCENT.search(text)
    if not match:
        return None
    if match[1]:
        return round(float(match[1]) / 100, 6)
    try:
        value = float(cn2an.cn2an(match[2], "smart"))
    except (ValueError, KeyError, TypeError):  # 百分之点: no number, so no ratio (reported)
        return None
    return round(value / 100, 6)


def parse_count(text: str) -> int | None:
    match = COUNT.search(text)
    if match:
        return to_int(match[1])
    value = squeeze(text)
    return int(value) if value.isdigit() else None


_FREQUENCIES: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(rf"{NUMBER}\s*次\s*/\s*年"), 1),
    (re.compile(rf"每\s*半\s*年\s*(?:至少|不少于|不低于|开展|抽查|检查)*\s*{NUMBER}?\s*次"), 2),
    (re.compile(rf"每\s*季\s*度?\s*(?:至少|不少于|不低于|开展|抽查|检查)*\s*{NUMBER}?\s*次"), 4),
    (re.compile(rf"每\s*(?:个)?月\s*(?:至少|不少于|不低于|开展|抽查|检查)*\s*{NUMBER}?\s*次"), 12),
    (re.compile(rf"每\s*年(?:度)?\s*(?:至少|不少于|不低于|开展|抽查|检查)*\s*{NUMBER}?\s*次"), 1),
    (re.compile(rf"年\s*(?:度)?\s*(?:抽查|检查)\s*{NUMBER}\s*次"), 1),
    (re.compile(rf"(?:抽查|检查|抽取)\s*{NUMBER}\s*次"), 1),
    (re.compile(rf"(?:^|[；;，,\s])\s*{NUMBER}\s*次(?!数)"), 1),
)


def parse_frequency(text: str) -> int | None:
    """Times per year; where a cell names several (重点事项每季度、一般事项每年), the most."""
    found: list[int] = []
    for pattern, periods in _FREQUENCIES:
        for match in pattern.finditer(text):
            times = to_int(match[1]) if match.lastindex and match[1] else 1
            if times:
                found.append(times * periods)
    return max(found) if found else None


def parse_sampling_type(*texts: str) -> str | None:
    for text in texts:
        if "不定向" in text:
            return "不定向"
        if "定向" in text:
            return "定向"
    return None


def looks_like_frequency(text: str) -> bool:
    return parse_frequency(text) is not None and "风险" not in text


NOT_APPLICABLE = re.compile(r"(?:不涉及|不适用|无需|不需要|不区分|不按)")  # 不涉及信用风险分类
RISK_CLASS_TAIL = re.compile(r"(?:企业|对象|单位|主体)?(?:\d+[个家户所])?$")


def parse_risk_rule(text: str) -> RiskRule:
    value = squeeze(text)
    if value.strip(EDGE_PUNCTUATION) in EMPTY_MARKS or NOT_APPLICABLE.match(value):
        return RiskRule(RiskRuleKind.NONE, text.strip())
    shares = [float(m[1]) for m in PERCENT.finditer(value) if m[1]]
    rising = len(shares) >= 2 and shares == sorted(shares) and shares[0] < shares[-1]
    if (
        any(word in value for word in ESCALATE_WORDS)
        or ("分别" in value and "风险" in value and ("比例" in value or "频次" in value))
        or (rising and ("信用" in value or "风险" in value))
    ):  # 守信5%、警示10%、失信20%
        return RiskRule(RiskRuleKind.ESCALATE, text.strip())
    # 低风险企业, 低风险对象50个 (every object drawn is of that one class)
    bare = RISK_CLASS_TAIL.sub("", value.strip(EDGE_PUNCTUATION))
    for risk_class, label in RISK_LABELS.items():
        if bare in (label, f"{risk_class.value}类", risk_class.value):
            return RiskRule(RiskRuleKind.FIXED, text.strip(), risk_class.value)
    if looks_like_frequency(value):
        return RiskRule(RiskRuleKind.NONE, text.strip())
    return RiskRule(RiskRuleKind.OTHER, text.strip())


DOTTED_DATE = re.compile(r"(20\d{2})\s*[.．/-]\s*(1[0-2]|0?[1-9])\s*[.．/-]\s*([0-3]?\d)(?!\d)日?")
GLUED_MONTH = re.compile(r"(20\d{2})(1[0-2]|0?[1-9])")  # 202210: October 2022
GLUED_DATE = re.compile(r"(20\d{2})(1[0-2]|0?[1-9])([0-3]\d)日")
DEADLINE = re.compile(r"前完成|之前|前$|截止|截至|为止")
SEASONS = re.compile(r"^[春夏秋冬、，和及]+季?$|^[春夏秋冬]季")
EVENT = re.compile(r"根据.*(确定|安排)|视.*情况|另行|统一安排|待定")
WHOLE_YEAR = re.compile(r"^(?:(\d{4})年)?(?:度)?全年")


def parse_window(text: str, year: int | None, parsed: Parsed) -> Window:
    """Start and end months. Days are dropped here (the cell's text, days and all, stays in
    the task's source); a deadline alone gives only an end (the last deadline); a season or
    a window tied to an event gives none, with a finding saying why."""
    value = text.strip()
    if not value:
        parsed.note("window", Severity.ERROR, "缺少抽查检查起止时间")
        return Window(None, None)
    month = GLUED_MONTH.fullmatch(squeeze(value))
    if month:
        fixed = f"{month[1]}年{int(month[2])}月"
        message = f"日期“{month[0]}”缺少年、月字样，按“{fixed}”读取"
        parsed.note("window", Severity.WARNING, message)
        value = fixed
    glued = GLUED_DATE.search(value)
    if glued:
        fixed = GLUED_DATE.sub(lambda m: f"{m[1]}年{int(m[2])}月{int(m[3])}日", value)
        parsed.note("window", Severity.INFO, f"日期“{glued[0]}”缺少年、月字样，按“{fixed}”读取")
        value = fixed
    if DOTTED_DATE.search(value):  # 2021.04.01, 2021-4-1, 2021/04/01
        value = DOTTED_DATE.sub(lambda m: f"{m[1]}年{int(m[2])}月{int(m[3])}日", value)
    squeezed = squeeze(value)
    whole = WHOLE_YEAR.match(squeezed)
    if whole:
        found = int(whole[1]) if whole[1] else year
        if found is not None:
            return Window(f"{found:04d}-01", f"{found:04d}-12")
    if SEASONS.search(squeezed) and not ENDPOINT.search(squeezed):
        parsed.note("window", Severity.WARNING, f"起止时间“{squeezed}”只写了季节，未写月份")
        return Window(None, None)
    if EVENT.search(squeezed) and not ENDPOINT.search(squeezed):
        message = f"起止时间“{squeezed}”取决于其他安排，未写月份"
        parsed.note("window", Severity.WARNING, message)
        return Window(None, None)
    if DEADLINE.search(squeezed) and not RANGE.search(squeezed):
        points = [_endpoint(m[0], year) for m in ENDPOINT.finditer(squeezed)]
        ends = [point for point in points if point is not None]
        if ends:
            last = max(ends, key=lambda p: (p[0] or 0, p[1]))
            message = f"“{squeezed}”只写了完成期限：结束取最后的期限，开始未写"
            parsed.note("window", Severity.INFO, message)
            return Window(None, _format(last))
    parts = RANGE.split(value, maxsplit=1)
    lines = [line for line in value.split("\n") if line.strip()]
    if len(parts) == 1 and len(lines) == 2 and all(ENDPOINT.search(line) for line in lines):
        parts = lines  # a start column and an end column (任务开始时间, 任务结束时间)
    if len(parts) == 1:
        parts = re.split(r"(?<=[月日\d])\s*-\s*(?=(?:次年)?\d)", value, maxsplit=1)
    months = list(ENDPOINT.finditer(value))  # 3月10月, 3月11 (its 月 lost too)
    if len(parts) == 1 and len(months) == 2 and not DEADLINE.search(squeezed):
        parts = [months[0][0], value[months[0].end() :]]  # 3月10月: a range that lost its 至
        message = (
            f"起止时间“{squeezed}”的两个月份之间没有“至”或“-”："
            f"按从{months[0][0]}到{months[1][0]}读取"
        )
        parsed.note("window", Severity.WARNING, message)
    start = _endpoint(parts[0], year)
    end = _endpoint(parts[1], start[0] if start else year) if len(parts) > 1 else None
    if len(parts) == 1 and start is not None and not re.search(r"起|开始|以后|之后", value):
        end = start  # one month: the window is that month
    if start is None or (len(parts) > 1 and end is None):
        parsed.note("window", Severity.ERROR, f"无法识别起止时间“{value}”")
        return Window(_format(start), _format(end))
    if start[0] is None:
        parsed.note("window", Severity.WARNING, f"起止时间“{value}”未写年份，且无法确定计划年度")
    if end and start[0] is not None and end[0] is not None and end < start:
        parsed.note("window", Severity.ERROR, f"起止时间“{value}”的结束早于开始")
    return Window(_format(start), _format(end))


def _endpoint(text: str, year: int | None) -> tuple[int | None, int] | None:
    match = ENDPOINT.search(text.strip())
    if not match or not 1 <= int(match[3]) <= 12:
        return None
    if match[2]:
        found_year: int | None = int(match[2])
    elif match[1] and year is not None:
        found_year = year + 1
    else:
        found_year = year
    return (found_year, int(match[3]))


def _format(point: tuple[int | None, int] | None) -> str | None:
    if point is None or point[0] is None:
        return None
    return f"{point[0]:04d}-{point[1]:02d}"


DEPARTMENT_END = "局委办队院所站厅处科室馆社司署台团校会心部行组"
SHARED_SUFFIXES = ("部门", "局", "委员会", "单位")
# Two names written without a separator: 县应急管理局县消防救援大队 (a PDF's or a web page's
# wrapped line lost the space). A name ends in a department word and the next one starts with
# the level the first one started with.
JOINED_AT = re.compile(rf"(?<=[{DEPARTMENT_END}])(?=[省市县区旗州](?![场直属级]))")


def split_departments(
    text: str, parsed: Parsed | None = None, field_name: str = "partner_departments"
) -> tuple[tuple[str, ...], bool]:
    """Names split on 、，; spaces and line breaks; a trailing 等 is removed and reported.
    A list sharing one suffix (人力资源和社会保障、商务、税务部门) is three departments, each
    given the suffix; names run together (县应急管理局县消防救援大队) are cut where the next
    starts with the first one's level. Both are said in a finding."""
    names = [name for name in SEPARATORS.split(text.strip()) if name]
    open_ended = False
    if names and names[-1].endswith("等") and len(names[-1]) > 1:
        names[-1] = names[-1][:-1]
        open_ended = True
    if names and names[-1] == "等":
        names.pop()
        open_ended = True
    names = _unjoin(names, parsed, field_name)
    names = _share_suffix(names, parsed, field_name)
    return tuple(names), open_ended


def _unjoin(names: list[str], parsed: Parsed | None, field_name: str) -> list[str]:
    out: list[str] = []
    for name in names:
        level = name[:1]
        pieces = [piece for piece in JOINED_AT.split(name) if piece]
        if len(pieces) > 1 and all(piece.startswith(level) and len(piece) > 2 for piece in pieces):
            out.extend(pieces)
            if parsed is not None:
                shown = "、".join(pieces)
                message = f"“{name}”中的部门名称连在一起，已拆为：{shown}"
                parsed.note(field_name, Severity.INFO, message)
        else:
            out.append(name)
    return out


def _share_suffix(names: list[str], parsed: Parsed | None, field_name: str) -> list[str]:
    """Each run of bare names shares the suffix of the full name that ends it: in
    城乡建设、卫生健康、市场监管部门 消防救援机构 the first three are 部门."""
    out: list[str] = []
    run: list[str] = []
    for name in names:
        run.append(name)
        if name[-1] in DEPARTMENT_END or name.endswith(SHARED_SUFFIXES):
            out += _share_run_suffix(run, parsed, field_name)
            run = []
    return out + run


def _share_run_suffix(names: list[str], parsed: Parsed | None, field_name: str) -> list[str]:
    if len(names) < 2:
        return names
    suffix = next((s for s in SHARED_SUFFIXES if names[-1].endswith(s)), None)
    if suffix is None or len(names[-1]) <= len(suffix):
        return names
    bare = names[:-1]
    if any(name[-1] in DEPARTMENT_END or name.endswith(SHARED_SUFFIXES) for name in bare):
        return names
    if suffix not in ("部门", "单位") and any(name[0] in "省市县区旗州" for name in bare):
        return names  # 区市场监管、区税务局: a name of its own, written short
    shared = [f"{name}{suffix}" for name in bare] + [names[-1]]
    if parsed is not None:
        written = "、".join(names)
        message = f"“{written}”共用“{suffix}”，按 {len(shared)} 个部门读取：{'、'.join(shared)}"
        parsed.note(field_name, Severity.INFO, message)
    return shared


MODE_PAIR = re.compile(r"([省市县区州盟旗](?:（[^）]*）)?)抽([省市县区州盟旗](?:（[^）]*）)?)查")


def parse_mode(text: str) -> Mode | None:
    value = squeeze(text)
    if not value:
        return None
    return Mode(value, tuple((m[1], m[2]) for m in MODE_PAIR.finditer(value)))


# --- ratios as plans write them ------------------------------------------------------------

NUM = r"\d+(?:\.\d+)?"
PERCENT_RANGE = re.compile(rf"({NUM})\s*[%％]?\s*(?:-|－|—|–|~|～|至|到)\s*({NUM})\s*[%％]")
CEILING_BEFORE = re.compile(  # 不超过抽查对象名录库的20%: the words between do not matter
    r"(不高于|不超过|最高|上限为?|最多|≤|<=|＜=|(?<!不)低于|(?<!不)小于)[^%％\d；;，,。]{0,12}$"
)
CLASS_RATIO = re.compile(rf"([ABCD])\s*类?\s*(?:企业)?\s*[:：]?\s*({NUM})\s*[%％]")
TIER = re.compile(
    r"(省级|市级|地市级|县级|区级|县\s*[（(]\s*[市区]+\s*[）)]\s*级|乡镇级|三级|二级|一级)"
)
COUNT_UNITS = "户家所个批辆台条艘项"
COUNT_RANGE = re.compile(rf"(\d+)\s*(?:-|－|—|–|~|～|至|到)\s*(\d+)\s*([{COUNT_UNITS}])")
COUNT_ANY = re.compile(rf"(?<![\d.:：])(\d+|[{CHINESE_DIGITS}]+)\s*([户家所])(?!\d)")
# A share set otherwise than as a percentage: by staff (1:10), by count.
OTHER_BASIS = re.compile(r"\d+\s*[:：比]\s*\d+(?:\.\d+)?")
POPULATION_BEFORE = re.compile(r"(基数|总数|共有|现有|名录库|数在)\s*[:：]?\s*$")
LEVEL_OF = {"省": "省级", "市": "市级", "县": "县级", "区": "县级", "旗": "县级"}


@dataclass(frozen=True)
class RatioReading:
    ratio_min: float | None
    class_ratios: dict[str, float] | None = None
    tiers: tuple[tuple[str, float], ...] = ()


def _percent_value(text: str) -> float:
    return round(float(text) / 100, 6)


def read_ratio(text: str, parsed: Parsed, level: str | None = None) -> RatioReading:
    """The plan's minimum ratio, with its findings: a range gives its bottom (the floor), a
    ceiling is no minimum, a per-class table becomes class ratios, tiers keep every tier and
    give the plan's own level's figure where it is known (else the lowest)."""
    value = squeeze(text)
    if not value:
        return RatioReading(None)
    classes = {m[1]: _percent_value(m[2]) for m in CLASS_RATIO.finditer(value)}
    if classes:
        shown = "、".join(f"{k}类{v:.4g}" for k, v in sorted(classes.items()))
        lowest = min(classes.values())
        message = f"抽查比例按信用风险分类列出（{shown}），作为分类比例；最低比例取 {lowest:.4%}"
        parsed.note("class_ratios", Severity.INFO, message.replace(".0000%", "%"))
        return RatioReading(lowest, dict(sorted(classes.items())))
    span = PERCENT_RANGE.search(value)
    if span:
        low = min(float(span[1]), float(span[2]))
        message = f"抽查比例为区间“{span[0]}”：按其下限 {low:g}% 作为最低比例"
        parsed.note("ratio_min", Severity.INFO, message)
        return RatioReading(round(low / 100, 6))
    percents = [
        (m, CEILING_BEFORE.search(value[: m.start()]) is not None) for m in PERCENT.finditer(value)
    ]
    if not percents:
        return RatioReading(parse_ratio(value))
    floors = [m for m, ceiling in percents if not ceiling]
    if not floors:
        message = f"“{value}”写的是上限，不是最低比例：请填写本计划的最低抽查比例"
        parsed.note("ratio_min", Severity.WARNING, message)
        return RatioReading(None)
    tiers = _tiers(value, floors)
    if tiers:
        return _tiered(tiers, parsed, level)
    parts = [part for part in re.split(r"[；;]", value) if part.strip(EDGE_PUNCTUATION)]
    per_part = [parse_ratio(part) for part in parts]
    if len(parts) >= 2 and all(share is not None for share in per_part):
        # 日处理能力≥100吨100%;100吨≥日处理能力≥20吨每年20%: a share per class of object
        lowest = min(share for share in per_part if share is not None)
        message = f"抽查比例按对象类别分列（{value}）：按其中最低的 {lowest:.4g} 作为最低比例"
        parsed.note("ratio_min", Severity.INFO, message)
        return RatioReading(lowest)
    unstated = [part for part in parts if OTHER_BASIS.search(part)]
    if unstated and not PERCENT.search(unstated[0]):
        # 重点源100%;一般源全年按在编在岗人员1:10比例抽取: one class has no percentage
        message = (
            f"抽查比例“{value}”中“{unstated[0].strip(EDGE_PUNCTUATION)}”未写百分比："
            f"最低比例暂按写明的 {parse_ratio(floors[0][0]):.4g} 读取，请核对"
        )
        parsed.note("ratio_min", Severity.WARNING, message)
    return RatioReading(parse_ratio(floors[0][0]))


def _tiers(value: str, floors: list[re.Match[str]]) -> tuple[tuple[str, float], ...]:
    found: list[tuple[str, float]] = []
    start = 0
    for match in floors:
        names = TIER.findall(value[start : match.start()])
        ratio = parse_ratio(match[0])
        if names and ratio is not None:
            found.append((squeeze(names[0]), ratio))
        start = match.end()
    return tuple(found) if len({name for name, _ in found}) >= 2 else ()


def _tiered(
    tiers: tuple[tuple[str, float], ...], parsed: Parsed, level: str | None
) -> RatioReading:
    shown = "、".join(f"{name}{ratio:.4g}" for name, ratio in tiers)
    own = None
    if level:
        own = next((r for name, r in tiers if name.startswith(level[0])), None)
        if own is None and level == "县级":
            own = next((r for name, r in tiers if name.startswith("区")), None)
    if own is not None:
        message = f"抽查比例分级（{shown}）：按本计划的{level}取 {own:.4g}"
        parsed.note("ratio_min", Severity.INFO, message)
        return RatioReading(own, tiers=tiers)
    lowest = min(ratio for _, ratio in tiers)
    message = f"抽查比例分级（{shown}）：计划未写明本级，暂取最低的 {lowest:.4g}，请核对"
    parsed.note("ratio_min", Severity.WARNING, message)
    return RatioReading(lowest, tiers=tiers)


def plan_level(locality: str, level_text: str = "") -> str | None:
    """The plan's own level: its 实施层级 cell (区级发起，区级检查), else its locality's suffix."""
    named = TIER.search(squeeze(level_text))
    if named:
        return LEVEL_OF.get(named[1][0], named[1])
    return LEVEL_OF.get(locality[-1:]) if locality else None


def read_count(text: str, parsed: Parsed) -> int | None:
    """Entities to draw: 1户, 60-70家 (the bottom, said); a population (基数:7, 名录库) is not."""
    value = squeeze(text)
    span = COUNT_RANGE.search(value)
    if span:
        low = min(int(span[1]), int(span[2]))
        message = f"抽查数量为区间“{span[0]}”：按其下限 {low} 读取"
        parsed.note("sample_count", Severity.INFO, message)
        return low
    for match in COUNT_ANY.finditer(value):
        if POPULATION_BEFORE.search(value[: match.start()]):
            continue
        return to_int(match[1])
    return int(value) if value.isdigit() else None


# --- frequencies ----------------------------------------------------------------------------

FREQUENCY_ONLY = re.compile(r"(?:=|＝|>=|≥|＞=|>|不少于|至少)?\s*(\d+)\s*(?:次)?(?:/年)?")
AT_LEAST = re.compile(rf"(?:至少|不少于|不低于|次数为|次数是|次数)\s*{NUMBER}\s*次")
BATCHES = re.compile(rf"分\s*{NUMBER}\s*(?:个)?批次?")
PERIOD_RATIO = re.compile(rf"每\s*(个?季度?|个?月|半年|年)[^%％；;。]{{0,8}}?{NUM}\s*[%％]")
PERIODS = {"季": 4, "季度": 4, "月": 12, "半年": 2}
TIMES_RANGE = re.compile(r"(\d+)\s*(?:-|－|—|–|~|～|至|到)\s*(\d+)\s*次")


def read_frequency(text: str, parsed: Parsed, *, column: bool = False) -> int | None:
    """Times a year as plans write them: =1, >=1 (a 抽查频次 cell), 至少2次, 分两批次, 1-2次
    (the bottom, said), and every form parse_frequency knows."""
    value = squeeze(text)
    if not value:
        return None
    if column:
        bare = FREQUENCY_ONLY.fullmatch(value)
        if bare:
            return int(bare[1])
    span = TIMES_RANGE.search(value)
    if span:
        low = min(int(span[1]), int(span[2]))
        message = f"抽查频次为区间“{span[0]}”：按其下限每年 {low} 次读取"
        parsed.note("frequency_per_year", Severity.INFO, message)
        return low
    found = parse_frequency(value.replace("各", ""))
    candidates = [found] if found else []
    yearly = False
    for match in PERIOD_RATIO.finditer(value):  # 每季度最低抽查12.5%: a round each quarter
        period = match[1].removeprefix("个")
        yearly = yearly or period == "年"
        if period != "年":
            candidates.append(PERIODS[period])
    for pattern in (AT_LEAST, BATCHES):
        for match in pattern.finditer(value):
            times = to_int(match[1])
            if times:
                candidates.append(times)
    if candidates:
        return max(candidates)
    if yearly:
        message = f"“{value}”写的是每年的抽查比例，未写抽查次数：如每年一次，请填写"
        parsed.note("frequency_per_year", Severity.WARNING, message)
    elif "频次" in value and ("确定" in value or "需要" in value):
        message = f"抽查频次“{value}”未写次数"
        parsed.note("frequency_per_year", Severity.WARNING, message)
    return None
