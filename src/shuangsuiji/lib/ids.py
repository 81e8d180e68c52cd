"""Reading a record's id from a form or a query string without a 500: `str.isdigit` accepts
"²" and a number of 5,000 digits, which `int()` refuses (ValueError)."""

ID_DIGITS = 18  # a bigint has 19 digits; nothing the platform numbers comes near


def id_or_none(text: str) -> int | None:
    """The id `text` spells in ASCII or other decimal digits, or None."""
    return int(text) if text.isdecimal() and len(text) <= ID_DIGITS else None


def ids_in(texts: list[str]) -> set[int]:
    """The ids among `texts`, anything else left out."""
    return {pk for pk in map(id_or_none, texts) if pk is not None}
