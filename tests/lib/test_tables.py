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
    with pytest.raises(TableError, match="无法读取 Excel 文件"):
        read_table(io.BytesIO(b"not a zip"), "entities.xlsx")
