"""Real files for import tests, built in memory with the same libraries users' tools write."""

import io

from openpyxl import Workbook


def xlsx_bytes(rows: list[list[object]]) -> io.BytesIO:
    """An .xlsx workbook whose first sheet holds `rows` (the first one is the header)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer
