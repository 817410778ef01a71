"""Circular 25 sheet codes and frames, area tolerance and zig-zag numbering."""
import numpy as np
import pytest
import shapely

from cadastre_cleaner.core.errors import InputError
from cadastre_cleaner.core.reference.sheet_grid import (
    POSITIONAL_ACCURACY_M, SCALES, SHEET_SIZE_M, GridSettings, area_tolerance, sheet_code,
    sheet_frame, sheet_scale, zigzag_order)

# (northing X, easting Y): Lạng Sơn, a point on grid lines, the south of the country
POINTS = [(2_431_234.5, 447_890.1), (2_430_000.0, 447_000.0), (1_205_432.1, 612_345.6),
          (2_439_999.9, 430_000.1)]


@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize("x, y", POINTS)
def test_code_frame_code_round_trip(scale, x, y):
    code = sheet_code(x, y, scale)
    frame = sheet_frame(code, x_hint_m=x)
    assert frame.covers(shapely.Point(y, x))            # x = easting, y = northing
    centre = frame.centroid
    assert sheet_code(centre.y, centre.x, scale) == code
    assert sheet_scale(code) == scale


@pytest.mark.parametrize("scale", SCALES)
def test_frame_is_a_square_of_the_scale_size(scale):
    frame = sheet_frame(sheet_code(*POINTS[0], scale), x_hint_m=POINTS[0][0])
    minx, miny, maxx, maxy = frame.bounds
    assert maxx - minx == maxy - miny == SHEET_SIZE_M[scale]
    assert frame.area == SHEET_SIZE_M[scale] ** 2


def test_code_forms_follow_the_circular():
    x, y = 2_431_700, 445_300
    assert sheet_code(x, y, 10000) == "10-436444"
    assert sheet_code(x, y, 5000) == "433444"
    assert sheet_code(x, y, 2000) == "433444-5"
    assert sheet_code(x, y, 1000) == "433444-5-a"
    assert sheet_code(x, y, 500) == "433444-5-(6)"
    assert sheet_code(x, y, 200) == "433444-5-24"


def test_a_point_on_a_grid_line_belongs_to_the_cell_north_east_of_it():
    assert sheet_code(2_430_000, 447_000, 2000) == sheet_code(2_430_000.5, 447_000.5, 2000)


def test_2000_sheets_are_numbered_1_to_9_left_to_right_top_to_bottom():
    top, left = 2_433_000, 444_000      # NW corner of 1:5000 sheet 433444
    numbers = [[sheet_code(top - 500 - 1000 * r, left + 500 + 1000 * c, 2000) for c in range(3)]
               for r in range(3)]
    assert numbers == [["433444-1", "433444-2", "433444-3"],
                       ["433444-4", "433444-5", "433444-6"],
                       ["433444-7", "433444-8", "433444-9"]]


def test_1000_sheets_are_a_b_c_d_left_to_right_top_to_bottom():
    top, left = 2_433_000, 444_000      # NW corner of 1:2000 sheet 433444-1
    letters = [[sheet_code(top - 250 - 500 * r, left + 250 + 500 * c, 1000)[-1] for c in range(2)]
               for r in range(2)]
    assert letters == [["a", "b"], ["c", "d"]]


def test_500_and_200_sheets_count_from_the_north_west():
    top, left = 2_433_000, 444_000
    assert sheet_code(top - 1, left + 1, 500).endswith("-(1)")
    assert sheet_code(top - 999, left + 999, 500).endswith("-(16)")
    assert sheet_code(top - 1, left + 999, 200).endswith("-10")
    assert sheet_code(top - 999, left + 999, 200).endswith("-100")


def test_domain_example_codes():
    # 725500-6: middle row, right column of 1:5000 sheet 725500
    assert sheet_frame("725500-6").bounds == (502_000, 723_000, 503_000, 724_000)
    assert sheet_frame("725500-6-d").bounds == (502_500, 723_000, 503_000, 723_500)
    assert sheet_frame("725500-6-(11)").bounds == (502_500, 723_250, 502_750, 723_500)
    assert sheet_frame("725500-6-25").bounds == (502_400, 723_700, 502_500, 723_800)
    assert sheet_frame("10-728494").bounds == (494_000, 722_000, 500_000, 728_000)


def test_grid_origin_is_a_setting():
    # DOMAIN.md's 10-728494 is on a 6-km grid through 2 km, not 0
    shifted = GridSettings(origin_x_m=2000, origin_y_m=2000)
    assert sheet_code(727_000, 495_000, 10000, shifted) == "10-728494"
    assert sheet_code(727_000, 495_000, 10000) == "10-732492"
    with pytest.raises(ValueError):
        GridSettings(origin_x_m=1500)


def test_x_hint_restores_the_dropped_thousands_of_km():
    code = sheet_code(2_431_500, 445_500, 2000)
    assert sheet_frame(code).bounds[1] == 431_000
    assert sheet_frame(code, x_hint_m=2_431_500).bounds[1] == 2_431_000
    assert sheet_frame(code, x_hint_m=2_400_000).bounds[1] == 2_431_000


@pytest.mark.parametrize("bad", ["", "12345", "10-72849", "725500-0", "725500-6-e", "725500-6-(17)",
                                 "725500-6-101", "10-728494-1", "TĐ03-2014"])
def test_malformed_codes_are_refused(bad):
    with pytest.raises(InputError):
        sheet_frame(bad)


def test_accuracy_table_covers_every_scale():
    assert set(POSITIONAL_ACCURACY_M) == set(SCALES)


def test_area_tolerance_is_factor_times_scale_times_root_area():
    assert area_tolerance(np.array([100.0, 400.0]), 1000) == pytest.approx([4.0, 8.0])
    assert area_tolerance([100.0, 100.0], np.array([1000, 2000])) == pytest.approx([4.0, 8.0])
    assert area_tolerance(400.0, 2000, factor=0.0002) == pytest.approx(8.0)
    assert area_tolerance([-5.0], 1000) == pytest.approx([0.0])


def test_zigzag_numbers_a_two_by_three_grid_as_a_serpentine():
    # centres of a 3 wide × 2 high grid of 10 m cells, given in a scrambled order
    x = np.array([25, 5, 15, 5, 25, 15], dtype=float)
    y = np.array([5, 15, 5, 5, 15, 15], dtype=float)
    ranks = zigzag_order(x, y, band_height=10, top=20)
    # north row west → east: 1 2 3; south row east → west: 4 5 6
    expected = {(5, 15): 1, (15, 15): 2, (25, 15): 3, (25, 5): 4, (15, 5): 5, (5, 5): 6}
    assert [expected[(a, b)] for a, b in zip(x, y)] == ranks.tolist()


def test_zigzag_bands_start_at_the_northernmost_point_by_default():
    x = np.array([0.0, 10.0, 20.0])
    y = np.array([100.0, 98.0, 80.0])
    assert zigzag_order(x, y, band_height=10).tolist() == [1, 2, 3]


def test_zigzag_numbers_each_group_on_its_own():
    x = np.array([0.0, 10.0, 0.0, 10.0])
    y = np.array([5.0, 5.0, 5.0, 5.0])
    groups = np.array(["b", "a", "a", "b"])
    assert zigzag_order(x, y, 10, top=10, groups=groups).tolist() == [1, 2, 1, 2]
