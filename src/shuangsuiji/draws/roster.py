"""The 抽查名单: who a draw chose, as people read and print it — names, addresses and legal
representatives beside the codes, in priority order, substitutions applied, then the reserves.

The bundle holds codes only (it is published); the names come from the directory at the time
of reading, which is what a coordinator hands to the teams."""

from dataclasses import dataclass
from typing import IO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.page import PageMargins

from shuangsuiji.core.celltext import xlsx_row
from shuangsuiji.directory.models import Entity
from shuangsuiji.draws.models import Draw
from shuangsuiji.draws.substitutions import current_selection
from shuangsuiji.plans.population import STRATUM_LABELS

COLUMNS = (
    *("序号", "企业名称", "统一社会信用代码", "住所", "法定代表人/负责人"),
    *("信用风险分类", "轮次", "备注"),
)
WIDTHS = (6, 36, 22, 40, 14, 12, 6, 24)


@dataclass(frozen=True)
class RosterRow:
    number: int
    uscc: str
    name: str
    address: str
    representative: str
    stratum: str
    round: int
    note: str


@dataclass(frozen=True)
class Roster:
    draw: Draw
    selected: list[RosterRow]
    reserves: list[RosterRow]


def roster_of(draw: Draw) -> Roster:
    """The draw's list to inspect (substitutions applied) and its unused reserves."""
    if draw.bundle is None:
        return Roster(draw, [], [])
    current = current_selection(draw)
    replaced = {s.replacement: s for s in draw.substitutions.all()}
    chosen: list[tuple[int, str, str, str]] = []
    spare: list[tuple[int, str, str, str]] = []
    for round_data in draw.bundle["rounds"]:
        number = round_data["round"]
        for stratum, drawn in round_data["strata"].items():
            now = current.get((number, stratum), drawn["selected"])
            for code in now:
                note = ""
                if code in replaced:
                    note = f"替补 {replaced[code].replaced}（{replaced[code].reason}）"
                chosen.append((number, stratum, code, note))
            spare += [(number, stratum, c, "备选") for c in drawn["reserve"] if c not in now]
    codes = [c for _, _, c, _ in chosen + spare]
    entities = {
        e.uscc: e
        for e in Entity.objects.filter(uscc__in=codes).only(
            "uscc", "name", "address", "legal_representative"
        )
    }
    return Roster(draw, _rows(chosen, entities), _rows(spare, entities))


def _rows(picked: list[tuple[int, str, str, str]], entities: dict[str, Entity]) -> list[RosterRow]:
    rows = []
    for index, (number, stratum, code, note) in enumerate(picked, start=1):
        entity = entities.get(code)
        rows.append(
            RosterRow(
                number=index,
                uscc=code,
                name=entity.name if entity else "（名录库中已无此主体）",
                address=entity.address if entity else "",
                representative=entity.legal_representative if entity else "",
                stratum=STRATUM_LABELS.get(stratum, stratum),
                round=number,
                note=note,
            )
        )
    return rows


def write_roster(roster: Roster, file: IO[bytes]) -> None:
    """The list as .xlsx: a title row, the header repeated on every printed page, fitted to
    the page's width in landscape; the reserves on a second sheet."""
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    draw = roster.draw
    task = draw.task
    title = f"{task.plan.title} 第{task.seq or task.position}项 {task.name} 抽查名单"
    for sheet_name, rows in (("抽查名单", roster.selected), ("备选名单", roster.reserves)):
        sheet = workbook.create_sheet(sheet_name)
        sheet.append([title if sheet_name == "抽查名单" else f"{title}（备选）"])
        sheet["A1"].font = Font(bold=True, size=14)
        drawn_at = f"{draw.drawn_at:%Y-%m-%d %H:%M}" if draw.drawn_at else "—"
        sheet.append([f"抽取编号 {draw.draw_id}　种子 {draw.seed}　抽取时间 {drawn_at}"])
        sheet.append(list(COLUMNS))
        for cell in sheet[3]:
            cell.font = Font(bold=True)
        for row in rows:
            values = [row.number, row.name, row.uscc, row.address, row.representative]
            values += [row.stratum, row.round, row.note]
            sheet.append(xlsx_row(sheet, values))
        for column, width in zip("ABCDEFGH", WIDTHS, strict=True):
            sheet.column_dimensions[column].width = width
        for line in sheet.iter_rows(min_row=4):
            for cell in line:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.print_title_rows = "3:3"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    workbook.save(file)
