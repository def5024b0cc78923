"""The live snapshot over the real embedded graph seeded with the small demo plant."""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from datetime import UTC, datetime

import numpy as np
import pytest

from domain.nodes import StateChange
from domain.relationships import StateOf
from graph import live_features as lf
from graph.live_values import TagBinding, TagValue, ensure_tags, write_values
from graph.migrations import migrate
from graph.snapshot_reads import read_edges, read_nodes
from graph.store import GraphStore
from graph.upserts import upsert_nodes, upsert_relationships
from inference.live_snapshot import BATCH_PROPS, LOT_PROPS, WO_PROPS, _build, _Reads, live_snapshot
from inference.simulation.features import FEATURES
from inference.snapshot import NODE_TYPES, GraphSnapshot
from ingest.demo.scale import parse_scale
from ingest.demo.seed import seed_plant
from ingest.demo.timeline import NOW_MS

pytestmark = pytest.mark.asyncio(loop_scope="session")

NOW = datetime.fromtimestamp(NOW_MS / 1000, UTC)
H_MS = 3_600_000


@pytest.fixture(scope="module")
async def plant(session_store: GraphStore) -> GraphStore:
    await session_store.drop_all()
    await migrate(session_store)
    await seed_plant(session_store, parse_scale("small"), 42, validate=False)
    return session_store


def col(snap: GraphSnapshot, kind: str, node_id: str, name: str) -> float:
    table = snap.nodes[kind]
    return float(table.features[table.ids.index(node_id), table.feature_names.index(name)])


async def test_shape_matches_the_simulator_contract(plant: GraphStore) -> None:
    snap = await live_snapshot(plant, NOW)
    assert set(snap.nodes) == set(NODE_TYPES)
    for kind, table in snap.nodes.items():
        assert table.feature_names == FEATURES[kind]
        assert table.features.dtype == np.float32
        assert np.isfinite(table.features).all(), kind
        assert len(set(table.ids)) == len(table.ids)
    for kind in ("machine", "material", "supplier", "sales_order", "work_order", "batch"):
        assert snap.nodes[kind].ids, kind
    for (src, _, dst), index in snap.edges.items():
        assert index.dtype == np.int64 and index.shape[0] == 2
        assert index.shape[1] > 0
        assert (index >= 0).all()
        assert (index[0] < len(snap.nodes[src].ids)).all()
        assert (index[1] < len(snap.nodes[dst].ids)).all()
    assert snap.labels == {} and snap.seed is None and snap.at == NOW
    # selection: only open sales orders ordered by now
    status = {r["id"]: r for r in await read_nodes(plant, "SalesOrder", ["status", "ordered_at"])}
    expected = sorted(
        i
        for i, r in status.items()
        if r["status"] in ("open", "in_production") and r["ordered_at"] <= NOW_MS
    )
    assert sorted(snap.nodes["sales_order"].ids) == expected


async def test_machine_telemetry_follows_its_tags(plant: GraphStore) -> None:
    machines = await read_nodes(plant, "Machine", ["state"])
    busy = next(m["id"] for m in machines if m["state"] == "executing")
    stale = next(m["id"] for m in machines if m["id"] != busy)
    values = {
        "torque": 52.5,
        "rotational_speed": 1420.0,
        "air_temperature": 300.1,
        "process_temperature": 310.4,
        "tool_wear": 120.0,
    }
    bindings = [TagBinding(m, p, f"ns=2;s={m}.{p}") for m in (busy, stale) for p in values]
    await ensure_tags(plant, bindings)
    fresh, old = NOW_MS - 60_000, NOW_MS - 10 * H_MS
    await write_values(
        plant,
        [TagValue(f"{busy}/{p}", v, fresh, "good", "Good") for p, v in values.items()]
        + [TagValue(f"{stale}/{p}", v, old, "good", "Good") for p, v in values.items()],
    )
    # a bad reading afterwards keeps the last good value
    await write_values(plant, [TagValue(f"{busy}/torque", 999.0, fresh + 1, "bad", "Bad")])

    snap = await live_snapshot(plant, NOW)
    torque, speed = values["torque"], values["rotational_speed"]
    power = torque * speed * 2 * math.pi / 60
    assert col(snap, "machine", busy, "telemetry_missing") == 0.0
    assert col(snap, "machine", busy, "busy_share_8h") > 0.0
    for name in ("torque_last", "torque_mean_8h", "torque_max_8h"):
        assert col(snap, "machine", busy, name) == pytest.approx(torque)
    assert col(snap, "machine", busy, "speed_min_8h") == pytest.approx(speed)
    assert col(snap, "machine", busy, "power_mean_8h") == pytest.approx(power, rel=1e-5)
    gap = values["process_temperature"] - values["air_temperature"]
    assert col(snap, "machine", busy, "temp_gap_min_8h") == pytest.approx(gap, rel=1e-4)
    assert col(snap, "machine", busy, "wear_x_torque_last") == pytest.approx(120.0 * torque)
    # tags older than the 8 h window are no telemetry
    assert col(snap, "machine", stale, "telemetry_missing") == 1.0
    assert col(snap, "machine", stale, "torque_last") == 0.0


async def test_failures_7d_counts_outages_in_the_window(plant: GraphStore) -> None:
    machine = (await read_nodes(plant, "Machine", []))[-1]["id"]
    before = col(await live_snapshot(plant, NOW), "machine", machine, "failures_7d")
    offsets_h = {"in-1": -150, "in-2": -20, "old": -8 * 24, "future": 2}
    await upsert_nodes(
        plant,
        StateChange,
        [
            {
                "id": f"SC-test-{name}",
                "from_state": "executing",
                "to_state": "out_of_service",
                "at": NOW_MS + h * H_MS,
            }
            for name, h in offsets_h.items()
        ],
    )
    await upsert_relationships(
        plant, StateOf, [{"source_id": f"SC-test-{n}", "target_id": machine} for n in offsets_h]
    )
    after = col(await live_snapshot(plant, NOW), "machine", machine, "failures_7d")
    assert after == before + 2


async def test_lot_defect_share_is_found_over_made(plant: GraphStore) -> None:
    lots = (await live_snapshot(plant, NOW)).nodes["material_lot"]
    made = lots.features[:, lots.feature_names.index("batches_made")]
    found = lots.features[:, lots.feature_names.index("batches_found_defective")]
    share = lots.features[:, lots.feature_names.index("found_defective_share")]
    assert (found <= made).all() and (share[made == 0] == 0).all()
    np.testing.assert_allclose(share[made > 0], found[made > 0] / made[made > 0], rtol=1e-6)
    assert (share > 0).any(), "the demo plant's defective batches should show on some lot"


async def test_derived_edges_match_traversals(plant: GraphStore) -> None:
    snap = await live_snapshot(plant, NOW)
    wos, mats = snap.nodes["work_order"].ids, snap.nodes["material"].ids
    got = {(wos[a], mats[b]) for a, b in snap.edges[("work_order", "needs", "material")].T}
    makes = await read_edges(plant, "WorkOrder", "MAKES", "Product")
    bom = await read_edges(plant, "Product", "HAS_COMPONENT", "Material")
    expected = {(w, m) for w, p in makes if w in set(wos) for q, m in bom if q == p}
    assert got == expected and got

    sups = snap.nodes["supplier"].ids
    got_s = {(mats[a], sups[b]) for a, b in snap.edges[("material", "supplied_by", "supplier")].T}
    placed = {
        r["id"] for r in await read_nodes(plant, "PurchaseOrder", ["ordered_at"])
        if r["ordered_at"] <= NOW_MS
    }  # fmt: skip
    po_mat = dict(await read_edges(plant, "PurchaseOrder", "FOR_MATERIAL", "Material"))
    po_sup = dict(await read_edges(plant, "PurchaseOrder", "FROM", "Supplier"))
    assert got_s == {(po_mat[p], po_sup[p]) for p in placed if p in po_mat and p in po_sup}


async def whole_history_reads(store: GraphStore) -> _Reads:
    """The snapshot's reads the slow way: every node, edge and aggregate of the history."""
    ops = await read_nodes(
        store,
        "Operation",
        ["sequence", "status", "ideal_cycle_time_s", "actual_start", "actual_end"],
    )
    specs = {
        "fulfills": ("WorkOrder", "FULFILLS", "SalesOrder"),
        "has_operation": ("WorkOrder", "HAS_OPERATION", "Operation"),
        "runs_on": ("Operation", "RUNS_ON", "Machine"),
        "makes": ("WorkOrder", "MAKES", "Product"),
        "bom_product": ("Product", "HAS_COMPONENT", "Product"),
        "produced_by": ("Batch", "PRODUCED_BY", "WorkOrder"),
        "produced_on": ("Batch", "PRODUCED_ON", "Machine"),
        "consumed_lot": ("Batch", "CONSUMED", "MaterialLot"),
        "consumed_batch": ("Batch", "CONSUMED", "Batch"),
        "of_material": ("MaterialLot", "OF_MATERIAL", "Material"),
        "lot_supplier": ("MaterialLot", "SUPPLIED_BY", "Supplier"),
    }
    edges = {k: sorted(await read_edges(store, *spec)) for k, spec in specs.items()}
    work_orders = {r["id"]: r for r in await read_nodes(store, "WorkOrder", WO_PROPS)}
    product_of = dict(edges["makes"])
    quantities: dict[str, list[float]] = defaultdict(list)
    for w, wo in work_orders.items():
        quantities[product_of.get(w, "")].append(float(wo["quantity"] or 0.0))
    lots = await read_nodes(store, "MaterialLot", LOT_PROPS)
    outcomes = await lf.lot_outcomes(store, NOW_MS)
    received = {lot["id"] for lot in lots if lot["received_at"] <= NOW_MS}
    supplier_lots: dict[str, tuple[int, int]] = {}
    for lot, sup in edges["lot_supplier"]:
        if lot in received:
            n, bad = supplier_lots.get(sup, (0, 0))
            supplier_lots[sup] = (n + 1, bad + int(outcomes.get(lot, (0, 0))[1] > 0))
    return _Reads(
        machines=await read_nodes(store, "Machine", ["state", "state_at"]),
        sales=await read_nodes(store, "SalesOrder", ["status", "ordered_at", "due_at"]),
        work_orders=work_orders,
        operations={r["id"]: r for r in ops},
        batches=await read_nodes(store, "Batch", BATCH_PROPS),
        lots=lots,
        materials=[r["id"] for r in await read_nodes(store, "Material", [])],
        suppliers=[r["id"] for r in await read_nodes(store, "Supplier", [])],
        product_kind={r["id"]: r["kind"] for r in await read_nodes(store, "Product", ["kind"])},
        edges=edges,
        median_qty={p: statistics.median(q) for p, q in quantities.items()},
        lot_outcomes=outcomes,
        supplier_lots=supplier_lots,
    )


async def test_selective_reads_give_the_whole_history_snapshot(plant: GraphStore) -> None:
    reference = await _build(plant, await whole_history_reads(plant), NOW)
    snap = await live_snapshot(plant, NOW)
    assert set(snap.nodes) == set(reference.nodes)
    for kind, table in reference.nodes.items():
        assert snap.nodes[kind].ids == table.ids, kind
        np.testing.assert_array_equal(snap.nodes[kind].features, table.features, err_msg=kind)
    assert set(snap.edges) == set(reference.edges)
    for key, index in reference.edges.items():
        np.testing.assert_array_equal(snap.edges[key], index, err_msg=str(key))
    # the plant has history outside the selection, so the check covers the cut
    assert len(snap.nodes["batch"].ids) < len(await read_nodes(plant, "Batch", []))
