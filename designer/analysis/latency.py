"""Network round-trip estimates from a site to its users over fibre (the 5 µs/km rule [S53])."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from designer.model.records import Site, UserRegion

EARTH_RADIUS_KM = 6371.0
"""Mean Earth radius (IUGG) used by the haversine formula."""
FIBRE_RTT_MS_PER_KM = 0.01
"""Round trip per km of fibre path: ~4.9 µs/km one way (n ≈ 1.468) ⇒ ~1 ms RTT per 100 km [S53]."""
DEFAULT_ROUTE_FACTOR = 1.5
"""Fibre path length over great-circle distance (E: cables follow roads, coasts and landing points)."""

DEFAULT_USER_REGIONS: tuple[UserRegion, ...] = (
    UserRegion("New York", 40.7128, -74.0060),
    UserRegion("Chicago", 41.8781, -87.6298),
    UserRegion("Dallas", 32.7767, -96.7970),
    UserRegion("San Francisco", 37.7749, -122.4194),
    UserRegion("London", 51.5074, -0.1278),
    UserRegion("Frankfurt", 50.1109, 8.6821),
    UserRegion("Tokyo", 35.6762, 139.6503),
    UserRegion("Singapore", 1.3521, 103.8198),
    UserRegion("Sydney", -33.8688, 151.2093),
    UserRegion("São Paulo", -23.5505, -46.6333),
)
"""City-centre coordinates of major user populations, used when a site names no regions."""


def site_located(site: Site) -> bool:
    """False for a site still at the default 0°, 0° (nobody has said where it is): a round trip from
    there would be a made-up figure."""
    return not (site.latitude_deg == 0.0 and site.longitude_deg == 0.0)


@dataclass(frozen=True)
class RegionLatency:
    """Distance and fibre round-trip time from the site to one user region."""

    region: str
    great_circle_km: float
    fibre_km: float
    rtt_ms: float


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance in km between two points given in degrees (R = 6371.0 km)."""
    for latitude in (lat1, lat2):
        if not -90.0 <= latitude <= 90.0:
            raise ValueError(f"latitude {latitude} outside -90..90")
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_dphi = (phi2 - phi1) / 2.0
    half_dlambda = math.radians(lon2 - lon1) / 2.0
    h = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    # min() guards asin against rounding just above 1 for antipodal points
    return 2.0 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def latencies(
    site: Site, regions: Sequence[UserRegion] | None = None, route_factor: float = DEFAULT_ROUTE_FACTOR
) -> list[RegionLatency]:
    """Round trip from ``site`` to each region, in the regions' order.

    ``regions`` defaults to the site's own user regions, or :data:`DEFAULT_USER_REGIONS` when it has
    none. ``fibre_km = great_circle_km x route_factor`` and ``rtt_ms = fibre_km x 0.01``; queueing,
    routing and server time are not included.
    """
    if not math.isfinite(route_factor) or route_factor < 1.0:
        raise ValueError("route_factor must be at least 1 (fibre is never shorter than the great circle)")
    chosen = regions if regions is not None else (site.user_regions or DEFAULT_USER_REGIONS)
    result: list[RegionLatency] = []
    for region in chosen:
        distance_km = great_circle_km(site.latitude_deg, site.longitude_deg, region.latitude_deg, region.longitude_deg)
        fibre_km = distance_km * route_factor
        result.append(
            RegionLatency(
                region=region.name,
                great_circle_km=distance_km,
                fibre_km=fibre_km,
                rtt_ms=fibre_km * FIBRE_RTT_MS_PER_KM,
            )
        )
    return result
