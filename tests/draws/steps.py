"""Ceremony steps as tests compare them: the registration time (`at`, version 2 binds it) is
the clock's, so a test compares who and what, and checks the time apart where it matters."""

from typing import Any

from shuangsuiji.core.draw import ISO_UTC


def untimed(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The steps without their times, each of which must be a UTC time of the record's form."""
    assert all(ISO_UTC.fullmatch(step["at"]) for step in steps)
    return [{key: value for key, value in step.items() if key != "at"} for step in steps]
