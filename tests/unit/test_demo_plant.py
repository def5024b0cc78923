"""The demo plant generator, checked on its own rows (no database).

What a seeded graph must satisfy is checked here on exactly what would be written:
determinism, validity against the domain model, dependency order (no stub nodes),
time-ordered acyclic genealogy, lot mass balance, and a believable shape.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

import pytest

from domain.nodes import MODEL_BY_LABEL
from graph.bulk import NodeChunk, validate_chunk
from ingest.demo import DemoPlant, ScaleError, generate_plant, parse_scale
from ingest.demo.scale import MIN_TARGET_NODES, PRESETS, ScaleSpec
from ingest.demo.timeline import NOW_MS

Row = dict[str, Any]


@pytest.fixture(scope="module")
def plant() -> DemoPlant:
    return generate_plant(parse_scale("small"), 42)


@pytest.fixture(scope="module")
def chunks(plant: DemoPlant) -> list[NodeChunk]:
    return list(plant.chunks())


def rows_of(chunks: list[NodeChunk], label: str) -> Iterator[Row]:
    for chunk in chunks:
        if chunk.label == label:
            yield from chunk.rows


def edges(
    chunk_or_chunks: list[NodeChunk], label: str, rel: str, other: str
) -> Iterator[tuple[Row, Row]]:
    """(row, edge) for every link of kind `rel` to `other` carried by rows of `label`."""
    for chunk in chunk_or_chunks:
        if chunk.label != label:
            continue
        for i, kind in enumerate(chunk.kinds):
            if kind.rel_type == rel and kind.other_label == other:
                for row in chunk.rows:
                    for edge in row["edges"][i]:
                        yield row, edge


# --- scale -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("small", PRESETS["small"]),
        (" Medium ", PRESETS["medium"]),
        ("large", PRESETS["large"]),
        ("200", 200),
        ("20000", 20_000),
        ("50k", 50_000),
        ("1.2m", 1_200_000),
        ("1_000_000", 1_000_000),
        (30_000, 30_000),
    ],
)
def test_parse_scale_accepts_presets_and_counts(text: str | int, target: int) -> None:
    assert parse_scale(text).target_nodes == target


@pytest.mark.parametrize("text", ["tiny", "", "199", "0", "-5", "1.5k5", "12.5", "10e3", "999m"])
def test_parse_scale_rejects_with_a_clear_error(text: str) -> None:
    with pytest.raises(ScaleError, match="scale"):
        parse_scale(text)


def test_large_is_sized_for_a_million_nodes() -> None:
    assert PRESETS["large"] >= 1_000_000
    assert MIN_TARGET_NODES == 200


# --- determinism -------------------------------------------------------------------------
def test_same_seed_gives_identical_chunks(chunks: list[NodeChunk]) -> None:
    again = list(generate_plant(parse_scale("small"), 42).chunks())
    assert [(c.label, c.kinds, c.rows) for c in again] == [
        (c.label, c.kinds, c.rows) for c in chunks
    ]


def test_chunks_can_be_streamed_twice(plant: DemoPlant, chunks: list[NodeChunk]) -> None:
    assert [c.rows for c in plant.chunks()] == [c.rows for c in chunks]


def test_different_seed_gives_a_different_plant(chunks: list[NodeChunk]) -> None:
    other = list(generate_plant(parse_scale("small"), 7).chunks())
    assert [c.rows for c in other] != [c.rows for c in chunks]


def test_generation_does_not_touch_global_random() -> None:
    import random

    random.seed(123)
    expected = random.random()
    random.seed(123)
    generate_plant(ScaleSpec("300", 300), 1)
    assert random.random() == expected


# --- validity and counts -----------------------------------------------------------------
def test_every_chunk_validates_against_the_domain_model(chunks: list[NodeChunk]) -> None:
    for chunk in chunks:
        validate_chunk(chunk)


def test_rows_are_in_stored_form(chunks: list[NodeChunk]) -> None:
    """What is written equals what the model would store: epoch-ms ints, floats, enums."""
    for chunk in chunks:
        model = MODEL_BY_LABEL[chunk.label]
        for row in chunk.rows:
            assert row["id"] == row["props"]["id"]
            stored = model.model_validate(row["props"]).to_row()
            assert stored == row["props"]
            for key, value in stored.items():
                assert type(row["props"][key]) is type(value), (chunk.label, key)


def test_expected_counts_match_what_is_yielded(plant: DemoPlant, chunks: list[NodeChunk]) -> None:
    nodes: Counter[str] = Counter()
    rels: Counter[str] = Counter()
    for chunk in chunks:
        nodes[chunk.label] += len(chunk.rows)
        for i, kind in enumerate(chunk.kinds):
            rels[kind.rel_type] += sum(len(row["edges"][i]) for row in chunk.rows)
    assert dict(nodes) == {k: v for k, v in plant.node_counts.items() if v}
    assert dict(rels) == {k: v for k, v in plant.relationship_counts.items() if v}
    assert plant.expected_nodes == sum(len(c.rows) for c in chunks)
    assert plant.expected_relationships == sum(c.relationship_count for c in chunks)


def test_small_is_in_its_size_band(plant: DemoPlant) -> None:
    assert 5_000 <= plant.expected_nodes <= 10_000
    assert plant.expected_relationships > 2 * plant.expected_nodes


def test_chunks_respect_the_row_limit(plant: DemoPlant) -> None:
    small_chunks = list(plant.chunks(chunk_rows=500))
    assert max(len(c.rows) for c in small_chunks) <= 500
    assert sum(len(c.rows) for c in small_chunks) == plant.expected_nodes


def test_ids_are_unique_per_label(chunks: list[NodeChunk]) -> None:
    seen: dict[str, set[str]] = defaultdict(set)
    for chunk in chunks:
        for row in chunk.rows:
            assert row["id"] not in seen[chunk.label]
            seen[chunk.label].add(row["id"])


def test_every_link_points_at_a_node_written_before(chunks: list[NodeChunk]) -> None:
    """The bulk statement MERGEs the far end by id: a missing one would become a stub."""
    written: set[tuple[str, str]] = set()
    for chunk in chunks:
        for row in chunk.rows:
            for kind, links in zip(chunk.kinds, row["edges"], strict=True):
                for link in links:
                    assert (kind.other_label, link["id"]) in written, (chunk.label, row["id"], kind)
            written.add((chunk.label, row["id"]))


def test_no_duplicate_relationship_in_a_row(chunks: list[NodeChunk]) -> None:
    """MERGE would fold two identical links into one and the counts would drift."""
    for chunk in chunks:
        for row in chunk.rows:
            ends = [
                (k.rel_type, k.other_label, e["id"])
                for k, es in zip(chunk.kinds, row["edges"], strict=True)
                for e in es
            ]
            assert len(ends) == len(set(ends)), row["id"]


# --- genealogy ---------------------------------------------------------------------------
def test_genealogy_runs_forward_in_time_and_is_acyclic(chunks: list[NodeChunk]) -> None:
    batches = {row["id"]: row["props"] for row in rows_of(chunks, "Batch")}
    graph: dict[str, list[str]] = defaultdict(list)
    for row, edge in edges(chunks, "Batch", "CONSUMED", "Batch"):
        source = batches[edge["id"]]
        assert source["completed_at"] <= row["props"]["started_at"]
        graph[row["id"]].append(edge["id"])
    # Kahn's algorithm: every batch can be ordered, so there is no cycle.
    indegree = Counter(t for targets in graph.values() for t in targets)
    ready = [b for b in batches if indegree[b] == 0]
    ordered = 0
    while ready:
        node = ready.pop()
        ordered += 1
        for target in graph[node]:
            indegree[target] -= 1
            if indegree[target] == 0:
                ready.append(target)
    assert ordered == len(batches)


def test_lot_quantity_is_initial_minus_consumed(chunks: list[NodeChunk]) -> None:
    consumed: dict[str, float] = defaultdict(float)
    users: Counter[str] = Counter()
    for _, edge in edges(chunks, "Batch", "CONSUMED", "MaterialLot"):
        consumed[edge["id"]] += edge["props"]["qty"]
        users[edge["id"]] += 1
    lots = list(rows_of(chunks, "MaterialLot"))
    for row in lots:
        p = row["props"]
        assert p["quantity"] >= 0
        assert abs(p["initial_quantity"] - consumed[row["id"]] - p["quantity"]) < 1e-6
        assert (p["status"] == "consumed") == (p["quantity"] == 0)
        if p["status"] in ("rejected", "quarantine"):
            assert consumed[row["id"]] == 0
    # A lot feeds many batches until it is used up.
    assert max(users.values()) >= 10
    assert sum(1 for row in lots if row["props"]["status"] == "rejected") > 0


def test_batches_consume_several_lots_of_one_material(chunks: list[NodeChunk]) -> None:
    material_of = {row["id"]: row["edges"][0][0]["id"] for row in rows_of(chunks, "MaterialLot")}
    per_batch_material: Counter[tuple[str, str]] = Counter()
    for row, edge in edges(chunks, "Batch", "CONSUMED", "MaterialLot"):
        per_batch_material[(row["id"], material_of[edge["id"]])] += 1
    assert max(per_batch_material.values()) >= 2


def test_supplier_lot_numbers_are_unique_per_supplier(chunks: list[NodeChunk]) -> None:
    seen: set[tuple[str, str]] = set()
    for row in rows_of(chunks, "MaterialLot"):
        key = (row["edges"][1][0]["id"], row["props"]["supplier_lot"])
        assert key not in seen
        seen.add(key)
        assert re.fullmatch(r"[A-Z0-9][A-Z0-9/-]{5,}", key[1]), key[1]


def upstream_depth(chunks: list[NodeChunk]) -> tuple[dict[str, int], dict[str, str]]:
    """Longest CONSUMED path (hops) from each batch down to a lot, and each batch's product."""
    product_of_wo = {row["id"]: row["edges"][0][0]["id"] for row in rows_of(chunks, "WorkOrder")}
    depth: dict[str, int] = {}
    product: dict[str, str] = {}
    for chunk in chunks:
        if chunk.label != "Batch":
            continue
        for row in chunk.rows:  # written in start order, so inputs come first
            product[row["id"]] = product_of_wo[row["edges"][0][0]["id"]]
            d = 1 if row["edges"][2] else 0
            for edge in row["edges"][3]:
                d = max(d, depth[edge["id"]] + 1)
            depth[row["id"]] = d
    return depth, product


def test_carry_over_builds_deep_traces_on_a_medium_like_plant() -> None:
    chunks = list(generate_plant(parse_scale("30000"), 42).chunks())
    depth, product = upstream_depth(chunks)
    assert max(depth.values()) >= 8
    heels = [
        (row["id"], edge["id"])
        for row, edge in edges(chunks, "Batch", "CONSUMED", "Batch")
        if product[row["id"]] == product[edge["id"]]
    ]
    assert len(heels) > 100  # heel carry-over: the previous batch of the same product
    finished = {
        row["id"] for row in rows_of(chunks, "Product") if row["props"]["kind"] == "finished"
    }
    assert max(d for b, d in depth.items() if product[b] in finished) >= 8


# --- a believable plant ------------------------------------------------------------------
def test_bill_of_materials_has_two_to_four_product_levels(chunks: list[NodeChunk]) -> None:
    products = {row["id"]: row for row in rows_of(chunks, "Product")}

    def levels(product_id: str) -> int:
        subs = products[product_id]["edges"][1]
        return 1 + max((levels(e["id"]) for e in subs), default=0)

    finished = [p for p, row in products.items() if row["props"]["kind"] == "finished"]
    depths = {levels(p) for p in finished}
    assert min(depths) >= 2
    assert max(depths) == 4
    for row in products.values():
        assert row["edges"][0] or row["edges"][1]


def test_materials_have_one_to_three_suppliers(chunks: list[NodeChunk]) -> None:
    suppliers: dict[str, set[str]] = defaultdict(set)
    for row, edge in edges(chunks, "MaterialLot", "SUPPLIED_BY", "Supplier"):
        suppliers[row["edges"][0][0]["id"]].add(edge["id"])
    assert all(1 <= len(s) <= 3 for s in suppliers.values())
    assert any(len(s) > 1 for s in suppliers.values())


def test_lots_come_from_the_supplier_of_their_purchase_order(chunks: list[NodeChunk]) -> None:
    po_supplier = {row["id"]: row["edges"][0][0]["id"] for row in rows_of(chunks, "PurchaseOrder")}
    po_material = {row["id"]: row["edges"][1][0]["id"] for row in rows_of(chunks, "PurchaseOrder")}
    for row in rows_of(chunks, "MaterialLot"):
        po = row["edges"][2][0]["id"]
        assert po_supplier[po] == row["edges"][1][0]["id"]
        assert po_material[po] == row["edges"][0][0]["id"]


def test_equipment_is_named_like_a_real_plant(chunks: list[NodeChunk]) -> None:
    machines = list(rows_of(chunks, "Machine"))
    assert all(re.fullmatch(r"M-\d{4}", m["id"]) for m in machines)
    kinds = {m["props"]["kind"] for m in machines}
    assert {"Reactor", "Filler", "Mixer"} <= kinds
    serials = [(m["props"]["manufacturer"], m["props"]["serial_number"]) for m in machines]
    assert len(serials) == len(set(serials))
    text = " ".join(str(v) for c in chunks for r in c.rows for v in r["props"].values())
    assert "foo" not in text.lower()


def test_operations_form_a_sequence_on_one_line(chunks: list[NodeChunk]) -> None:
    line_of = {row["id"]: row["edges"][0][0]["id"] for row in rows_of(chunks, "Machine")}
    by_wo: dict[str, list[Row]] = defaultdict(list)
    for row in rows_of(chunks, "Operation"):
        by_wo[row["edges"][0][0]["id"]].append(row)
    assert len(by_wo) == sum(1 for _ in rows_of(chunks, "WorkOrder"))
    for ops in by_wo.values():
        assert 2 <= len(ops) <= 4
        assert [op["props"]["sequence"] for op in ops] == list(range(1, len(ops) + 1))
        assert {line_of[op["edges"][1][0]["id"]] for op in ops} == {
            line_of[ops[0]["edges"][1][0]["id"]]
        }
        assert not ops[0]["edges"][3]
        for prev, op in pairwise(ops):
            assert op["edges"][3][0]["id"] == prev["id"]
        for op in ops:
            assert bool(op["edges"][2]) == ("actual_start" in op["props"])


def test_statuses_agree_with_the_clock(chunks: list[NodeChunk]) -> None:
    sales = {row["id"]: row["props"] for row in rows_of(chunks, "SalesOrder")}
    statuses = Counter(p["status"] for p in sales.values())
    assert {"open", "in_production", "shipped", "closed", "cancelled"} <= set(statuses)
    shipped_orders = {
        edge["id"] for _, edge in edges(chunks, "Shipment", "FOR_ORDER", "SalesOrder")
    }
    for so, p in sales.items():
        if p["status"] in ("shipped", "closed"):
            assert so in shipped_orders
        if p["status"] == "closed":
            assert p["ordered_at"] < NOW_MS - 14 * 86_400_000
    batch_status = {}
    for row in rows_of(chunks, "Batch"):
        p = row["props"]
        assert p["started_at"] <= NOW_MS
        assert ("completed_at" in p) == (p["status"] != "in_progress")
        batch_status[row["id"]] = p["status"]
    for wo in rows_of(chunks, "WorkOrder"):
        p = wo["props"]
        if p["status"] in ("planned", "released", "cancelled"):
            assert "actual_start" not in p
        if p["status"] == "completed":
            assert p["actual_end"] <= NOW_MS
        if wo["edges"][1] and sales[wo["edges"][1][0]["id"]]["status"] == "cancelled":
            assert p["status"] == "cancelled"
    for row, edge in edges(chunks, "Shipment", "CONTAINS", "Batch"):
        assert batch_status[edge["id"]] == "released"
        assert ("shipped_at" in row["props"]) == (row["props"]["status"] != "planned")


def test_quality_events_cover_lots_batches_and_machines(chunks: list[NodeChunk]) -> None:
    kinds = Counter(row["props"]["kind"] for row in rows_of(chunks, "QualityEvent"))
    assert {"inspection_failed", "inspection_passed", "deviation", "nonconformance"} <= set(kinds)
    for other in ("MaterialLot", "Batch", "Machine"):
        assert any(True for _ in edges(chunks, "QualityEvent", "CONCERNS", other))


def test_tiny_plants_still_work() -> None:
    plant = generate_plant(parse_scale("200"), 3)
    chunks = list(plant.chunks())
    for chunk in chunks:
        validate_chunk(chunk)
    assert plant.expected_nodes == sum(len(c.rows) for c in chunks)
    assert plant.stats["missing"] == 0


def test_simulation_needs_no_stock_fallbacks(plant: DemoPlant) -> None:
    """Intermediate stock always covers demand: genealogy quantities add up."""
    assert plant.stats["fallbacks"] == 0
    assert plant.stats["missing"] == 0
