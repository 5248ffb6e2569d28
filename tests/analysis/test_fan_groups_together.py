"""The fans of every hall computed together give, group by group, exactly what each group gives alone."""

from __future__ import annotations

import numpy as np

from designer.analysis.facility import CoolingSystem, FanGroup, fan_group_power_kw


def test_all_groups_at_once_equal_each_group_alone() -> None:
    rng = np.random.default_rng(7)
    for trial in range(200):
        groups = [FanGroup(float(rng.choice([0.0, rng.uniform(1.0, 5000.0)])), float(rng.uniform(0.0, 0.2)),
                           float(rng.uniform(0.0, 0.3)), float(rng.uniform(0.8, 1.5)), bool(rng.integers(2)))
                  for _ in range(int(rng.integers(1, 30)))]
        shape = [(24,), (3, 24), (8760,)][trial % 3]
        air = rng.uniform(-10.0, 20_000.0, size=shape)
        air[rng.random(shape) < 0.1] = 0.0
        rows = fan_group_power_kw(groups, air)
        assert rows.shape == (len(groups), *shape)
        for group, row in zip(groups, rows, strict=True):
            assert np.array_equal(row, group.power_kw(air)), group


def test_the_system_adds_the_groups_in_order_on_the_rest() -> None:
    # two halls: 100 kW of fans at 1,000 kW rated airflow each, 40 % and 30 % of the air heat, and a
    # fixed-speed hall; the other 30 % at 0.05 kW/kW. At 2,000 kW of air heat:
    #   hall 1: ratio = 2000 * 0.4 / 1000 = 0.8 -> 100 * 0.8**3 = 51.2 kW
    #   hall 2: ratio = 2000 * 0.3 / 1000 = 0.6 -> 100 * 0.6**3 = 21.6 kW
    #   hall 3 (fixed speed, 0 % share): 10 kW rated whatever the load
    #   rest:   2000 * 0.3 * 0.05 = 30 kW            total 112.8 kW
    groups = (FanGroup(1000.0, 0.1, 0.4), FanGroup(1000.0, 0.1, 0.3), FanGroup(100.0, 0.1, 0.0, variable_speed=False))
    system = CoolingSystem(0.05, 0.02, None, None, fan_groups=groups)
    fans = system.fan_kw(np.array([2000.0, 0.0]))
    assert np.allclose(fans, [112.8, 0.0])


def test_alike_halls_are_worked_out_once_and_counted() -> None:
    # three alike halls (A) and one other (B), 100 kW of fans at 1,000 kW rated airflow each; the
    # other 30 % of the air heat at 0.05 kW/kW. At 2,000 kW of air heat:
    #   A: ratio = 2000 * 0.2 / 1000 = 0.4 -> 100 * 0.4**3 = 6.4 kW, three of them: 19.2 kW
    #   B: ratio = 2000 * 0.1 / 1000 = 0.2 -> the 0.3 minimum speed: 100 * 0.3**3 = 2.7 kW
    #   rest: 1 - (3 * 0.2 + 0.1) = 0.3 -> 2000 * 0.3 * 0.05 = 30 kW      total 51.9 kW
    a, b = FanGroup(1000.0, 0.1, 0.2), FanGroup(1000.0, 0.1, 0.1)
    system = CoolingSystem(0.05, 0.02, None, None, fan_groups=(a, b, a, a))
    assert system.fan_kinds == ((a, b), (3.0, 1.0))
    assert np.allclose(system.fan_kw(np.array([2000.0, 0.0])), [51.9, 0.0])
    # a year of hours goes kind by kind: the same figures
    assert np.allclose(system.fan_kw(np.full(8760, 2000.0)), 51.9)


def test_equal_groups_of_other_objects_count_as_one_kind() -> None:
    # the groups counted by object first, then the objects by value: two equal groups that are not
    # one object (a caller that does not share them) are still one kind, in order of first appearance
    a1, a2, b = FanGroup(1000.0, 0.1, 0.2), FanGroup(1000.0, 0.1, 0.2), FanGroup(1000.0, 0.1, 0.1)
    assert a1 is not a2
    system = CoolingSystem(0.05, 0.02, None, None, fan_groups=(b, a1, a2, b, a1))
    assert system.fan_kinds == ((b, a1), (2.0, 3.0))
    # rest: 1 - (0.1 + 0.2 + 0.2 + 0.1 + 0.2) = 0.2 (added in group order, as before)
    assert system.fan_rest == max(0.0, 1.0 - (0.1 + 0.2 + 0.2 + 0.1 + 0.2))
    shared = CoolingSystem(0.05, 0.02, None, None, fan_groups=(b, a1, a1, b, a1))
    air = np.array([2000.0, 500.0, 0.0])
    assert np.array_equal(system.fan_kw(air), shared.fan_kw(air))


def test_alike_halls_of_a_campus_share_one_group_object() -> None:
    from tests.analysis.analysis_builders import campus_analyzer

    with campus_analyzer(600) as (project, merged, analyzer):
        system = analyzer.cooling_system(analyzer.compile(project, merged), project)
        groups = system.fan_groups
        assert len(groups) > len({id(g) for g in groups})  # some halls alike: fewer objects than halls
        assert len({id(g) for g in groups}) == len(set(groups))  # one object per distinct group
        assert sum(system.fan_kinds[1]) == len(groups)
