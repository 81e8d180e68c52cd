import io
from datetime import datetime

import pytest

from shuangsuiji.lib.tables import Row, TableError, read_table
from tests.files import xlsx_bytes


def test_read_table_xlsx_keys_cells_by_header_and_numbers_rows_as_excel_does() -> None:
    file = xlsx_bytes(
        [
            ["名称", "成立日期", "注册资本"],
            ["甲公司", datetime(2020, 5, 1), 100.0],
            [None, None, None],
            ["乙公司", None, 12.5],
        ]
    )

    table = read_table(file, "entities.xlsx")

    assert table.header == ["名称", "成立日期", "注册资本"]
    assert table.rows == [
        Row(2, {"名称": "甲公司", "成立日期": "2020-05-01", "注册资本": "100"}),
        Row(4, {"名称": "乙公司", "成立日期": "", "注册资本": "12.5"}),
    ]


def test_read_table_csv_in_gbk_as_excel_saves_it() -> None:
    file = io.BytesIO("名称,住所\n甲公司,潞城区\n".encode("gbk"))

    table = read_table(file, "entities.csv")

    assert table.rows == [Row(2, {"名称": "甲公司", "住所": "潞城区"})]


def test_read_table_rejects_other_file_types_by_name() -> None:
    with pytest.raises(TableError, match=r"不支持的文件类型“\.docx”"):
        read_table(io.BytesIO(b"x"), "plan.docx")


def test_read_table_damaged_xlsx_is_a_table_error() -> None:
    with pytest.raises(TableError) as raised:
        read_table(io.BytesIO(b"not a zip"), "entities.xlsx")

    assert str(raised.value) == "文件不是有效的 .xlsx（可能已损坏或实为其他格式）"


def test_read_table_csv_nul_byte_is_named_by_row_and_column() -> None:
    file = io.BytesIO("名称,住所\n甲公司,潞城区\n乙公\x00司,潞城区\n".encode())

    with pytest.raises(TableError) as raised:
        read_table(file, "entities.csv")

    assert (raised.value.row, raised.value.column, str(raised.value)) == (
        3,
        "名称",
        "第3行“名称”列：含有空字符（NUL，\\x00），文件可能已损坏或不是文本文件",
    )


def test_read_table_csv_field_over_the_csv_modules_limit_is_named() -> None:
    huge = "甲" * (128 * 1024 + 1)
    file = io.BytesIO(f'名称,住所\n甲公司,潞城区\n乙公司,"{huge}"\n'.encode())

    with pytest.raises(TableError) as raised:
        read_table(file, "entities.csv")

    assert str(raised.value) == "第3行“住所”列：内容过长（一个单元格最多2000个字符）"


def test_read_table_cell_over_the_limit_is_named_with_its_length() -> None:
    file = io.BytesIO(f"名称,住所\n乙公司,{'路' * 3000}\n".encode())

    with pytest.raises(TableError) as raised:
        read_table(file, "entities.csv")

    assert str(raised.value) == ("第2行“住所”列：内容过长（3000个字符，一个单元格最多2000个字符）")


def test_read_table_encrypted_xlsx_says_so_in_chinese() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4088)  # how an encrypted workbook begins

    with pytest.raises(TableError) as raised:
        read_table(io.BytesIO(ole), "entities.xlsx")

    assert str(raised.value) == (
        "文件是设有打开密码（已加密）的 .xlsx 文件，或旧版 .xls 格式："
        "请取消密码，或另存为 .xlsx 后再上传"
    )
