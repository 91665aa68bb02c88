"""GPS checks: was the interview taken where the unit (a store) is, and is the fix believable?

Rules (capabilities research b.4.13):
* ``out_of_area`` when ``distance - accuracy > radius``: the interview is outside the unit's circle even if
  the true position were the reported accuracy closer. Store at (45.8131, 15.9775) with radius 300 m: an
  interview at (45.8140, 15.9780) is 107 m away (OK); one at (45.9000, 16.1000) is 13,541 m away.
* ``mock_location_suspected`` when the accuracy is exactly 0: Android reports accuracy 0 from a mock location
  provider (ODK's form audit log documentation, getodk/docs ``docs/form-audit-log.rst``, research B1.4).
* ``no_location`` when there is no fix (permission denied, no signal): a flag, never a rejection.

Distance: the haversine great-circle formula on a sphere of the mean Earth radius 6,371,008.8 m (IUGG; the
same formula and radius as the ``haversine`` package 2.9.0, whose README gives Lyon-Paris = 392.2172595594006
km, reproduced in the tests). Sinnott, R. W. (1984), "Virtues of the Haversine", *Sky and Telescope* 68(2),
159. Error against the ellipsoid is below 0.5 %, far below a phone's GPS accuracy at store scale.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from heed.fieldwork_rules.flags import Flag, FlagCode

EARTH_MEAN_RADIUS_M = 6_371_008.8


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two WGS84 points in decimal degrees.

    Raises ``ValueError`` for a latitude outside [-90, 90] or a longitude outside [-180, 180].
    """
    for lat, lon in ((lat1, lon1), (lat2, lon2)):
        _check_coordinates(lat, lon)
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_MEAN_RADIUS_M * math.asin(math.sqrt(min(1.0, h)))


@dataclass(frozen=True)
class Area:
    """A unit's location: centre in decimal degrees and a radius in metres (> 0)."""

    latitude: float
    longitude: float
    radius_m: float

    def __post_init__(self) -> None:
        _check_coordinates(self.latitude, self.longitude)
        if not math.isfinite(self.radius_m) or self.radius_m <= 0:
            raise ValueError(f"radius must be a positive number of metres, got {self.radius_m!r}")


@dataclass(frozen=True)
class Fix:
    """A device's position: decimal degrees and the reported accuracy in metres (``None`` if not given)."""

    latitude: float
    longitude: float
    accuracy_m: float | None = None

    def __post_init__(self) -> None:
        _check_coordinates(self.latitude, self.longitude)
        if self.accuracy_m is not None and (not math.isfinite(self.accuracy_m) or self.accuracy_m < 0):
            raise ValueError(f"accuracy must be a non-negative number of metres, got {self.accuracy_m!r}")


@dataclass(frozen=True)
class LocationCheck:
    """The distance from the area's centre in metres (``None`` without a fix) and the flags raised."""

    distance_m: float | None
    flags: tuple[Flag, ...]


def check_location(fix: Fix | None, area: Area) -> LocationCheck:
    """Apply the three GPS rules to one interview's fix (``None`` = no location); a fix without a reported
    accuracy gets no allowance (distance > radius is out of area) and is not suspected of being mocked."""
    if fix is None:
        return LocationCheck(None, (Flag(FlagCode.NO_LOCATION),))
    distance = haversine_m(area.latitude, area.longitude, fix.latitude, fix.longitude)
    accuracy = fix.accuracy_m or 0.0
    flags: list[Flag] = []
    if fix.accuracy_m == 0:
        flags.append(Flag(FlagCode.MOCK_LOCATION_SUSPECTED, {"accuracy_m": 0.0}))
    if distance - accuracy > area.radius_m:
        flags.append(
            Flag(
                FlagCode.OUT_OF_AREA,
                {"distance_m": round(distance, 1), "radius_m": area.radius_m, "accuracy_m": fix.accuracy_m},
            )
        )
    return LocationCheck(distance, tuple(flags))


def _check_coordinates(lat: float, lon: float) -> None:
    if not (math.isfinite(lat) and -90 <= lat <= 90):
        raise ValueError(f"latitude must lie in [-90, 90], got {lat!r}")
    if not (math.isfinite(lon) and -180 <= lon <= 180):
        raise ValueError(f"longitude must lie in [-180, 180], got {lon!r}")
