"""BOM explosion against a hand computation: three levels, non-unit quantities, scrap."""

from __future__ import annotations

import pytest

from planning.mrp.explode import BomError, BomLine, explode, low_level_codes

# P (paint, per can): 2 x A (tint base, 10 % scrap), 0.5 kg R1 (resin)
# A (tint base):      3 x B (binder), 1.5 L R2 (solvent, 20 % scrap)
# B (binder):         0.25 kg R1 (resin, 4 % scrap)
LINES = [
    BomLine("P", "A", 2, "pcs", scrap=0.10),
    BomLine("P", "R1", 0.5, "kg"),
    BomLine("A", "B", 3, "pcs"),
    BomLine("A", "R2", 1.5, "L", scrap=0.20),
    BomLine("B", "R1", 0.25, "kg", scrap=0.04),
]


def test_three_levels_with_scrap_match_the_hand_computation() -> None:
    result = explode({"P": 10}, LINES)
    a = 10 * 2 * 1.10  # 22
    b = a * 3  # 66
    r2 = a * 1.5 * 1.20  # 39.6
    r1 = 10 * 0.5 + b * 0.25 * 1.04  # 5 + 17.16
    assert result.gross == pytest.approx({"P": 10, "A": a, "B": b, "R2": r2, "R1": r1})
    # R1 is used at levels 1 and 3: its low-level code is the deeper one.
    assert result.level == {"P": 0, "A": 1, "B": 2, "R2": 2, "R1": 3}


def test_pegs_say_which_parent_needs_what() -> None:
    result = explode({"P": 10}, LINES)
    r1 = {(p.parent, round(p.quantity, 6)) for p in result.pegs if p.item == "R1"}
    assert r1 == {("P", 5.0), ("B", 17.16)}
    assert sum(p.quantity for p in result.pegs if p.item == "R1") == pytest.approx(22.16)


def test_two_demands_add_up_and_a_component_demand_counts_too() -> None:
    result = explode({"P": 10, "A": 5}, LINES)
    assert result.gross["A"] == pytest.approx(27)
    assert result.gross["B"] == pytest.approx(81)


def test_low_level_codes_and_cycles() -> None:
    assert low_level_codes(LINES)["R1"] == 3
    with pytest.raises(BomError, match="cycle: A -> B -> A"):
        low_level_codes(
            [
                BomLine("P", "A", 1, "pcs"),
                *[BomLine("A", "B", 1, "pcs")],
                BomLine("B", "A", 1, "pcs"),
            ]
        )
    with pytest.raises(BomError, match="cycle"):
        low_level_codes([BomLine("X", "Y", 1, "pcs"), BomLine("Y", "X", 1, "pcs")])


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (lambda: BomLine("P", "P", 1, "pcs"), "itself"),
        (lambda: BomLine("P", "A", 0, "pcs"), "positive"),
        (lambda: BomLine("P", "A", float("nan"), "pcs"), "positive"),
        (lambda: BomLine("P", "A", 1, "pcs", scrap=1.0), "scrap"),
        (lambda: BomLine("P", "A", 1, "pcs", scrap=-0.1), "scrap"),
    ],
)
def test_bad_lines_are_refused_by_name(line: object, message: str) -> None:
    with pytest.raises(BomError, match=message):
        line()  # type: ignore[operator]


def test_bad_demand_is_refused() -> None:
    with pytest.raises(BomError, match="non-negative"):
        explode({"P": -1}, LINES)
