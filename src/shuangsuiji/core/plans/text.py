"""Plan tables as text: the forms a table takes when it is copied out of Word, a browser,
Excel, WPS or a PDF viewer and pasted or saved as .txt.

Each form has its own splitter; `read_text` tries every one and keeps the form whose header
row names the most known columns. Rows are then rebuilt from the header's column count and
the 序号 sequence, since in every form but the tab-separated one a line is not a row: cells
wrap, and one cell's paragraphs arrive as lines of their own.

Forms:
- Word (the seeds): a cell starts with a tab at the start of a line, a blank line ends a row.
- tab-separated (Excel, a browser): cells separated by tabs; a cell with a line break in it
  continues on the next line, so the line has too few cells.
- ` | ` rows (the text of a web page, Markdown): cells separated by vertical bars.
- one cell per paragraph (a web page's text, a PDF copied as text): the header is a run of
  lines that each name a column; every row starts at a line holding the next 序号.
- runs of spaces (a PDF saved as text with its layout kept): cells separated by two or more
  spaces, a wrapped cell continuing on the next lines at its column's position.
"""

import itertools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from shuangsuiji.core.celltext import read_csv_text
from shuangsuiji.core.plans.columns import column_key, header_keys
from shuangsuiji.core.plans.placement import ITEM_START, cell_kind, fit, rows_by_content

SEQ = re.compile(r"\d{1,4}")
SPACES = re.compile(r"(?: {2,}|\u3000+|\t+)")
PIPE_RULE = re.compile(r"[|:\-\s]+")


@dataclass
class TextGrid:
    """Rows found in text, the lines outside them, and what was mended on the way."""

    rows: list[list[str]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # become info findings
    form: str = ""
    row_notes: dict[int, str] = field(default_factory=dict)  # row index → a warning on it


def unwrap(text: str) -> str:
    """A cell's lines as a PDF or a laid-out text wraps them, joined again: a line break stays
    only before the next numbered item (1、… 2、…), where the cell's own paragraphs begin; a
    line starting 二、三类 in the middle of item 1 is a wrap."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if not lines:
        return ""
    joined = lines[0]
    first = _item_number(lines[0])
    expected = (first[0], first[1] + 1) if first else None
    for line in lines[1:]:
        number = _item_number(line)
        if number is not None and ((expected is None and number[1] == 1) or number == expected):
            joined += f"\n{line}"
            expected = (number[0], number[1] + 1)
        else:
            joined += line
    return joined


def _item_number(line: str) -> tuple[str, int] | None:
    """("arabic" or "chinese", the number) of the item a line starts, if it starts one."""
    match = ITEM_START.match(line)
    if not match:
        return None
    digits = re.sub(r"[（()）.．、]", "", match[0])
    if digits.isdigit():
        return ("arabic", int(digits))
    position = "一二三四五六七八九十".find(digits)
    return ("chinese", position + 1) if len(digits) == 1 and position >= 0 else None


def lines_of(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def read_word_text(text: str) -> TextGrid:
    """Text copied out of a Word table: a cell starts with a tab at the start of a line (after
    any spaces), runs on over lines that do not, and a blank line ends a row."""
    grid = TextGrid(form="word")
    row: list[str] = []
    for raw in lines_of(text):
        stripped = raw.lstrip(" \u3000")
        if stripped.startswith("\t"):
            row.append(read_csv_text(stripped[1:]))
        elif not raw.strip():
            if row:
                grid.rows.append(row)
                row = []
        elif row:
            row[-1] = f"{row[-1]}\n{read_csv_text(raw)}"
        else:
            grid.texts.append(read_csv_text(raw.strip()))
    if row:
        grid.rows.append(row)
    return grid


def _split_tabs(line: str) -> list[str]:
    return [read_csv_text(cell) for cell in line.strip("\n").split("\t")]


def _split_pipes(line: str) -> list[str]:
    stripped = line.strip()
    if stripped.startswith("|"):
        stripped = stripped[1:]
    if stripped.endswith("|"):
        stripped = stripped[:-1]
    return [read_csv_text(cell.strip()) for cell in stripped.split("|")]


def _split_spaces(line: str) -> list[str]:
    return [read_csv_text(cell) for cell in re.split(r"[ \u3000\xa0]+", line.strip())]


SPLITTERS: dict[str, Callable[[str], list[str]]] = {
    "\t": _split_tabs,
    "|": _split_pipes,
    " ": _split_spaces,
}
FORM_NAMES = {"\t": "tab", "|": "pipe", " ": "space"}


def _find_header_line(
    lines: list[str], split: Callable[[str], list[str]]
) -> tuple[int, int, list[str]] | None:
    """The header's first and last lines and its cells; its cells may wrap over several lines
    (抽查 / 类型): the lines from one starting with 序号 to the first row's."""
    for index, line in enumerate(lines):
        cells = split(line)
        if len(cells) >= 3 and header_keys(cells) is not None:
            return index, *_header_goes_on(lines, index, cells, split)
    for index, line in enumerate(lines):
        cells = split(line)
        if len(cells) < 3 or column_key(cells[0]) != "seq" or "|" in line:
            continue  # a header of one name a line is the paragraph form's
        for end in range(index + 1, min(index + 16, len(lines))):
            first = split(lines[end])[0].strip() if lines[end].strip() else ""
            if first == "1":
                joined = [cell for row in lines[index:end] for cell in split(row) if cell.strip()]
                header = _join_header_fragments(joined)
                if header_keys(header) is not None:
                    return index, end - 1, header
                break
    return None


def _header_goes_on(
    lines: list[str], at: int, cells: list[str], split: Callable[[str], list[str]]
) -> tuple[int, list[str]]:
    """A header line whose names wrap onto the lines under it (抽查比例 / 及频次, 发起部门 配合部门
    抽查检查 / 模式): the short lines up to the first row's "1" are the rest of it."""
    for end in range(at + 1, min(at + 10, len(lines))):
        following = [cell.strip() for cell in split(lines[end]) if cell.strip()]
        if following and following[0] == "1" and end > at + 1:
            names = [cell for row in lines[at:end] for cell in split(row) if cell.strip()]
            joined = _join_header_fragments(names)
            known = header_keys(joined)
            if known is not None and len([k for k in known if k]) > len(
                [k for k in header_keys(cells) or [] if k]
            ):
                return end - 1, joined
            break
        if not following or any(len(c) > 12 or re.search(r"\d", c) for c in following):
            break
    return at, cells


SUB_ROW_KEYS = ("joint", "partners", "lead")


def sub_row_columns(header: list[str]) -> list[int]:
    """Where a sub-row's cells go: one sub-row per partner department under one task has
    the department and its own items, so the columns from the first department column on
    (联查部门, 抽查事项), as many as the sub-row has cells."""
    keys = [column_key(cell) for cell in header]
    for key in SUB_ROW_KEYS:
        if key in keys:
            return list(range(keys.index(key), len(keys)))
    if "items" in keys:
        return list(range(keys.index("items"), len(keys)))
    return []


def place_sub_row(cells: list[str], header: list[str]) -> list[str] | None:
    """A full-width row with the sub-row's cells in their columns and no 序号, so the
    assembler joins it to the task above; None if the header has no place for it."""
    columns = sub_row_columns(header)
    if len(cells) > len(columns) or not columns:
        return None
    row = [""] * len(header)
    for column, cell in zip(columns, cells, strict=False):
        row[column] = cell
    return row


def read_separated(text: str, separator: str) -> TextGrid:
    """Rows whose cells are separated by tabs, vertical bars or spaces. A line with fewer
    cells than the header continues the row above when that row is not yet full (a cell with
    a line break): its first cell joins the row's last cell. Once the row is full, a line
    with several cells that does not start the next 序号 is a sub-row (one partner
    department and its items), and a line without a separator continues the last cell."""
    split = SPLITTERS[separator]
    grid = TextGrid(form=FORM_NAMES[separator])
    lines = lines_of(text)
    if separator == "|":
        lines = _join_bar_rows(lines)
    found = _find_header_line(lines, split)
    if found is None:
        return grid
    top, at, header = found
    width = len(header)
    grid.texts = [line.strip() for line in lines[:top] if line.strip()]
    grid.rows.append(header)
    pending: list[str] | None = None
    after: list[str] = []
    expected = 1
    sub_rows = 0
    in_sub_row = False
    body = lines[at + 1 :]
    ahead = _cells_ahead(body, split, width)
    for index, line in enumerate(body):
        if not line.strip() or (separator == "|" and PIPE_RULE.fullmatch(line)):
            continue
        cells = split(line)
        # Between cells separated by spaces a line break may end a cell or wrap one: it
        # wraps one where a numbered item (2、…) goes on, or where the row's lines hold more
        # cells than the header has.
        wraps = separator != " " or (
            pending is not None
            and (
                _continues(pending[-1], cells[0])
                or len(pending) + ahead[index] > width
                or pending[-1].rstrip().endswith(("；", ";", "、", "，", ","))  # 省计划; / 市县发起
            )
        )
        if len(cells) == 1:
            if separator == " " and pending is not None and len(pending) < width and not wraps:
                pending.append(cells[0])  # a cell of its own on its own line
                continue
            if pending is not None and (len(pending) < width or not after):
                pending[-1] = f"{pending[-1]}\n{line.strip()}"
            else:
                after.append(line.strip())
            continue
        first = cells[0].strip()
        starts = SEQ.fullmatch(first) is not None and int(first) == expected
        if pending is not None and not starts and len(pending) < width and not in_sub_row:
            if wraps:  # a cell with a line break continues on the next line
                pending[-1] = f"{pending[-1]}\n{cells[0]}" if cells[0].strip() else pending[-1]
                cells = cells[1:]
            pending.extend(cells)
            continue
        in_sub_row = False
        if pending is not None and not starts and len(cells) < width - 1:
            # A row of its own that lost its merged cells (a sub-row under one 序号): the
            # assembler places its cells by what they hold.
            grid.rows.append(pending)
            pending = cells
            in_sub_row = True
            sub_rows += 1
            continue
        if pending is not None:
            grid.rows.append(pending)
        pending = cells
        if starts:
            expected += 1
    if pending is not None:
        grid.rows.append(pending)
    grid.texts.extend(after)
    if sub_rows:
        grid.notes.append(f"表格中有 {sub_rows} 个没有序号的短行（合并单元格）：按内容归入各列")
    return grid


def _join_bar_rows(lines: list[str]) -> list[str]:
    """Where rows open with a bar (`| 1 | …`), a line with bars that does not open with one
    is the rest of the row above, wrapped (a header cut after 检查类型 (日常/专项) |)."""
    barred = [line.strip() for line in lines if "|" in line]
    if not barred or sum(line.startswith("|") for line in barred) * 4 < len(barred) * 3:
        return lines
    joined: list[str] = []
    for line in lines:
        stripped = line.strip()
        if joined and "|" in stripped and not stripped.startswith("|") and "|" in joined[-1]:
            joined[-1] = f"{joined[-1].rstrip().removesuffix('|').rstrip()} | {stripped}"
        else:
            joined.append(line)
    return joined


def _cells_ahead(lines: list[str], split: Callable[[str], list[str]], width: int) -> list[int]:
    """For each line, the cells from it to the next line starting with a number or a sub-row
    of its own (a partner department and its items: the rest of its row)."""
    counts = [0] * len(lines)
    total = 0
    for index in range(len(lines) - 1, -1, -1):
        cells = split(lines[index]) if lines[index].strip() else []
        total += len(cells)
        counts[index] = total
        sub_row = 1 < len(cells) < width - 1 and cell_kind(cells[0]) == "department"
        if cells and (SEQ.fullmatch(cells[0].strip()) or sub_row):
            total = 0
    return counts


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _segments(line: str) -> list[tuple[int, str]]:
    """A line's cells as (display column where it starts, text)."""
    segments = []
    position = 0
    for piece in re.split(f"({SPACES.pattern})", line):
        if piece and not SPACES.fullmatch(piece) and piece.strip():
            segments.append(
                (position + display_width(piece) - display_width(piece.lstrip()), piece.strip())
            )
        position += display_width(piece)
    return segments


def read_spaced(text: str) -> TextGrid:
    """Cells separated by runs of spaces, as a PDF's text keeps its layout. A row starts at a
    line whose first cell is the next 序号; the lines below it until the next such line are
    wrapped parts of its cells, each fragment joined to the cell whose start is nearest."""
    grid = TextGrid(form="spaced")
    lines = lines_of(text)
    header_at = None
    for index, line in enumerate(lines):
        cells = [cell for _, cell in _segments(line)]
        if len(cells) >= 3 and header_keys(cells) is not None:
            header_at = index
            break
    if header_at is None:
        return grid
    header = _segments(lines[header_at])
    width = len(header)
    grid.texts = [line.strip() for line in lines[:header_at] if line.strip()]
    grid.rows.append([cell for _, cell in header])
    anchors = [start for start, _ in header]
    row: list[str] | None = None
    expected = 1
    for line in lines[header_at + 1 :]:
        segments = _segments(line)
        if not segments:
            continue
        first = segments[0][1]
        if SEQ.fullmatch(first) and int(first) == expected:
            if row is not None:
                grid.rows.append(row)
            if len(segments) == width:
                anchors = [start for start, _ in segments]
            row = [""] * width
            expected += 1
        elif row is None:
            grid.texts.append(line.strip())
            continue
        for start, cell in segments:
            column = min(range(width), key=lambda c: abs(anchors[c] - start))
            row[column] = f"{row[column]}\n{cell}" if row[column] else cell
    if row is not None:
        grid.rows.append(row)
    grid.rows[1:] = [[unwrap(cell) for cell in cells] for cells in grid.rows[1:]]
    if len(grid.rows) > 1:
        grid.notes.append("文本按空格对齐的列拆分单元格，折行的内容已按所在列位置接回")
    return grid


def _paragraph_lines(text: str) -> list[str]:
    """Lines holding a cell each: a line of only non-breaking or ideographic spaces is an empty
    cell (&nbsp; on the page), a blank line separates paragraphs; the ` |` a page's text puts
    after each cell is taken off. Where paragraphs are separated by blank lines, a blank line
    more (or a paragraph of one space) is an empty cell, and a line right under another is
    marked as the same cell wrapped."""
    out: list[str] = []
    raw = lines_of(text)
    filled = [index for index, line in enumerate(raw) if line.strip(" \t")]
    apart = sum(1 for i in filled if i + 1 < len(raw) and not raw[i + 1].strip(" \t"))
    blank_separated = len(filled) >= 6 and apart * 10 >= len(filled) * 7
    for index, line in enumerate(raw):
        if not line.strip(" \t"):
            inside = blank_separated and 0 < index < len(raw) - 1 and out != []
            spaced = line != "" and inside
            if spaced and raw[index - 1] == "" and raw[index + 1] == "":
                out.append("")  # a paragraph of only a space between blank lines: an empty cell
            elif inside and line == "" and raw[index - 1] == "":
                out.append("")  # a blank line more than the one between cells: an empty cell
            continue
        cell = line.strip(" \t")
        if cell.endswith("|") and not cell.startswith("|"):
            cell = cell.rstrip("|").rstrip()
        glued = blank_separated and index > 0 and raw[index - 1].strip(" \t") != ""
        out.append(f"{WRAPPED}{cell.strip()}" if glued else cell.strip())
    return out


# Where paragraphs are separated by blank lines, a line right under another one is the same
# cell wrapped (参照…抽查 / 计划实施方案检查); it is marked so (a white-space character, which
# header names and titles lose when squeezed) and joined to the line above in a table's body.
WRAPPED = "\u2028"


def _unwrapped(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if line.startswith(WRAPPED) and out:
            rest = line.removeprefix(WRAPPED)
            out[-1] += f"\n{rest}" if _item_number(rest) else rest  # a break before item 2 stays
        else:
            out.append(line.removeprefix(WRAPPED))
    return out


def squeeze_line(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _bar_cells(lines: list[str]) -> list[str]:
    """Cells a page's text puts between lines holding only a bar: the lines between two
    bars are one cell (a wrapped 抽查\n类型), joined again."""
    bars = sum(1 for line in lines if _is_bar(line))
    closed = sum(1 for a, b in itertools.pairwise(lines) if not _is_bar(a) and _is_bar(b))
    if bars < 3 or closed * 5 < (len(lines) - bars) * 3:  # most cells end at a bar line
        return lines
    first = next(index for index, line in enumerate(lines) if _is_bar(line))
    cells: list[str] = list(lines[:first])  # the title and the like, and a wrapped first
    current: list[str] = []  # header cell, which _join_header_fragments joins again
    for line in lines[first:]:
        if _is_bar(line):
            if current:
                cells.append("\n".join(current))
            current = []
        else:
            current.append(line)
    if current:
        cells.append("\n".join(current))
    return cells


def _is_bar(line: str) -> bool:
    return bool(line) and set(line) == {"|"}


def _join_header_fragments(lines: list[str]) -> list[str]:
    """A header cell wrapped over two lines (任务 / 名称, 抽查 / 比例, 抽查检查 / 起止时间)
    joined again where the two together name a column and one of them alone does not, or
    the second is a bracket qualifying the first (抽查主体 / (层级))."""
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        following = lines[index + 1] if index + 1 < len(lines) else ""
        both = squeeze_line(line + following)
        # 抽查主体 / (层级), 发起方式 / (牵头指导单位): a bracket qualifies the name above it
        bracketed = following.startswith(("(", "（")) and len(following) <= 12
        if bracketed and len(line) <= 12 and column_key(both) is not None:
            out.append(both)
            index += 2
            continue
        short = len(line) <= 6 and 0 < len(following) <= 12
        # 智慧监管 / (信用风险分类)要求: two names of one column, wrapped
        same = column_key(line) is not None and column_key(line) == column_key(following)
        alone = column_key(following) is None or column_key(line) is None or same
        if short and column_key(both) is not None and alone:
            out.append(both)
            index += 2
            continue
        out.append(line)
        index += 1
    return out


def _header_run(lines: list[str]) -> tuple[int, int]:
    """The header: a run of short lines naming at least three known columns, with at most
    two unknown names in a row among them (行业, 责任分工)."""
    index = 0
    while index < len(lines):
        run = index
        unknown = 0
        if column_key(lines[index]) is None:
            index += 1  # the header starts at a column name, not at a line above it
            continue
        while run < len(lines) and unknown <= 2:
            line = lines[run]
            if column_key(line) is not None:
                unknown = 0
            elif len(line) <= 8 and not re.search(r"\d", line) and line:
                unknown += 1
            else:
                break
            run += 1
        end = run - unknown
        if end - index >= 3 and header_keys(lines[index:end]) is not None:
            return index, end
        index += 1
    return -1, -1


def read_paragraphs(text: str) -> TextGrid:
    """One cell per line: the header is a run of lines that name columns; a row starts at the
    line holding the next 序号. A row with lines left over joins a line that starts a numbered
    item to the cell above (one cell's paragraphs); what is still left over, in whole sub-rows
    of (department, items), becomes one sub-row per partner department; a row with too few
    cells is filled with empty cells at its end. Each is said."""
    grid = TextGrid(form="paragraphs")
    lines = _bar_cells(_paragraph_lines(text))
    lines = _join_header_fragments(lines)
    start, end = _header_run(lines)
    if start < 0:
        return grid
    header = [squeeze_line(line) for line in lines[start:end]]
    body = _unwrapped(lines[end:])
    first_width = _first_row_width(body)
    blank_seq = (
        first_width == len(header) + 1
        and body[:1] == ["1"]
        and "seq" not in {column_key(name) for name in header}
    )
    if blank_seq:
        header = ["序号", *header]  # the 序号 header cell was left empty (a blank paragraph)
        grid.notes.append("表头第一列没有列名，其下各行以 1、2、3… 开头：按“序号”列读取")
    header = _fit_header(header, first_width, body, grid)
    width = len(header)
    grid.texts = [line.removeprefix(WRAPPED) for line in lines[:start] if line]
    grid.rows.append(header)
    groups: list[list[str]] = []
    expected = 1
    keys = [column_key(name) for name in header]
    # Rows start at their 序号 1, 2, 3…; a table numbered otherwise (001号) or not at all is
    # split by what its lines hold.
    seq_at = keys.index("seq") if "seq" in keys and "1" in body else -1
    if seq_at < 0:
        groups = _rows_without_numbers(body, header, grid)
    leading: list[str] = []  # the first row's cells before its 序号 (抽查单位, merged down)
    for line in body if seq_at >= 0 else ():
        if line == str(expected) and (not groups or len(groups[-1]) >= 2):
            groups.append([*leading, line])
            leading = []
            expected += 1
        elif groups:
            groups[-1].append(line)
        elif line and len(leading) < seq_at:
            leading.append(line)
        elif line:
            grid.texts.append(line)
    grid.texts.extend(leading)
    sub_columns = sub_row_columns(header)
    for number, group in enumerate(groups, start=1):
        cells = list(group)
        while len(cells) > 1 and not cells[-1]:
            cells.pop()  # blank paragraphs at a row's end say nothing of its last cells
        last = number == len(groups)
        while len(cells) > width:
            joined = next(
                (i for i in range(len(cells) - 1, 1, -1) if _continues(cells[i - 1], cells[i])),
                None,
            )
            if joined is None:
                break
            cells[joined - 1] = f"{cells[joined - 1]}\n{cells.pop(joined)}"
        extra = cells[width:]
        cells = cells[:width]
        subs: list[list[str]] = []
        size = _sub_row_size(header)
        if extra and size and len(extra) % size == 0:
            for offset in range(0, len(extra), size):
                placed = place_sub_row(extra[offset : offset + size], header)
                if placed is not None:
                    subs.append(placed)
            grid.notes.append(
                f"序号 {group[0]} 下有 {len(subs)} 个子行（每个配合部门一行）："
                f"已按“{header[sub_columns[0]]}”等列并入该任务"
            )
        elif extra and last:
            grid.texts.extend(line for line in extra if line)  # the text after the table
        elif extra:
            cells += extra  # the assembler reports the cells past the header's width
        if "" in cells[1:] and len(cells) < width:
            # Its empty cells are marked (a blank paragraph more): the rest are empty too,
            # not merged from the row above.
            cells += [""] * (width - len(cells))
        grid.rows.append(cells)  # a short row is warned about by the assembler
        grid.rows.extend(subs)
    return grid


ROW_END = re.compile(r"^(.*?\S)\s+\|\s*(\|+)$")
BARS = re.compile(r"\|{2,}")
ROW_START = re.compile(r"^\|\s+(\S.*?)\s+\|$")
END_MARK = "\x00"
START_MARK = "\x01"


def read_marked(text: str) -> TextGrid:
    """One cell per line ending in ` |`, as a page's text gives a table, with the rows'
    bounds marked: after a row's last cell a run of bars counts the cells it does not have
    (merged from above: `区级发起 | ||||`, or `||` on a line of its own), and a line between
    bars (`| 1 |`) starts a row. A line holding one bar is an empty cell. A row ends at its
    mark or when it has as many cells as the header; rows short of the header are left for
    the assembler to place by content."""
    grid = TextGrid(form="marked")
    tokens: list[str] = []
    ends = starts = 0
    for raw in lines_of(text):
        line = raw.strip(" \t\u3000\xa0")
        if not line:
            continue
        end = ROW_END.match(line)
        start = ROW_START.match(line)
        if BARS.fullmatch(line):
            tokens.append(END_MARK)
            ends += 1
        elif end:
            tokens += [end[1], END_MARK]
            ends += 1
        elif start:
            tokens += [START_MARK, start[1]]
            starts += 1
        elif line == "|":
            tokens.append("")
        else:
            tokens.append(line.removesuffix("|").strip())
    if ends < 2 and starts < 2:
        return grid
    begin, stop = _header_run(tokens)
    if begin < 0:
        return grid
    header = [squeeze_line(line) for line in tokens[begin:stop]]
    width = len(header)
    grid.texts = [line for line in tokens[:begin] if line not in (END_MARK, START_MARK)]
    grid.rows.append(header)
    row: list[str] = []
    short = 0
    for token in tokens[stop:]:
        if token == START_MARK:
            if row:
                grid.rows.append(row)
            row = []
        elif token == END_MARK:
            if row:
                grid.rows.append(row)
                short += len(row) < width
            row = []
        else:
            row.append(token)
            if len(row) == width:
                grid.rows.append(row)
                row = []
    if row:
        grid.rows.append(row)
    if short:
        grid.notes.append(f"表格中有 {short} 行缺少合并单元格：按内容归入各列")
    return grid


NOTES_START = re.compile(r"^(?:备注|注|说明|填表说明)\s*[:：]")


def _rows_without_numbers(body: list[str], header: list[str], grid: TextGrid) -> list[list[str]]:
    """A table without 序号, one paragraph a line: rows by the header's width where every
    row has one line a cell; else rows rebuilt by what each line holds (a cell wrapped over
    lines, an empty cell that left no line), said as such. The notes under it are text."""
    notes_at = next((i for i, line in enumerate(body) if NOTES_START.match(line)), len(body))
    grid.texts.extend(line for line in body[notes_at:] if line)
    body = body[:notes_at]
    width = len(header)
    rows = [
        [unwrap(cell) for cell in row]  # lines of one cell: wrapped, but before a numbered item
        for row in rows_by_content(body, [column_key(name) for name in header])
    ]
    by_width = [body[i : i + width] for i in range(0, len(body) - width + 1, width)]
    if rows == by_width:
        grid.notes.append(f"表格没有序号列：按表头的 {width} 列逐行拆分，请核对")
    elif rows:
        grid.notes.append(
            f"表格没有序号列，各行的段落数与表头的 {width} 列不一致："
            f"按各段内容拆分为 {len(rows)} 行（折行的单元格已接回，空单元格留空），请核对"
        )
    carried = 0
    for above, row in itertools.pairwise(rows):
        if not row[0].strip() and above[0].strip():
            row[0] = above[0]  # a row's first cell is what starts it: empty, it was merged
            carried += 1
    if carried:
        grid.notes.append(
            f"{carried} 行的“{header[0]}”为空：按合并单元格沿用上一行的“{rows[0][0]}”等，请核对"
        )
    return rows


def _first_row_width(lines: list[str]) -> int | None:
    """Cells in the first numbered row: the lines from "1" to "2", but the empty cells that
    blank paragraphs mark at its end."""
    if "1" not in lines:
        return None
    first = lines.index("1")
    if "2" not in lines[first:]:
        return None
    row = lines[first : lines.index("2", first)]
    while row and not row[-1]:
        row.pop()
    return len(row)


def _fit_header(header: list[str], width: int | None, body: list[str], grid: TextGrid) -> list[str]:
    """A header with more names than the first row has cells is either a header whose wrapped
    names were not joined (检查对 / 范围, 检查 / 方式): neighbouring names that are neither a
    known column are joined, left to right, until the counts agree; or a two-level header
    (检查对象 over 对象范围, 抽查比例, 频次): its last names are the sub-columns of a name
    above them. Whichever fits the first row's cells better is kept; a two-level one is said."""
    if width is None or len(header) <= width:
        return header
    fitted = list(header)
    index = 0
    while len(fitted) > width and index < len(fitted) - 1:
        pair = fitted[index : index + 2]
        if all(column_key(name) is None and len(name) <= 4 for name in pair):
            fitted[index : index + 2] = ["".join(pair)]
        index += 1
    first_row = body[:width]
    # Cells before the first 序号 (a merged column before it) also make a row look short.
    two_level = _two_level_header(header, first_row) if body[:1] == ["1"] else None
    if two_level is not None and _header_fit(two_level, first_row) > _header_fit(fitted, first_row):
        replaced = "、".join(name for name in header if name not in two_level)
        grid.notes.append(
            f"表头有两层：“{replaced}”下分为下层的列，按各列读取为：{'、'.join(two_level)}，请核对"
        )
        return two_level
    return fitted


def _header_fit(header: list[str], row: list[str]) -> int:
    if len(header) != len(row):
        return -(10**6)
    return sum(
        fit(cell, column_key(name) or "other") for cell, name in zip(row, header, strict=True)
    )


def _two_level_header(header: list[str], row: list[str]) -> list[str] | None:
    """The header read as two levels: its last names (the lower level) in place of the
    neighbouring names above them that span them (as many as the header has names too many),
    placed where the first row's cells fit them best."""
    spare = len(header) - len(row)
    best: tuple[int, list[str]] | None = None
    for lower in range(spare + 1, min(len(header) - 2, 8) + 1):
        top, sub = header[:-lower], header[-lower:]
        if any(column_key(name) is None for name in sub):
            continue  # the lower level names known columns (对象范围, 抽查比例, 频次)
        for at in range(len(top) - spare + 1):
            columns = top[:at] + sub + top[at + spare :]
            keys = [column_key(name) for name in columns]
            fits = [fit(c, k) if k else 0 for c, k in zip(row, keys, strict=True)]
            if min(fits, default=0) < 0:
                continue  # every cell of the first row fits its known column
            score = sum(fits)
            if best is None or score > best[0]:
                best = (score, columns)
    return best[1] if best else None


def _sub_row_size(header: list[str]) -> int:
    """Cells in one sub-row: the department column and the items column after it."""
    keys = [column_key(cell) for cell in header]
    columns = sub_row_columns(header)
    if not columns:
        return 0
    if "items" in keys and keys.index("items") in columns[1:]:
        return keys.index("items") - columns[0] + 1
    return 0  # no items beside the department: a line left over is not a sub-row


def _continues(above: str, line: str) -> bool:
    """`line` is the next numbered item after the last line of `above` (2、 after 1、…)."""
    before = _item_number(above.split("\n")[-1])
    after = _item_number(line)
    return before is not None and after is not None and after == (before[0], before[1] + 1)


def _score(grid: TextGrid) -> int:
    for row in grid.rows:
        keys = header_keys(row)
        if keys is not None:
            return len({key for key in keys if key})
    return 0


def read_any_text(text: str) -> TextGrid:
    """Word's form wherever its header is found (cells marked by a leading tab are
    unambiguous); else the form whose header names the most known columns, the first of
    equals in the order below."""
    word = read_word_text(text)
    if _score(word):
        return word
    candidates = [
        read_separated(text, "\t"),
        read_separated(text, "|"),
        read_spaced(text),
        read_separated(text, " "),
        read_marked(text),
        read_paragraphs(text),
    ]
    return max(candidates, key=_score)  # max keeps the first of equals
