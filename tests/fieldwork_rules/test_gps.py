"""GPS (research b.4.13): 107 m OK, 13,541 m out of area, accuracy 0 = mock location, no fix = no_location."""

from __future__ import annotations

import pytest

from heed.fieldwork_rules.flags import FlagCode
from heed.fieldwork_rules.gps import Area, Fix, check_location, haversine_m

STORE = Area(45.8131, 15.9775, 300)


def codes(check: object) -> set[FlagCode]:
    return {f.code for f in check.flags}  # type: ignore[attr-defined]


def test_haversine_matches_the_haversine_package_readme() -> None:
    # haversine 2.9.0 README: haversine(lyon, paris) == 392.2172595594006 km
    assert haversine_m(45.7597, 4.8422, 48.8567, 2.3508) == pytest.approx(392_217.2595594006, abs=1e-6)


def test_interview_107_m_from_the_store_is_ok() -> None:
    check = check_location(Fix(45.8140, 15.9780, 20), STORE)
    assert check.distance_m is not None and round(check.distance_m) == 107
    assert check.flags == ()


def test_interview_13541_m_away_is_out_of_area() -> None:
    check = check_location(Fix(45.9000, 16.1000, 20), STORE)
    assert check.distance_m is not None and round(check.distance_m) == 13_541
    assert codes(check) == {FlagCode.OUT_OF_AREA}
    assert check.flags[0].detail["distance_m"] == pytest.approx(13_541.4)


def test_accuracy_exactly_zero_is_a_suspected_mock_location() -> None:
    check = check_location(Fix(45.8140, 15.9780, 0), STORE)
    assert codes(check) == {FlagCode.MOCK_LOCATION_SUSPECTED}
    far = check_location(Fix(45.9000, 16.1000, 0.0), STORE)
    assert codes(far) == {FlagCode.MOCK_LOCATION_SUSPECTED, FlagCode.OUT_OF_AREA}


def test_no_fix_is_a_flag_not_a_rejection() -> None:
    check = check_location(None, STORE)
    assert check.distance_m is None
    assert codes(check) == {FlagCode.NO_LOCATION}


def test_accuracy_widens_the_area() -> None:
    # 407 m from the centre of a 300 m area: outside with 100 m accuracy, inside with 110 m
    lat = 45.8131 + 407 / 111_195.08  # metres per degree of latitude on the mean sphere
    assert codes(check_location(Fix(lat, 15.9775, 100), STORE)) == {FlagCode.OUT_OF_AREA}
    assert codes(check_location(Fix(lat, 15.9775, 110), STORE)) == set()
    assert codes(check_location(Fix(lat, 15.9775, None), STORE)) == {FlagCode.OUT_OF_AREA}


def test_same_point_and_antipodes() -> None:
    assert haversine_m(45.0, 16.0, 45.0, 16.0) == 0
    assert haversine_m(0, 0, 0, 180) == pytest.approx(3.141592653589793 * 6_371_008.8)


@pytest.mark.parametrize(
    ("lat", "lon", "accuracy"), [(91, 0, 5), (0, -181, 5), (float("nan"), 0, 5), (0, 0, -1), (0, 0, float("inf"))]
)
def test_bad_fixes_are_refused(lat: float, lon: float, accuracy: float) -> None:
    with pytest.raises(ValueError):
        Fix(lat, lon, accuracy)


def test_bad_area_is_refused() -> None:
    with pytest.raises(ValueError, match="radius"):
        Area(45.8, 15.9, 0)
