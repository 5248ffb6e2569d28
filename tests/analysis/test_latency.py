"""Great-circle distance and fibre round trips."""

from __future__ import annotations

import pytest

from designer.analysis.latency import (
    DEFAULT_USER_REGIONS,
    FIBRE_RTT_MS_PER_KM,
    great_circle_km,
    latencies,
)
from designer.model.records import Site, UserRegion

NEW_YORK = (40.7128, -74.0060)
LONDON = (51.5074, -0.1278)


def test_new_york_to_london() -> None:
    # published great-circle distance ~5,570 km
    assert great_circle_km(*NEW_YORK, *LONDON) == pytest.approx(5570.0, rel=0.01)


def test_quarter_meridian_and_symmetry() -> None:
    # equator to pole along a meridian: pi/2 x 6371 = 10,007.5 km
    assert great_circle_km(0.0, 0.0, 90.0, 0.0) == pytest.approx(10007.54, abs=0.01)
    # one degree of longitude on the equator: 6371 x pi/180 = 111.19 km
    assert great_circle_km(0.0, 0.0, 0.0, 1.0) == pytest.approx(111.195, abs=0.001)
    assert great_circle_km(*LONDON, *NEW_YORK) == pytest.approx(great_circle_km(*NEW_YORK, *LONDON))
    assert great_circle_km(*LONDON, *LONDON) == 0.0


def test_rtt_is_fibre_km_times_one_hundredth() -> None:
    site = Site(latitude_deg=NEW_YORK[0], longitude_deg=NEW_YORK[1])
    (london,) = latencies(site, [UserRegion("London", *LONDON)])
    distance = great_circle_km(*NEW_YORK, *LONDON)
    # ~5,570 km x 1.5 = ~8,355 km of fibre x 0.01 ms/km = ~83.6 ms
    assert london.fibre_km == pytest.approx(distance * 1.5)
    assert london.rtt_ms == pytest.approx(distance * 1.5 * 0.01)
    assert london.rtt_ms == pytest.approx(83.55, abs=0.9)
    assert FIBRE_RTT_MS_PER_KM == 0.01
    # a straight fibre (factor 1) is 1 ms per 100 km
    (straight,) = latencies(site, [UserRegion("London", *LONDON)], route_factor=1.0)
    assert straight.rtt_ms == pytest.approx(distance / 100.0)


def test_region_defaults() -> None:
    own = (UserRegion("Here", 0.0, 0.0),)
    assert [r.region for r in latencies(Site(user_regions=own))] == ["Here"]
    defaults = latencies(Site())
    assert [r.region for r in defaults] == [r.name for r in DEFAULT_USER_REGIONS]
    assert len(defaults) == 10


def test_route_factor_below_one_is_refused() -> None:
    with pytest.raises(ValueError):
        latencies(Site(), route_factor=0.9)


def test_a_site_at_the_default_origin_is_not_located() -> None:
    from designer.analysis.latency import site_located
    from designer.model.records import Site

    assert not site_located(Site())
    assert site_located(Site(latitude_deg=50.11, longitude_deg=8.68))
    assert site_located(Site(latitude_deg=0.0, longitude_deg=8.68))  # on the equator is a place
