"""The year's draws against the inspectors: places per department, its busiest month, and the
tasks that crowd it. Figures worked by hand."""

from shuangsuiji.core.capacity import TaskDemand, department_loads, overloaded_tasks

SPRING = ("2026-03", "2026-04", "2026-05", "2026-06")


def test_a_department_alone_sends_a_team_a_joint_visit_one_each() -> None:
    alone = TaskDemand("1", visits=30, departments=("市场监管局",), team_size=2, months=SPRING)
    joint = TaskDemand(
        "2", visits=12, departments=("市场监管局", "税务局"), team_size=3, months=SPRING
    )

    assert (alone.places("市场监管局"), alone.places("税务局")) == (60, 0)
    assert (joint.places("市场监管局"), joint.places("税务局")) == (12, 12)


def test_places_are_spread_over_the_window_and_the_busiest_month_is_compared() -> None:
    # 市场监管局: 60 places over 4 months (15 each) and 24 over March alone: March has 39.
    # 3 inspectors × 10 a month = 30 < 39: over. 税务局: 24 in March, 5 × 10 = 50: not over.
    tasks = [
        TaskDemand("1", visits=30, departments=("市场监管局",), team_size=2, months=SPRING),
        TaskDemand(
            "2", visits=24, departments=("市场监管局", "税务局"), team_size=2, months=("2026-03",)
        ),
    ]

    loads = {
        load.department: load
        for load in department_loads(tasks, {"市场监管局": 3, "税务局": 5}, per_month=10)
    }

    market, tax = loads["市场监管局"], loads["税务局"]
    assert (market.places, market.busiest_month, market.busiest_places) == (84, "2026-03", 39)
    assert (market.monthly_capacity, market.over, market.per_inspector) == (30, True, 28)
    assert (tax.places, tax.busiest_places, tax.monthly_capacity, tax.over) == (24, 24, 50, False)


def test_a_department_without_inspectors_is_over_as_soon_as_it_is_asked() -> None:
    task = TaskDemand("1", visits=1, departments=("气象局",), team_size=2, months=("2026-09",))

    (load,) = department_loads([task], {}, per_month=20)

    assert (load.inspectors, load.places, load.per_inspector, load.over) == (0, 2, None, True)


def test_months_are_summed_as_fractions_and_rounded_up_once() -> None:
    # 10 visits × 2 over 3 months is 6⅔ a month: shown as 7, and 7 > 1 × 6 is over.
    task = TaskDemand(
        "1",
        visits=10,
        departments=("水利局",),
        team_size=2,
        months=("2026-01", "2026-02", "2026-03"),
    )

    (load,) = department_loads([task], {"水利局": 1}, per_month=6)

    assert (load.busiest_month, load.busiest_places, load.over) == ("2026-01", 7, True)


def test_the_tasks_that_crowd_the_busiest_month_are_flagged_not_the_small_ones() -> None:
    # March for 市场监管局: big 200/2 = 100, small 4/1 = 4 → 104 > 2 × 20. The small task's 4
    # is under a tenth of 104; a task outside March asks nothing of that month.
    big = TaskDemand(
        "big", visits=100, departments=("市场监管局",), team_size=2, months=("2026-03", "2026-04")
    )
    small = TaskDemand(
        "small", visits=2, departments=("市场监管局",), team_size=2, months=("2026-03",)
    )
    autumn = TaskDemand(
        "autumn", visits=50, departments=("市场监管局",), team_size=2, months=("2026-10",)
    )
    tasks = [big, small, autumn]

    loads = department_loads(tasks, {"市场监管局": 2}, per_month=20)
    flagged = overloaded_tasks(tasks, loads)

    assert (loads[0].busiest_month, loads[0].busiest_places) == ("2026-03", 104)
    assert list(flagged) == ["big"]
    assert [load.department for load in flagged["big"]] == ["市场监管局"]
