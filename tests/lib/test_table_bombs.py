"""An entity workbook built to exhaust the server is refused before openpyxl unpacks it, and
refusing it costs little memory: each bomb is read in a child process whose peak resident size
is measured. The bombs are the issue's: shared strings packed a thousand to one (1.5 MB that
unpacked to 1.5 GB drove the worker to 3.2 GB), and the same hidden behind an incompressible
member so that the package as a whole looks ordinary."""

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

PEAK_LIMIT_MB = 200
STRINGS_MB = 320  # unpacked shared strings: past the limit, and past what memory can spare
ENTRY_MB = 40  # each shared string (a cell's text) this long


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = {  # the smallest workbook whose cells refer to shared strings, as Excel writes them
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    ),
    "_rels/.rels": (
        f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Target="xl/workbook.xml" '
        f'Type="{DOC}/officeDocument"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{MAIN}" xmlns:r="{DOC}"><sheets>'
        '<sheet name="名录" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{RELS}">'
        f'<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="{DOC}/worksheet"/>'
        f'<Relationship Id="rId2" Target="sharedStrings.xml" Type="{DOC}/sharedStrings"/>'
        "</Relationships>"
    ),
    "xl/worksheets/sheet1.xml": (
        f'<worksheet xmlns="{MAIN}"><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row>'
        "</sheetData></worksheet>"
    ),
}


def workbook_with(shared_strings: int, padding: int = 0) -> bytes:
    """A workbook whose shared strings are `shared_strings` bytes of long entries of one
    repeated character (packing about 1,000 to 1; openpyxl keeps each distinct entry whole in
    memory), plus `padding` random bytes as an image."""
    chunk = "甲".encode() * (1 << 18)  # 768 KB of text
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb:
        for name, text in PACKAGE.items():
            bomb.writestr(name, text)
        with bomb.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
            member.write(f'<sst xmlns="{MAIN}">'.encode())
            for entry in range(shared_strings // (ENTRY_MB << 20)):
                member.write(f"<si><t>{entry}".encode())
                for _ in range((ENTRY_MB << 20) // len(chunk)):
                    member.write(chunk)
                member.write(b"</t></si>")
            member.write(b"</sst>")
        if padding:
            bomb.writestr("xl/media/image1.png", os.urandom(padding))
    return buffer.getvalue()


# The child's own peak: VmHWM belongs to the process image, whereas getrusage's ru_maxrss
# keeps the parent's peak across fork and exec (Linux), which is pytest's, not the reader's.
READ_IN_CHILD = """
import re, sys
import django
django.setup()
from shuangsuiji.lib.tables import TableError, read_table
try:
    read_table(open(sys.argv[1], "rb"), "名录.xlsx")
    print("read")
except TableError as error:
    print(error)
status = open("/proc/self/status").read()
print(int(re.search(r"VmHWM:\\s+(\\d+) kB", status).group(1)) // 1024)
"""


def read_in_child(path: Path) -> tuple[str, int]:
    """What reading the file said, and the reader's peak resident memory in MB."""
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="shuangsuiji.settings")
    result = subprocess.run(
        [sys.executable, "-c", READ_IN_CHILD, str(path)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    said, peak = result.stdout.strip().splitlines()[-2:]
    return said, int(peak)


@pytest.mark.parametrize(
    ("padding", "refusal"),
    [
        (0, "解压后过大，疑似压缩炸弹"),
        # The package packs 320 MB into ~3.3 MB (under the package's ratio of 200): only the
        # member's own ratio gives it away.
        (3 << 20, "“xl/sharedStrings.xml”压缩比异常"),
    ],
    ids=["shared-strings-bomb", "bomb-hidden-by-padding"],
)
def test_an_entity_workbook_bomb_is_refused_with_little_memory(
    tmp_path: Path, padding: int, refusal: str
) -> None:
    path = tmp_path / "名录.xlsx"
    path.write_bytes(workbook_with(STRINGS_MB << 20, padding))

    said, peak = read_in_child(path)

    assert refusal in said
    assert peak < PEAK_LIMIT_MB, f"peak {peak} MB"
