"""Table text whose cells lost every separator: a page's or a PDF's text where the header is
its column names run together (地市序号抽查任务名称抽查类型…) and each row one line, its
序号 followed by its cells run together (1绿化施工…抽查定向园林绿化…市园林局市市场监管局).

The header is cut into the known column names it is made of; each row is cut into as many
cells, in order, where what each piece holds fits its column best (placement.fit: a ratio, a
month range, a department, an item…). Nothing in the text says where a cell ends, so every
row so read carries a warning: this form is read last, when no other form finds a header.
"""

import functools
import re
from collections import Counter

from shuangsuiji.core.plans.columns import column_key, header_keys
from shuangsuiji.core.plans.placement import COLUMN_KINDS, COUNT_COLUMNS, STRONG, fit
from shuangsuiji.core.plans.text import TextGrid, lines_of, squeeze_line

MAX_NAME = 12  # the longest column name the header is cut into
MAX_HEADER = 160  # the longest header run together
MAX_ROW = 300  # the longest row run together
MAX_ROWS = 60  # a table this long is not read this way (each row is cut by trying every split)
MAX_COMPACT = 60  # the longest ratio, month range, department… a piece can be
SEQ_NAME = re.compile(r"序号|编号")
PROSE = re.compile(r"[，。；;,：:！？]")
MAX_CELL = 160  # the longest cell a row is cut into
EMPTY_COST = 6  # a column left empty, in tenths of a fit
NOTES = re.compile(r"^(?:备注|注|说明)\s*[:：]")


def read_glued(text: str) -> TextGrid:
    grid = TextGrid(form="glued")
    lines = [line.strip() for line in lines_of(text)]
    found = _header(lines)
    if found is None:
        return grid
    start, end, header = found
    grid.texts = [line for line in lines[:start] if line]
    grid.rows.append(header)
    keys = [column_key(name) for name in header]
    seq_at = keys.index("seq")
    rows: list[str] = []
    groups: list[str] = []  # the text before a row's 序号: a merged cell of a column before it
    for line in lines[end:]:
        if not line:
            continue
        if NOTES.match(line):
            break
        group = _row_group(line, len(rows) + 1, seq_at)
        if group is not None:
            rows.append(line[len(group) :])
            groups.append(group)
        elif rows:
            rows[-1] += f"\n{line}"
        else:
            grid.texts.append(line)
    if len(rows) > MAX_ROWS or any(len(row) > MAX_ROW for row in rows):
        return TextGrid(form="glued")  # not rows of a table: no row runs on this long
    cut_keys = [key or "other" for key in keys[seq_at + 1 :]]
    rests = [row[len(str(number)) :] for number, row in enumerate(rows, start=1)]
    fits: dict[tuple[str, str], int] = {}
    first = [_cut(rest, cut_keys, header[seq_at + 1 :], fits=fits) for rest in rests]
    # A column's values recur down the rows (抽查类别, 事项类别, 牵头处室): a piece another row
    # also cut for that column is likelier, so each row is cut again knowing them.
    recurring = [
        {
            piece
            for piece, times in Counter(_squeezed(cells[c]) for cells in first).items()
            if times >= 2 and len(piece) >= 2
        }
        if COLUMN_KINDS.get(key) not in FIGURES
        else set()
        for c, key in enumerate(cut_keys)
    ]
    for number, (group, rest, cut) in enumerate(zip(groups, rests, first, strict=True), start=1):
        names = header[seq_at + 1 :]
        cells = _cut(rest, cut_keys, names, recurring, fits) if any(recurring) else cut
        before = [""] * seq_at
        if group:
            before[-1] = group
        grid.rows.append([*before, str(number), *cells])
        message = (
            "本行的单元格之间没有分隔符：按各段内容拆分为"
            + "、".join(f"“{cell}”" for cell in cells if cell)
            + "，请逐项核对"
        )
        grid.row_notes[len(grid.rows) - 1] = message
    if rows:
        grid.notes.append("表格的列名和单元格连在一起，没有分隔符：已按列名和各段内容拆分，请核对")
    return grid


def _starts_row(line: str, number: int) -> bool:
    digits = str(number)
    return line.startswith(digits) and not line[len(digits) : len(digits) + 1].isdigit()


# A merged cell of a column before 序号 (部门抽查计划 over a block of rows) is written once, on
# the first row of its block (and again after a page break): a few words, then the 序号.
GROUP_CELL = re.compile(r"[\u4e00-\u9fff]{2,12}")


def _row_group(line: str, number: int, seq_at: int) -> str | None:
    """The text before the row's 序号 ("" when the line opens with it), or None when the line
    does not start row `number`."""
    if _starts_row(line, number):
        return ""
    if seq_at == 0:
        return None
    group = GROUP_CELL.match(line)
    if group and _starts_row(line[group.end() :], number):
        return group[0]
    return None


def _header(lines: list[str]) -> tuple[int, int, list[str]] | None:
    """The first run of non-blank lines whose text, run together, is made of known column
    names (at least five), with the first row (a line starting 1) after it."""
    for start, line in enumerate(lines):
        if not line or len(line) > MAX_HEADER:
            continue
        for end in range(start + 1, min(start + 10, len(lines)) + 1):
            if not lines[end - 1]:
                break
            run = squeeze_line("".join(lines[start:end]))
            if len(run) > MAX_HEADER or PROSE.search(run):
                break  # column names hold no sentence marks
            following = next((later for later in lines[end:] if later), "")
            if not SEQ_NAME.search(run) or _row_group(following, 1, 1) is None:
                continue  # rows are found by their 序号: the header names it, row 1 follows
            names = _names(run)
            keys = header_keys(names) if names else None
            if names is None or keys is None or "seq" not in keys:
                continue
            if _row_group(following, 1, keys.index("seq")) is None:
                continue  # words before row 1's 序号 only where a column comes before it
            if len([key for key in keys if key]) >= 5:
                return start, end, names
    return None


@functools.lru_cache(maxsize=4096)
def _known(piece: str) -> bool:
    return column_key(piece) is not None


def _names(run: str) -> list[str] | None:
    """The run cut into known column names, the longest first; a short piece (地市) may be
    unknown. None when it cannot be cut so."""
    best: list[tuple[int, list[str]] | None] = [None] * (len(run) + 1)
    best[0] = (0, [])
    for i in range(len(run)):
        here = best[i]
        if here is None:
            continue
        for j in range(i + 1, min(len(run), i + MAX_NAME) + 1):
            piece = run[i:j]
            if _known(piece):
                gain = len(piece) ** 2  # 抽查任务名称, not 抽查任务 and 名称
            elif j - i <= 3:
                gain = -10 * (j - i)
            else:
                continue
            there = best[j]
            if there is None or here[0] + gain > there[0]:
                best[j] = (here[0] + gain, [*here[1], piece])
    found = best[len(run)]
    return found[1] if found else None


# A cell does not open with what joins it to the text before (和, 的, 、) nor end with what
# joins it to the text after; it is not a bare item number (1.), and no cell ends inside the
# end of a range (4—10 is not 4—1 and 0).
OPENS_ON = re.compile(r"^(?:[\s和及与或的、，,;；。.．]|事?项(?!目))")
GOES_ON = re.compile(r"(?:[和及与或的、，,;；]|[；;]\d{1,2}[.．、])\s*$")
BARE_NUMBER = re.compile(r"^[\d\s.．、)）(（]+$")


RATIO_OPEN = re.compile(
    r"^(?:不低于|不少于|不高于|不超过|抽查比例|比例|按|全年|每年|每季度|≥|>=|约)"
)
PLACE_FIRST = re.compile(r"^(?:辖区内?|全|本)?[\u4e00-\u9fff]{1,2}[省市县区](?![场直级])")
LIST_GOES_ON = re.compile(r"[；;。]\s*\d{1,2}[.．、]")  # …;2.… : a numbered list's next item


def _piece_fit(piece: str, key: str) -> int:
    """In tenths: how well the piece fits the column; a compact kind of cell (a ratio, a
    month range, a department) is as short as it can be, and only an items column holds a
    numbered list's later items."""
    score = 10 * fit(piece, key)
    if COLUMN_KINDS.get(key) in STRONG:
        score -= len(piece) // 8
    if key != "items" and LIST_GOES_ON.search(piece):
        score -= 30
    if COLUMN_KINDS.get(key) == "ratio" and RATIO_OPEN.match(piece):
        score += 5  # 不低于5%: the words a ratio opens with are the ratio's
    if key == "scope" and PLACE_FIRST.match(piece):
        score += 5  # 太原市农药生产经营主体: the objects are those of a place
    kind = COLUMN_KINDS.get(key)
    bare = piece.strip()
    if kind == "ratio" and RATIO_RUN_ON.search(bare):
        score -= 10  # 6%2: the next column's count ran into the ratio
    if kind == "window" and WINDOW_RUN_ON.search(bare):
        score -= 10  # 3月-8月种植业: the next column's words ran into the months
    if kind in TEXT_KINDS and MATTER_END.search(bare):
        score += 5  # 肥料监督检查 | 农业生产资料监管: a name or an item ends with its matter
    return score


RATIO_RUN_ON = re.compile(r"[%％]\d+$")
# After a window's last month: 份, 底, 前, 中旬… but not a department's name (兽医处).
WINDOW_RUN_ON = re.compile(r"月\s*(?![份底前初末中上下])[\u4e00-\u9fff]{2,}[^月]*$")
MATTER_END = re.compile(r"(?:检查|抽查|监管|核查|抽检|管理|监测)$")
TEXT_KINDS = frozenset({"name", "item"})
RANGE_MARKS = "—-－~～至"
YEAR_AHEAD = re.compile(r"(?:19|20)\d{2}年")
UNITS = "年月日号%％户家个次"


def _chinese(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def _whole(text: str, start: int, stop: int, key: str = "") -> bool:
    piece = text[start:stop]
    inside_number = False
    if 0 < stop < len(text) and text[stop - 1].isdigit() and text[stop].isdigit():
        run, end = stop, stop
        while run > 0 and text[run - 1].isdigit():
            run -= 1
        while end < len(text) and text[end].isdigit():
            end += 1
        after = text[end : end + 1]
        # A number is whole before its unit (10%, 12月) and at a range's end (4—10); before a
        # range's dash a lost word may have joined two numbers (抽查1 | 4—10).
        ends_range = run > 0 and text[run - 1] in RANGE_MARKS
        inside_number = ends_range or (after not in RANGE_MARKS)
        if YEAR_AHEAD.match(text, stop):
            inside_number = False  # 6%22022年3月: a count (2) ran into the window's year
    # Nor does a cell end between a number and its unit (2022|年, 8|月): the unit is the number's.
    unit_cut = start > 0 and text[start - 1].isdigit() and text[start] in UNITS
    unit_left = stop < len(text) and text[stop - 1].isdigit() and text[stop] in UNITS
    if key in COUNT_COLUMNS and piece.strip().isdigit():
        return not (inside_number or unit_cut or unit_left)  # 抽取检查对象数量 2: a bare count
    return len(piece.strip()) >= 2 and not (
        inside_number
        or unit_cut
        or unit_left
        or OPENS_ON.match(piece)
        or GOES_ON.search(piece)
        or BARE_NUMBER.match(piece)
    )


def _squeezed(text: str) -> str:
    return "".join(text.split())


RECURRING_GAIN = 15  # in tenths: a piece another row cut for the same column
FIGURES = frozenset({"seq", "ratio", "frequency", "window"})  # the same 6% twice is chance


def _cut(
    text: str,
    keys: list[str],
    names: list[str],
    recurring: list[set[str]] | None = None,
    fits: dict[tuple[str, str], int] | None = None,
) -> list[str]:
    """The row's text cut into one piece a column, in order, each piece fitting its column
    as well as it can (empty pieces cost a little); a cut between two Chinese characters
    costs a little more than one where the script changes (旅行社|3%), and a piece opening
    with its column's name (抽查比例不低于10%) is likelier."""
    count = len(text)
    width = len(keys)
    worst = -(10**9)
    best = [[worst] * (count + 1) for _ in range(width + 1)]
    back = [[0] * (count + 1) for _ in range(width + 1)]
    best[0][0] = 0
    wholes: dict[tuple[int, int, bool], bool] = {}  # whether text[i:j] can be a cell, per row
    fits = {} if fits is None else fits  # how well a piece fits a column, kept for the second cut
    for c, key in enumerate(keys):
        known = recurring[c] if recurring else set()
        for i in range(count + 1):
            here = best[c][i]
            if here == worst:
                continue
            if here - EMPTY_COST > best[c + 1][i]:
                best[c + 1][i] = here - EMPTY_COST
                back[c + 1][i] = i
            longest = MAX_COMPACT if COLUMN_KINDS.get(key) in STRONG else MAX_CELL
            counting = key in COUNT_COLUMNS
            for j in range(i + 1, min(count, i + longest) + 1):
                whole = wholes.get((i, j, counting))
                if whole is None:
                    whole = wholes[(i, j, counting)] = _whole(text, i, j, key)
                if not whole:
                    continue
                piece = text[i:j]
                fitted = fits.get((piece, key))
                if fitted is None:
                    fitted = fits[(piece, key)] = _piece_fit(piece, key)
                score = here + fitted
                if j < count and _chinese(text[j - 1]) and _chinese(text[j]):
                    score -= 2
                if len(names[c]) >= 4 and text[i:j].startswith(names[c][:4]):
                    score += 5
                if known and _squeezed(text[i:j]) in known:
                    score += RECURRING_GAIN
                if score > best[c + 1][j]:
                    best[c + 1][j] = score
                    back[c + 1][j] = i
    cells = [""] * width
    position = count
    for c in range(width, 0, -1):
        start = back[c][position]
        cells[c - 1] = text[start:position].strip()
        position = start
    return cells
