"""Working days as the State Council schedules them, holidays and make-up days included."""

from datetime import date

from shuangsuiji.core.workdays import (
    add_working_days,
    covered,
    is_working_day,
    working_days_between,
)


def test_the_spring_festival_2024_is_off_and_its_make_up_sundays_are_worked() -> None:
    assert not any(is_working_day(date(2024, 2, d)) for d in range(10, 18))
    assert is_working_day(date(2024, 2, 4))  # Sunday, 调休上班
    assert is_working_day(date(2024, 2, 18))  # Sunday, 调休上班


def test_national_day_2024_is_off_and_two_weekend_days_are_worked() -> None:
    assert not any(is_working_day(date(2024, 10, d)) for d in range(1, 8))
    assert is_working_day(date(2024, 9, 29))  # Sunday
    assert is_working_day(date(2024, 10, 12))  # Saturday


def test_twenty_working_days_from_before_the_spring_festival() -> None:
    # Friday 2024-02-02 → Sun 4 (make-up) 1, Mon 5–Fri 9 2–6, [10–17 off], Sun 18 7,
    # 19–23 8–12, 26–29 13–16, Fri Mar 1 17, Mon 4 18, Tue 5 19, Wed 6 20
    assert add_working_days(date(2024, 2, 2), 20) == date(2024, 3, 6)
    assert working_days_between(date(2024, 2, 2), date(2024, 3, 6)) == 20


def test_twenty_working_days_across_national_day() -> None:
    # Friday 2024-09-27 → Sun 29 1, Mon 30 2, [Oct 1–7 off], 8–11 3–6, Sat 12 7,
    # 14–18 8–12, 21–25 13–17, 28–30 18–20
    assert add_working_days(date(2024, 9, 27), 20) == date(2024, 10, 30)


def test_a_year_not_yet_published_falls_back_to_weekends_and_the_editable_table() -> None:
    spring_2027 = {date(2027, 2, 8): False, date(2027, 2, 20): True}

    assert not covered(2027)
    assert covered(2024)
    assert is_working_day(date(2027, 2, 9))  # Tuesday, no table entry
    assert not is_working_day(date(2027, 2, 8), spring_2027)
    assert is_working_day(date(2027, 2, 20), spring_2027)  # a Saturday made a working day
