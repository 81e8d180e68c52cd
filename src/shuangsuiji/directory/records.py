"""A new entity as bulk loaders hand it to `services.insert_entities` (no Django model yet)."""

from datetime import date
from decimal import Decimal
from typing import NamedTuple


class NewEntity(NamedTuple):
    uscc: str
    name: str
    legal_form: str
    legal_representative: str
    address: str
    region_id: int
    industry_code: str
    registered_capital: Decimal | None
    established_on: date | None
    status: str
    risk_class: str
    risk_classified_on: date | None
    risk_source: str
    category_ids: tuple[int, ...]
    name_initials: str = ""
