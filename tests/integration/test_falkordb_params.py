"""Parameters reach the embedded FalkorDB intact, on the fast JSON path and the fallback."""

from __future__ import annotations

from typing import Any

import pytest

from graph.errors import QueryError
from graph.falkordb_store import encode_param
from graph.store import GraphStore

AWKWARD: list[Any] = [
    "plain",
    "line1\nline2\ttab\r end",
    "control \x01 and \x1f chars",
    "form\x0cfeed and back\x08space",
    'quote " and backslash \\ and \\n literally',
    "C:\\users\\bob",
    "x' RETURN 'INJECTED' AS v //",
    "braces {not: a map}",
    "unicode é ✓ \u2028 😀",
    123456789012345678,
    1e-07,
    123.456789012345,
    -0.5,
    True,
    None,
    [1.5, "x", None, False, ["nested", 2]],
    {"a": [1, 'q"}'], "b c": {"d": None}},
    [["B-1", 2.5, [["LOT-1", 1.0, "kg"], ["LOT-2", 0.25, "kg"]]]],
]


@pytest.mark.parametrize("value", AWKWARD, ids=[repr(v)[:30] for v in AWKWARD])
async def test_parameter_round_trips(session_store: GraphStore, value: Any) -> None:
    rows = await session_store.read("RETURN $v AS v", {"v": value})
    assert rows == [{"v": value}]


async def test_a_nul_character_is_a_clear_error(session_store: GraphStore) -> None:
    with pytest.raises(QueryError, match="NUL"):
        await session_store.read("RETURN $v AS v", {"v": ["ok", "bad\x00"]})


def test_fast_path_is_plain_json_only_when_safe() -> None:
    assert encode_param([["B-1", 2.5, None, True]]) == '[["B-1", 2.5, null, true]]'
    assert encode_param("tab\there") == '"tab\\there"'
    assert encode_param({"a": 1}) == "{`a`:1}"  # maps take the client's quoting
    assert encode_param("bell\x07") != '"bell\\u0007"'  # FalkorDB reads no \\u escapes
