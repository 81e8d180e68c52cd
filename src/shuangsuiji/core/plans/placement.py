"""Which columns a short row's cells belong to, judged by what each cell holds.

A table with merged cells loses them in every row but the first of the merge: the text of a web
page, a PDF or a pasted table then gives a row of four cells under a header of eight, and
nothing says which four. What a cell holds mostly does: a ratio (10%, 60-70家), a month range,
a department (…部门, …局), a level (区级发起，区级检查), a numbered item (2.…) each fit one kind
of column. The cells keep their order, so the placement is the order-keeping choice of columns
that fits the cells best (a row with its own 序号 has its own name); among equals, the one
leaving the fewest separate runs of columns empty (merged cells come in blocks), then the one
a row's own 序号 suggests (a numbered row lacks its last cells, a row without 序号 its first).

The same judgement tells a full row whose cells have slid: several cells that plainly belong
to another kind of column than their own.
"""

import itertools
import math
import re

SEQ = re.compile(r"\d{1,4}")
NUMBERED = re.compile(r"第?\d{1,4}号")  # 001号, a task's number as some tables write it
# A numbered item a cell's later paragraph starts with: "2.", "（2）", "2、", "二、".
ITEM_START = re.compile(r"[（(]?\d{1,2}[)）.．、]|[一二三四五六七八九十]{1,3}、")
RATIO = re.compile(r"\d+(?:\.\d+)?\s*[%％]|\d+\s*[户家个所]|比例|全覆盖")
FREQUENCY = re.compile(
    r"(?:至少|每[年月季]|年均|全年)?.{0,6}?(?:\d+|[一二两三四])\s*(?:-\d+)?次.{0,6}"
)
WINDOW = re.compile(
    r"\d{1,2}\s*月|[上下]半年|季度|全年|^20\d{2}\s*[.．/\-]\s*\d{1,2}\s*[.．/\-]\s*\d{1,2}$"
    r"|^(?:1[0-2]|[1-9])\s*[—\-－~～至]\s*(?:1[0-2]|[1-9])$"  # 4—10: months that lost 月
)
DEPARTMENT = re.compile(
    r"(?:部门|[^理]局|委员会|委|办公室|[^教]室|队|站|中心|所|分局|政府|处|科|股|机构|院)$"
)
LEVEL = re.compile(r".{0,8}级(?:发起|检查|抽查|组织|实施)?.{0,12}|[县市区省]抽[县市区省]查")
SAMPLING = re.compile(
    r"(?:不)?定向(?:抽查)?|(?:重点|一般|日常|专项|行政)(?:检查|抽查)(?:事项?)?"
    r"|(?:本|多|跨)部门(?:联合)?抽查"
)
SCOPE_END = re.compile(
    r"(?:单位|企业|机构|学校|幼儿园|医院|个人|经营者|主体|场所|商户|户|基地|设施|食堂|加油站|加气站|充电站)$"
)
# What a cell about the objects opens with: 辖区内…, 全县…, 本市…
SCOPE_START = re.compile(r"^(?:辖区内|辖区|全[省市县区旗]|本[省市县区旗])")
ITEM_END = re.compile(r"(?:检查|监管|情况|核查|抽检|抽样)$")
NAME_END = re.compile(r"抽查$")
ITEM_OPEN = re.compile(r"^(?:对|检查|核查)")  # 对教育经费的监督管理, 检查托幼机构的…

# Column key → the kind of cell it holds.
COLUMN_KINDS: dict[str, str] = {
    "seq": "seq",
    "ratio": "ratio",
    "ratio_count": "ratio",
    "sample_count": "ratio",
    "population": "ratio",
    "local_ratio": "ratio",
    "frequency": "frequency",
    "window": "window",
    "deadline": "window",
    "draw_date": "window",
    "lead": "department",
    "partners": "department",
    "joint": "department",
    "body": "department",
    "office": "department",
    "level": "level",
    "mode": "level",
    "sampling_type": "sampling",
    "name": "name",
    "domain": "name",
    "plan_name": "name",
    "items": "item",
    "scope": "scope",
}
COUNT_COLUMNS = frozenset({"sample_count", "population"})
STRONG = frozenset({"seq", "ratio", "frequency", "window", "department", "level", "sampling"})
MAX_PLACEMENTS = 5000  # C(14, 7) is 3432: every real plan's header is within it
NAME_COLUMNS = frozenset({"name", "domain", "plan_name"})
# 抽查领域/抽查类别 or 计划名称, whichever comes first, groups rows: its cell is merged down,
# so a short row rarely has its own.
GROUP_COLUMNS = frozenset({"domain", "plan_name"})


def cell_kind(text: str) -> str:
    """The kind of column a cell's text belongs in; "text" when nothing tells."""
    value = re.sub(r"\s+", "", text)
    if not value:
        return "empty"
    if SEQ.fullmatch(value) or NUMBERED.fullmatch(value):
        return "seq"
    if len(value) <= 16 and SAMPLING.fullmatch(value):
        return "sampling"
    if len(value) <= 60 and RATIO.search(value) and not ITEM_START.match(value):
        return "ratio"
    if len(value) <= 20 and FREQUENCY.fullmatch(value):
        return "frequency"
    if len(value) <= 20 and LEVEL.fullmatch(value):
        return "level"
    if len(value) <= 40 and WINDOW.search(value) and not re.search(r"[检查]$", value):
        return "window"
    if ITEM_START.match(value):
        return "item"
    if SCOPE_START.match(value) and not RATIO.search(value):
        return "scope"
    if len(value) <= 40 and DEPARTMENT.search(value) and not SCOPE_END.search(value):
        return "department"
    if SCOPE_END.search(value):
        return "scope"
    if NAME_END.search(value):
        return "name"
    if ITEM_OPEN.match(value):
        return "item"
    if ITEM_END.search(value):
        return "item"
    return "text"


def fit(text: str, key: str) -> int:
    """How well a cell fits a column: strong kinds reward their own column and refuse others."""
    kind = cell_kind(text)
    column = COLUMN_KINDS.get(key, "other")
    if kind == "empty":
        return 0
    if kind in STRONG:
        if kind == "seq" and key in COUNT_COLUMNS:
            return 2  # a bare number under 抽查对象数量
        if kind == "frequency" and column == "ratio":
            return 1  # 抽查比例及频次 columns hold both
        if kind == column:
            several = kind == "department" and re.search(r"[、，,]", text)
            return 3 + (1 if several and key == "partners" else 0)
        return -3
    if column in STRONG:
        return -2
    return 1 if kind == column else 0


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _runs(columns: list[int]) -> int:
    return sum(1 for i, c in enumerate(columns) if i == 0 or columns[i - 1] != c - 1)


def place_cells(cells: list[str], keys: list[str], above: list[str] | None = None) -> list[int]:
    """The column of each cell, in order, for a row shorter than its header. A cell equal to
    the row above's cell in a column (区市场监管局 under 检查主体 again) is likelier there."""
    width = len(keys)
    best_columns: list[int] = list(range(len(cells)))
    if math.comb(width, len(cells)) > MAX_PLACEMENTS:
        return best_columns  # a table this wide keeps its cells in order, and is warned about
    numbered = bool(cells) and "seq" in keys and cell_kind(cells[0]) == "seq"
    group_at = next((i for i, key in enumerate(keys) if key in GROUP_COLUMNS), -1)
    fits = [[fit(text, key) for key in keys] for text in cells]
    for row, text in zip(fits, cells, strict=True):
        for column, upper in enumerate(above or []):
            if text.strip() and squeeze(text) == squeeze(upper):
                row[column] += 1
            elif text.strip() and upper.strip() and column == group_at:
                row[column] -= 1  # a group's name is merged down over its rows
    best: tuple[int, int, int] | None = None
    for columns in itertools.combinations(range(width), len(cells)):
        score = sum(fits[i][c] for i, c in enumerate(columns))
        named = any(
            keys[c] in NAME_COLUMNS and c != group_at and t
            for t, c in zip(cells, columns, strict=True)
        )
        if numbered and named:
            score += 2  # a row with its own 序号 has its own name
        missing = [c for c in range(width) if c not in columns]
        # Numbered rows lack their last cells, others their first.
        lean = sum(missing) if numbered else -sum(missing)
        rank = (score, -_runs(missing), lean)
        if best is None or rank > best:
            best, best_columns = rank, list(columns)
    return best_columns


def misfits(row: list[str], keys: list[str]) -> list[int]:
    """Columns of a full row whose cell plainly belongs to another kind of column."""
    return [
        index
        for index, (text, key) in enumerate(zip(row, keys, strict=False))
        if key in COLUMN_KINDS and fit(text, key) <= -3
    ]


FRAGMENT = 2  # a wrapped tail this short (抽查, 学校) says nothing of its own column
DANGLING = re.compile(r"[的和及与或、，,（(]$")  # a line that stops mid-phrase wraps
DANGLING_COST = 5
JOIN_COST = 2  # a cell's text wrapped onto one more line
EMPTY_COST = 6  # a cell left empty (its paragraph dropped)
ROW_COST = 10  # one row more: the fewest rows that fit the lines
MAX_LINES_A_CELL = 8


def _span_fit(lines: list[str], key: str) -> int:
    """How well lines joined into one cell fit a column, in tenths: the joined text's fit, less each
    line that alone belongs elsewhere (a department run into an object, an object into a
    ratio), less the joins."""
    dangling = DANGLING.search(lines[-1].strip()) is not None  # 对教育经费的 | 监督管理
    if len(lines) == 1:
        return 10 * fit(lines[0], key) - DANGLING_COST * dangling
    misfit = sum(min(0, fit(line, key)) for line in lines if len(squeeze(line)) > FRAGMENT)
    joins = JOIN_COST * (len(lines) - 1)
    if len(squeeze(lines[0])) <= FRAGMENT and cell_kind(lines[0]) not in STRONG:
        joins += DANGLING_COST  # a wrapped tail (抽查) ends a cell, it does not start one
    return 10 * (fit("".join(lines), key) + misfit) - joins - DANGLING_COST * dangling


def rows_by_content(lines: list[str], keys: list[str | None]) -> list[list[str]]:
    """Rows of a table without 序号 given one paragraph a line, where a cell may wrap over
    several lines and an empty cell may have left no line at all: the order-keeping choice of
    (row, column) for every line that fits the lines best, as `place_cells` judges one row.
    Neighbouring lines in one column are one cell wrapped; a row whose first cell is empty
    (merged down from the row above) is left so for the caller to carry down."""
    width = len(keys)
    count = len(lines)
    columns = [key or "other" for key in keys]
    worst = -(10**9)
    # best[i][c]: the score with lines[:i] placed and column c of a row to fill next.
    best = [[worst] * width for _ in range(count + 1)]
    back: list[list[tuple[int, int, bool] | None]] = [[None] * width for _ in range(count + 1)]
    best[0][0] = 0
    for i in range(count + 1):
        for c in range(width):
            here = best[i][c]
            if here == worst:
                continue
            following = (c + 1) % width
            row_end = ROW_COST if following == 0 else 0
            if here - EMPTY_COST - row_end > best[i][following]:
                best[i][following] = here - EMPTY_COST - row_end
                back[i][following] = (i, c, False)
            for j in range(i + 1, min(count, i + MAX_LINES_A_CELL) + 1):
                score = here + _span_fit(lines[i:j], columns[c]) - row_end
                if score > best[j][following]:
                    best[j][following] = score
                    back[j][following] = (i, c, True)
    ends = [
        best[count][c] - (EMPTY_COST * (width - c) + ROW_COST if c else 0) for c in range(width)
    ]
    state = (count, max(range(width), key=lambda c: ends[c]))
    steps: list[tuple[int, int, int, bool]] = []  # (first line, last line + 1, column, filled)
    while state != (0, 0):
        step = back[state[0]][state[1]]
        if step is None:
            break
        start, column, filled = step
        steps.append((start, state[0], column, filled))
        state = (start, column)
    rows: list[list[str]] = []
    current = [""] * width
    for start, stop, column, filled in reversed(steps):
        if filled:
            current[column] = "\n".join(lines[start:stop])
        if column == width - 1:  # the row's last column, filled or left empty, ends it
            rows.append(current)
            current = [""] * width
    if any(current):
        rows.append(current)
    return rows
