"""Checks on an Office Open XML package (.xlsx, .docx) before a library parses it.

openpyxl and python-docx parse the package's XML with settings of their own; a hostile file
can still reach them with a zip bomb, an XML entity bomb, an entity reference (python-docx
keeps it as a node whose tag is no string, and code reading the tree trips over it) or an
external entity. Word and Excel never write a document type declaration, so any DOCTYPE is
refused here, read with the standard library's expat up to the root element and no further.
An encrypted (password-protected) workbook or document is not a zip at all but an OLE
compound file, as are the old .xls/.doc formats: the first eight bytes tell.
"""

import io
import zipfile
from collections.abc import Mapping
from xml.parsers import expat

MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
# One member may not unpack to more than this many times its packed size once it is larger than
# RATIO_FROM_BYTES: Excel's own XML packs 5–30 times, and the shared strings of a directory
# (every name and address once) 3–10 times. Checked per member too, since a bomb padded with
# an incompressible member passes the whole package's ratio.
MAX_MEMBER_RATIO = 100
RATIO_FROM_BYTES = 1024 * 1024
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File Binary (MS-CFB)
OLD_FORMAT = {".xlsx": ".xls", ".docx": ".doc"}
PROLOG_CHUNK = 64 * 1024


class _RootReached(Exception):
    """Raised from expat's handler: the prolog is over, no DOCTYPE was in it."""


class _DoctypeFound(Exception):
    """Raised from expat's handler at a document type declaration."""


def package_problem(
    data: bytes,
    kind: str,
    *,
    max_unzipped: int = MAX_UNZIPPED_BYTES,
    member_limits: Mapping[str, int] | None = None,
) -> str | None:
    """Why `data` is refused as a `kind` package (".xlsx", ".docx"), in words for the person
    who uploaded it; None if it may be handed to the parser. `member_limits` bounds members a
    parser holds whole in memory (a workbook's shared strings) by their unpacked size."""
    member_limits = member_limits or {}
    if data.startswith(OLE_SIGNATURE):
        old = OLD_FORMAT.get(kind, "旧版 Office")
        return (
            f"文件是设有打开密码（已加密）的 {kind} 文件，或旧版 {old} 格式："
            f"请取消密码，或另存为 {kind} 后再上传"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return f"文件不是有效的 {kind}（可能已损坏或实为其他格式）"
    with archive:
        members = archive.infolist()
        total = sum(info.file_size for info in members)
        packed = sum(info.compress_size for info in members) or 1
        if total > max_unzipped or total / packed > MAX_COMPRESSION_RATIO:
            return f"{kind} 文件解压后过大，疑似压缩炸弹，已拒绝"
        for info in members:
            ratio = info.file_size / (info.compress_size or 1)
            if info.file_size > RATIO_FROM_BYTES and ratio > MAX_MEMBER_RATIO:
                name = info.filename
                return f"{kind} 文件中的“{name}”压缩比异常（{ratio:.0f} 倍），疑似压缩炸弹，已拒绝"
            limit = member_limits.get(info.filename)
            if limit is not None and info.file_size > limit:
                name, size, most = info.filename, info.file_size >> 20, limit >> 20
                return f"{kind} 文件中的“{name}”解压后 {size} MB，超过 {most} MB 的上限，已拒绝"
        for info in members:
            if info.filename.endswith((".xml", ".rels")):
                problem = _prolog_problem(archive, info, kind)
                if problem:
                    return problem
    return None


def _prolog_problem(archive: zipfile.ZipFile, info: zipfile.ZipInfo, kind: str) -> str | None:
    parser = expat.ParserCreate()

    def doctype(*_: object) -> None:
        raise _DoctypeFound

    def root(*_: object) -> None:
        raise _RootReached

    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = root
    try:
        with archive.open(info) as member:
            while chunk := member.read(PROLOG_CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _RootReached:
        return None
    except _DoctypeFound:
        return (
            f"{kind} 文件中的“{info.filename}”含有 XML 文档类型声明（DOCTYPE/实体），"
            "Office 软件不会写出这样的内容，已拒绝"
        )
    except (expat.ExpatError, zipfile.BadZipFile, OSError, ValueError):
        return f"{kind} 文件中的“{info.filename}”已损坏，无法读取"
    return None
