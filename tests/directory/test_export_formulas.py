"""The directory export with formula-like names, addresses and representatives: every such text
is a string cell of the same text (never a formula, so the file also imports back unchanged),
and numbers stay numbers."""

import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from shuangsuiji.directory.importers import ADDRESS, CAPITAL, LEGAL_REPRESENTATIVE, NAME
from tests.conftest import World
from tests.factories import EntityFactory

pytestmark = pytest.mark.django_db

FORMULA_TEXTS = ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]


def export(world: World) -> bytes:
    client = Client()
    client.force_login(world.coordinator)
    return b"".join(client.get(reverse("directory:entity-export")).streaming_content)


def test_directory_export_writes_formula_like_text_as_text(world: World) -> None:
    for text in FORMULA_TEXTS:
        EntityFactory(
            name=text, address=text, legal_representative=text, registered_capital=Decimal("-5")
        )

    sheet = load_workbook(io.BytesIO(export(world))).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    at = {column: header.index(column) for column in (NAME, ADDRESS, LEGAL_REPRESENTATIVE)}
    rows = [row for row in sheet.iter_rows(min_row=2) if row[at[NAME]].value in FORMULA_TEXTS]

    written = sorted(tuple((row[i].value, row[i].data_type) for i in at.values()) for row in rows)
    capitals = {
        (row[header.index(CAPITAL)].value, row[header.index(CAPITAL)].data_type) for row in rows
    }
    formulas = [
        cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"
    ]
    assert written == sorted(((text, "s"),) * 3 for text in FORMULA_TEXTS)
    assert capitals == {(-5, "n")}
    assert formulas == []
