"""From a grid to the plan's task rows: find the header, drop what is not a task, mend splits.

A table copied out of Word arrives with its header repeated on every page, the title and page
numbers between rows, and rows cut where a page broke or an empty cell became a blank line.
Every row dropped or mended leaves a finding, so nothing disappears silently.
"""

import re
from dataclasses import dataclass, field

from shuangsuiji.core.errors import PlanFileError
from shuangsuiji.core.plans.columns import COLUMN_LABELS, CORE_COLUMNS, header_keys
from shuangsuiji.core.plans.model import Finding, Severity
from shuangsuiji.core.plans.placement import cell_kind, misfits, place_cells
from shuangsuiji.core.plans.readers import Grid

PAGE_NUMBER = re.compile(r"[-—–\s]*(第\s*)?\d{1,3}\s*(页|/\s*\d+)?[-—–\s]*")
SEQ = re.compile(r"\d{1,4}")
KEPT_APART = frozenset({"scope"})
# A short row holding one of these is a task of its own under the 序号 above (an 抽查领域's
# sub-row with its own object and ratio); without them it continues the task above.
OWN_TASK_KEYS = frozenset({"scope", "ratio", "ratio_count", "sample_count", "window"})


@dataclass
class RawTask:
    cells: dict[str, str]
    findings: list[Finding] = field(default_factory=list)
    sub_row: bool = False  # a row under the 序号 above it, with its own object or ratio


@dataclass
class Table:
    columns: list[str]
    tasks: list[RawTask]
    title: str
    findings: list[Finding]


def assemble(grid: Grid) -> Table:
    findings: list[Finding] = [Finding("table", Severity.INFO, note) for note in grid.notes]
    header_at, keys = _find_header(grid.rows)
    if keys is None:
        raise PlanFileError(
            "未找到计划表格的表头：应有“序号”“抽查任务名称”“抽查事项”“抽查对象范围”等列名"
        )
    columns = [key or f"column{index + 1}" for index, key in enumerate(keys)]
    unknown = [grid.rows[header_at][i].strip() for i, key in enumerate(keys) if key is None]
    for name in unknown:
        if name:
            message = f"未识别的列“{name}”，其内容保存在原文中"
            findings.append(Finding("columns", Severity.INFO, message))
    title, others = _title(grid, header_at)
    if others:
        shown = "、".join(f"“{other}”" for other in others)
        message = f"表格前有不止一个标题：取“{title}”，另有{shown}，请核对"
        findings.append(Finding("title", Severity.WARNING, message))
    width = len(columns)
    tasks: list[RawTask] = []
    repeated_headers = dropped_titles = page_numbers = 0
    body = grid.rows[header_at + 1 :]
    for number, row in enumerate(body if grid.delimited else _mend_splits(body, width), start=1):
        texts = [cell.strip() for cell in row]
        filled = [text for text in texts if text]
        if not filled:
            continue
        if header_keys(row) is not None:
            repeated_headers += 1
            continue
        lone_item = len(filled) == 1 and cell_kind(filled[0]) == "item"
        if tasks and len(row) < width and (len(filled) > 1 or lone_item):
            placed = _place_short_row(texts, columns, tasks, number)
            if placed is not None:
                tasks.append(placed)
            continue
        standalone = texts[0] if len(filled) == 1 else None  # a title, page number or note
        spanning = len(set(filled)) == 1 and len(filled) == len(texts) > 1  # merged across
        if standalone or spanning:
            text = filled[0]
            if (title and _squeeze(text) == _squeeze(title)) or ("计划" in text and len(text) < 80):
                dropped_titles += 1
            elif PAGE_NUMBER.fullmatch(text):
                page_numbers += 1
            else:
                findings.append(
                    Finding("table", Severity.INFO, f"表格中的说明文字未作为任务：“{text}”")
                )
            continue
        cells = _cells(columns, row)
        extra = [text for text in texts[width:] if text]
        raw = RawTask(cells)
        if header_at + number in grid.row_notes:  # the reader doubts how it cut the row
            raw.findings.append(
                Finding("table", Severity.WARNING, grid.row_notes[header_at + number])
            )
        if extra:
            message = f"本行比表头多出{len(extra)}个单元格：{'；'.join(extra)}"
            raw.findings.append(Finding("table", Severity.WARNING, message))
        elif len(row) < width:
            message = f"本行只有{len(row)}个单元格，表头有{width}列：各列可能错位，请核对"
            raw.findings.append(Finding("table", Severity.WARNING, message))
        elif len(misfit := misfits(texts, columns)) >= 2:
            named = "、".join(
                f"“{COLUMN_LABELS.get(columns[i], columns[i])}”列为“{texts[i]}”" for i in misfit
            )
            message = f"本行的内容与表头不符（{named}）：各列可能错位，请核对"
            moved = _replaced(texts, columns)
            if (
                moved is not None
            ):  # an empty cell lost in the middle of the row turned up at its end
                cells = _cells(columns, moved)
                raw = RawTask(cells)
                shown = "、".join(COLUMN_LABELS.get(columns[i], columns[i]) for i in misfit)
                message = (
                    f"本行的内容与表头不符（{named}）：按内容重排后“{shown}”等列已对齐，"
                    "空单元格移到其应在的列，请核对"
                )
            raw.findings.append(Finding("table", Severity.WARNING, message))
        if "seq" in cells and not cells["seq"].strip() and tasks:
            _merge_continuation(tasks[-1], raw, number)
            continue
        if _is_note(cells):
            message = f"表格中的说明文字未作为任务：“{'；'.join(filled)}”"
            findings.append(Finding("table", Severity.INFO, message))
            continue
        tasks.append(raw)
    if not tasks:
        named = "、".join(text.strip() for text in grid.rows[header_at] if text.strip())
        raise PlanFileError(
            f"找到了计划表格的表头（{named[:80]}），但其下没有读出任务行："
            "请确认表格完整，或将计划另存为 .docx 或 .xlsx 后再上传"
        )
    if repeated_headers:
        findings.append(Finding("table", Severity.INFO, f"已去除重复的表头 {repeated_headers} 处"))
    if dropped_titles:
        findings.append(
            Finding("table", Severity.INFO, f"已去除表格中重复的标题 {dropped_titles} 处")
        )
    if page_numbers:
        findings.append(Finding("table", Severity.INFO, f"已去除页码 {page_numbers} 处"))
    for text in grid.texts:
        if PAGE_NUMBER.fullmatch(text):
            findings.append(Finding("table", Severity.INFO, f"已去除表格外的页码“{text}”"))
    return Table(columns, tasks, title, findings)


def _find_header(rows: list[list[str]]) -> tuple[int, list[str | None] | None]:
    for index, row in enumerate(rows):
        keys = header_keys(row)
        if keys is not None:
            while keys and keys[-1] is None and not rows[index][len(keys) - 1].strip():
                keys.pop()
            return index, keys
    return -1, None


TITLE_LABEL = re.compile(r"^(?:信息名称|文件名称|名称|标题|主题|公开目录)[:：]?")
TITLE_TAIL = re.compile(r"(?:成文日期|发布日期|发文日期|生成日期|文号|索引号).*$")
NOTICE = re.compile(r"关于印发(.+?)的通知")
# A page's furniture (更新时间:2023-04-23来源:…字体[ 大 中 小 ]) is not a title either.
NOT_A_TITLE = re.compile(
    r"首页|当前位置|>|＞|^(?:为|根据|按照|依据)|^(?:备注|注|说明)[:：]"
    r"|(?:更新|发布)(?:时间|日期)\s*[:：]|字体\s*[\[［:：]"
)
# What a plan's title names: the plan, or the list of check items it is published as.
TITLE_WORDS = re.compile(r"计划|事项清单|抽查清单")
# A page's catalogue (公开目录 抽查计划) names the kind of document, not the plan.
CATALOGUE = re.compile(r"^\s*(?:公开目录|主题分类|信息类别|所属类别|栏目)")
ANNEX = re.compile(r"附件\s*\d*\s*[:：]?")


def _clean_title(text: str) -> str:
    """A title line as a page's text gives it: its label (名称：, 标题) and the metadata after
    it (成文日期…) taken off, the bars a page's text puts around cells removed, and a notice
    (关于印发…的通知) reduced to the plan it issues."""
    value = _squeeze(text).strip("|｜")
    value = TITLE_TAIL.sub("", TITLE_LABEL.sub("", value)).strip("|｜")
    notice = NOTICE.search(value)
    if notice:
        value = notice[1]
    return value.strip("《》|｜")


def _title(grid: Grid, header_at: int) -> tuple[str, list[str]]:
    """The plan's title: the first line naming a plan that reads as a title (not a sentence,
    a breadcrumb or the site's path), preferring the one under an 附件 line (an annex's own
    title is the plan's)."""
    candidates = [t for t in grid.texts if t.strip()]
    for row in grid.rows[:header_at]:
        filled = {cell.strip() for cell in row if cell.strip()}
        if len(filled) == 1:
            candidates.append(filled.pop())
    eligible = []
    after_annex = None
    for index, text in enumerate(candidates):
        cleaned = _clean_title(text)
        if CATALOGUE.match(text):
            continue
        if TITLE_WORDS.search(cleaned) and len(cleaned) <= 80 and not NOT_A_TITLE.search(cleaned):
            eligible.append(cleaned)
            previous = _squeeze(candidates[index - 1]) if index else ""
            if after_annex is None and ANNEX.fullmatch(previous):
                after_annex = cleaned
    if after_annex:
        return after_annex, []
    if eligible:
        others = [t for t in dict.fromkeys(eligible[1:]) if t != eligible[0] and "计划" in t]
        return eligible[0], others
    plain = [_clean_title(t) for t in candidates if not NOT_A_TITLE.search(_clean_title(t))]
    return (plain[0] if plain else ""), []


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _cells(columns: list[str], row: list[str]) -> dict[str, str]:
    """The row's cells by column key; two columns under one key (抽查比例, 抽查频次) are joined.
    A second 抽查对象 column (a two-level header's 对象范围 under 检查对象) is kept apart,
    under its own key, rather than run into the first."""
    cells: dict[str, str] = {}
    for index, (key, text) in enumerate(
        zip(columns, (row + [""] * len(columns))[: len(columns)], strict=True)
    ):
        current = cells.get(key)
        if current is None or not current.strip():
            cells[key] = text
        elif text.strip() and _squeeze(text) != _squeeze(current):
            if key in KEPT_APART:
                cells[f"column{index + 1}"] = text
            else:
                cells[key] = f"{current}\n{text}"
    return cells


def _place_short_row(
    texts: list[str], columns: list[str], tasks: list[RawTask], number: int
) -> RawTask | None:
    """A row shorter than the header, its merged cells left out: each cell goes to the column
    its content fits (placement.py). Without its own 序号, a row that has its own object or
    ratio is a task of its own under the number above (the merged cells carried down);
    otherwise it continues the task above (more items, another partner department). Returns
    the new task, or None when the row was merged into the one above."""
    width = len(columns)
    above = tasks[-1]
    positions = place_cells(texts, columns, [above.cells.get(key, "") for key in columns])
    row = [""] * width
    for text, position in zip(texts, positions, strict=True):
        row[position] = text
    own = {columns[p] for text, p in zip(texts, positions, strict=True) if text}
    cells = _cells(columns, row)
    placed = "、".join(COLUMN_LABELS.get(columns[p], columns[p]) for p in positions)
    if "seq" in columns and "seq" not in own and not own & OWN_TASK_KEYS:
        _merge_continuation(above, RawTask(cells), number)
        return None
    carried = [
        key
        for key in dict.fromkeys(columns)
        if key not in own and above.cells.get(key, "").strip() and key != "note"
    ]
    for key in carried:  # merged down from the row above (发起部门, 抽查领域, 序号)
        cells[key] = above.cells[key]
    kept = "、".join(COLUMN_LABELS.get(key, key) for key in carried)
    message = (
        f"表格第{number}行只有{len(texts)}个单元格，表头有{width}列：按内容归入“{placed}”列"
        + (f"，“{kept}”按合并单元格沿用上一行" if kept else "")
        + "，请核对"
    )
    return RawTask(cells, [Finding("table", Severity.WARNING, message)], sub_row="seq" not in own)


def _replaced(texts: list[str], columns: list[str]) -> list[str] | None:
    """A full row that has slid around an empty cell (the page lost it in the middle and kept
    one at the end): its filled cells placed again by what they hold, in order, where that
    leaves no cell plainly in the wrong column; None otherwise."""
    filled = [text for text in texts if text]
    if len(filled) == len(texts):
        return None
    positions = place_cells(filled, columns)
    row = [""] * len(columns)
    for text, position in zip(filled, positions, strict=True):
        row[position] = text
    return row if not misfits(row, columns) else None


def _is_note(cells: dict[str, str]) -> bool:
    """A row with no task name, items or scope and no number is a note (制表单位：…), not a task."""
    if any(cells.get(key, "").strip() for key in CORE_COLUMNS):
        return False
    return SEQ.fullmatch(cells.get("seq", "").strip()) is None


def _mend_splits(rows: list[list[str]], width: int) -> list[list[str]]:
    """Join fragments of one row that a blank line cut apart (text copied from Word).

    A fragment shorter than the header is joined with the fragments after it while together
    they still fit the width and the next fragment does not start a new numbered task.
    """
    mended: list[list[str]] = []
    pending: list[str] = []
    for index, row in enumerate(rows):
        following = rows[index + 1] if index + 1 < len(rows) else []
        lone_number = len(row) == 1 and SEQ.fullmatch(row[0].strip()) is not None
        if lone_number and not pending and len(following) == width - 1:
            pending = list(row)  # a 序号 cut off from the rest of its row, not a page number
            continue
        if len(row) >= width or (len(row) == 1 and not pending):
            if pending:
                mended.append(pending)
                pending = []
            mended.append(row)
            continue
        starts_task = bool(row) and SEQ.fullmatch(row[0].strip()) is not None
        if pending and (starts_task or len(pending) + len(row) > width):
            mended.append(pending)
            pending = []
        pending = pending + row
        if len(pending) == width:
            mended.append(pending)
            pending = []
    if pending:
        mended.append(pending)
    return mended


def _merge_continuation(task: RawTask, fragment: RawTask, number: int) -> None:
    """A row without 序号 continues the task above it (a row cut at a page break)."""
    merged = []
    for key, text in fragment.cells.items():
        addition = text.strip()
        if not addition:
            continue
        current = task.cells.get(key, "")
        if _squeeze(addition) == _squeeze(current):
            merged.append(f"{COLUMN_LABELS.get(key, key)}（与上一行相同，已去重）")
        elif not current.strip():
            task.cells[key] = text
            merged.append(COLUMN_LABELS.get(key, key))
        else:
            task.cells[key] = f"{current}\n{text}"
            merged.append(COLUMN_LABELS.get(key, key))
    message = f"表格第{number}行没有序号，视为上一任务的续行并合并：{'、'.join(merged)}"
    task.findings.append(Finding("table", Severity.INFO, message))
    task.findings.extend(fragment.findings)
