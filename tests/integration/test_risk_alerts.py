"""Online scoring against the real embedded graph: predictions, alerts, links, events.

The scorer is a deterministic rule (a machine's failure probability is its `wear`; an open
work order's lateness is 0.9 x the worst wear among the machines of its pending operations)
over a snapshot read from the seeded demo plant, so every expectation is computed here.
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from datetime import UTC, datetime

import numpy as np
import pytest

from domain.commands import AcknowledgeAlert
from graph import commands as graph_commands
from graph.predictions import affected_sales_orders
from graph.store import GraphStore
from inference.scoring.events import RISK_ALERTS
from inference.scoring.hysteresis import AlertPolicy
from inference.scoring.loop import ScoringLoop
from inference.scoring.scorer import Explanation, Scores
from inference.snapshot import GraphSnapshot, NodeTable
from ingest.demo.scale import parse_scale
from ingest.demo.seed import seed_plant
from resolvers import topics
from resolvers.events import InProcessBus
from schema.events import RiskAlertEvent

pytestmark = pytest.mark.asyncio(loop_scope="session")

OPEN_SO = ["open", "in_production"]
OPEN_WO = ["planned", "released", "in_progress"]
RUNS_ON = ("work_order", "runs_on", "machine")
FULFILLS = ("work_order", "fulfills", "sales_order")
NO_DWELL = AlertPolicy(raise_at=0.6, clear_at=0.4, high_at=0.8, critical_at=0.95, min_dwell_ms=0)


class Plant:
    """Reads the seeded graph into a snapshot; `wear` is the test's dial per machine."""

    def __init__(self) -> None:
        self.wear: dict[str, float] = {}

    async def snapshot(self, store: GraphStore) -> GraphSnapshot:
        machines = [
            r["id"] for r in await store.read("MATCH (m:Machine) RETURN m.id AS id ORDER BY id")
        ]
        orders = [
            r["id"]
            for r in await store.read(
                "MATCH (w:WorkOrder) WHERE w.status IN $s RETURN w.id AS id ORDER BY id",
                {"s": OPEN_WO},
            )
        ]
        sales = [
            r["id"]
            for r in await store.read(
                "MATCH (s:SalesOrder) WHERE s.status IN $s RETURN s.id AS id ORDER BY id",
                {"s": OPEN_SO},
            )
        ]
        runs = await store.read(
            "MATCH (w:WorkOrder)-[:HAS_OPERATION]->(o:Operation)-[:RUNS_ON]->(m:Machine) "
            "WHERE w.status IN $s AND o.status <> 'done' RETURN DISTINCT w.id AS w, m.id AS m",
            {"s": OPEN_WO},
        )
        fulfils = await store.read(
            "MATCH (w:WorkOrder)-[:FULFILLS]->(s:SalesOrder) "
            "WHERE w.status IN $w AND s.status IN $s RETURN w.id AS w, s.id AS s",
            {"w": OPEN_WO, "s": OPEN_SO},
        )
        mi = {m: i for i, m in enumerate(machines)}
        wi = {w: i for i, w in enumerate(orders)}
        si = {s: i for i, s in enumerate(sales)}
        wear = np.array([[self.wear.get(m, 0.1)] for m in machines], dtype=np.float32)
        return GraphSnapshot(
            at=datetime.now(UTC),
            nodes={
                "machine": NodeTable(machines, wear, ["wear"]),
                "work_order": NodeTable(orders, np.zeros((len(orders), 1), np.float32), ["bias"]),
                "sales_order": NodeTable(sales, np.zeros((len(sales), 1), np.float32), ["bias"]),
            },
            edges={
                RUNS_ON: np.array(
                    [[wi[r["w"]] for r in runs], [mi[r["m"]] for r in runs]], np.int64
                ).reshape(2, -1),
                FULFILLS: np.array(
                    [[wi[r["w"]] for r in fulfils], [si[r["s"]] for r in fulfils]], np.int64
                ).reshape(2, -1),
            },
        )


class WearRule:
    version = "wear-rule-1"

    def score(self, snapshot: GraphSnapshot) -> Scores:
        machines = snapshot.nodes["machine"]
        orders = snapshot.nodes["work_order"]
        wear = machines.features[:, 0]
        late = np.zeros(len(orders.ids), np.float32)
        src, dst = snapshot.edges[RUNS_ON]
        np.maximum.at(late, src, 0.9 * wear[dst])
        return {
            "machine_failure": (list(machines.ids), wear.copy()),
            "work_order_late": (list(orders.ids), late),
        }

    def explain(self, snapshot: GraphSnapshot, target: str, entity_id: str) -> Explanation:
        machines = snapshot.nodes["machine"]
        wear = machines.features[:, 0]
        if target == "machine_failure":
            w = float(wear[machines.ids.index(entity_id)])
            return Explanation(top_features=[("wear", w, w)])
        row = snapshot.nodes["work_order"].ids.index(entity_id)
        src, dst = snapshot.edges[RUNS_ON]
        drivers = sorted(
            (("machine", machines.ids[m], 0.9 * float(wear[m])) for m in dst[src == row]),
            key=lambda d: -d[2],
        )
        return Explanation(top_features=[("bias", 0.0, 0.0)], drivers=drivers)


@pytest.fixture
async def plant(store: GraphStore) -> GraphStore:
    await seed_plant(store, parse_scale("small"), 42, validate=False)
    return store


async def _busiest_machine(store: GraphStore) -> str:
    rows = await store.read(
        "MATCH (m:Machine)<-[:RUNS_ON]-(o:Operation)<-[:HAS_OPERATION]-(w:WorkOrder) "
        "WHERE o.status <> 'done' AND w.status IN $w RETURN m.id AS id, count(DISTINCT w) AS n "
        "ORDER BY n DESC, id LIMIT 1",
        {"w": OPEN_WO},
    )
    return str(rows[0]["id"])


async def _expected_orders_of_machine(store: GraphStore, machine: str) -> list[str]:
    """The traversal, step by step: pending operations -> work orders -> open sales orders."""
    ops = await store.read(
        "MATCH (o:Operation)-[:RUNS_ON]->(:Machine {id: $m}) RETURN o.id AS id, o.status AS status",
        {"m": machine},
    )
    pending = {r["id"] for r in ops if r["status"] != "done"}
    has_op = await store.read(
        "MATCH (w:WorkOrder)-[:HAS_OPERATION]->(o:Operation) RETURN w.id AS w, o.id AS o"
    )
    work_orders = {r["w"] for r in has_op if r["o"] in pending}
    fulfils = await store.read(
        "MATCH (w:WorkOrder)-[:FULFILLS]->(s:SalesOrder) "
        "RETURN w.id AS w, s.id AS s, s.status AS st"
    )
    return sorted({r["s"] for r in fulfils if r["w"] in work_orders and r["st"] in OPEN_SO})


async def _alerts(store: GraphStore) -> dict[str, dict[str, object]]:
    rows = await store.read(
        "MATCH (a:RiskAlert) OPTIONAL MATCH (a)-[:ABOUT]->(x) WITH a, collect(x.id) AS about "
        "OPTIONAL MATCH (a)-[:AFFECTS]->(s:SalesOrder) "
        "RETURN a AS a, about, collect(s.id) AS affects"
    )
    return {
        r["a"]["id"]: {**r["a"], "about": sorted(r["about"]), "affects": sorted(r["affects"])}
        for r in rows
    }


def _loop(store: GraphStore, plant: Plant, publish: object = None, **kw: object) -> ScoringLoop:
    async def drop(topic: str, event: dict[str, object]) -> None:
        return None

    return ScoringLoop(store, WearRule(), plant.snapshot, publish or drop, policy=NO_DWELL, **kw)  # type: ignore[arg-type]


async def test_alert_is_written_with_explanation_and_affected_orders(plant: GraphStore) -> None:
    machine = await _busiest_machine(plant)
    dial = Plant()
    dial.wear[machine] = 0.9
    report = await _loop(plant, dial).rescore()

    predictions = await plant.read(
        "MATCH (p:Prediction)-[:ABOUT]->(x) RETURN p.kind AS kind, x.id AS id, p.score AS score, "
        "p.model_version AS v"
    )
    snapshot = await dial.snapshot(plant)
    assert len(predictions) == report.scored == report.predictions
    assert len(predictions) == len(snapshot.nodes["machine"].ids) + len(
        snapshot.nodes["work_order"].ids
    )
    scores = {(p["kind"], p["id"]): p["score"] for p in predictions}
    assert scores[("machine_failure", machine)] == pytest.approx(0.9)
    assert {p["v"] for p in predictions} == {"wear-rule-1"}

    alerts = await _alerts(plant)
    by_subject = {(a["kind"], a["entity_id"]): a for a in alerts.values()}
    alert = by_subject[("machine_failure", machine)]
    assert alert["severity"] == "high"
    assert alert["acknowledged"] is False
    assert alert["horizon_h"] == 24.0
    assert alert["about"] == [machine]
    expected = await _expected_orders_of_machine(plant, machine)
    assert expected, "the seeded plant should give the busiest machine open orders"
    assert alert["affects"] == expected
    explanation = json.loads(str(alert["explanation"]))
    assert explanation["topFeatures"][0]["name"] == "wear"
    assert explanation["topFeatures"][0]["value"] == pytest.approx(0.9)

    # every open work order on that machine is late-at-risk (0.81 >= 0.8: high), driven by it
    late = [a for (kind, _), a in by_subject.items() if kind == "work_order_late"]
    src, dst = snapshot.edges[RUNS_ON]
    col = snapshot.nodes["machine"].ids.index(machine)
    on_machine = {snapshot.nodes["work_order"].ids[w] for w in src[dst == col]}
    assert {a["entity_id"] for a in late} == on_machine
    fulfils = await plant.read(
        "MATCH (w:WorkOrder)-[:FULFILLS]->(s:SalesOrder) WHERE s.status IN $s "
        "RETURN w.id AS w, s.id AS s",
        {"s": OPEN_SO},
    )
    orders_of: dict[str, set[str]] = defaultdict(set)
    for r in fulfils:
        orders_of[r["w"]].add(r["s"])
    for a in late:
        assert machine in a["about"] and a["entity_id"] in a["about"]
        assert a["affects"] == sorted(orders_of[str(a["entity_id"])])
        assert a["severity"] == "high"
    assert sorted(report.opened) == sorted(alerts)
    direct = await affected_sales_orders(plant, "machine", [machine])
    assert direct == {machine: expected}


async def test_rescoring_keeps_one_alert_above_clear_and_closes_below(plant: GraphStore) -> None:
    machine = await _busiest_machine(plant)
    dial = Plant()
    loop = _loop(plant, dial)
    dial.wear[machine] = 0.7
    await loop.rescore()
    key = ("machine_failure", machine)

    def of_machine(alerts: dict[str, dict[str, object]]) -> list[dict[str, object]]:
        return [a for a in alerts.values() if (a["kind"], a["entity_id"]) == key]

    first = of_machine(await _alerts(plant))
    assert len(first) == 1
    dial.wear[machine] = 0.5  # below raise, above clear
    report = await loop.rescore()
    kept = of_machine(await _alerts(plant))
    assert len(kept) == 1 and kept[0]["id"] == first[0]["id"]
    assert kept[0].get("closed_at") is None
    assert kept[0]["probability"] == pytest.approx(0.5)
    assert kept[0]["affects"] == first[0]["affects"] != []
    assert report.opened == [] and report.closed == []

    dial.wear[machine] = 0.3
    report = await loop.rescore()
    closed = of_machine(await _alerts(plant))
    assert len(closed) == 1 and closed[0]["closed_at"] is not None
    assert closed[0]["affects"] == []  # a cleared alert holds no order at risk
    assert closed[0]["affected_sales_order_ids"] == first[0]["affects"]
    assert first[0]["id"] in report.closed

    dial.wear[machine] = 0.65
    await loop.rescore()
    again = of_machine(await _alerts(plant))
    assert len(again) == 2
    assert sum(1 for a in again if a.get("closed_at") is None) == 1


async def test_acknowledged_alert_stays_acknowledged_when_rescored(plant: GraphStore) -> None:
    machine = await _busiest_machine(plant)
    dial = Plant()
    loop = _loop(plant, dial)
    dial.wear[machine] = 0.7
    report = await loop.rescore([machine])
    alert_id = next(i for i in report.opened if machine in i and i.startswith("RA-machine_failure"))
    outcome = await graph_commands.acknowledge_alert(plant, AcknowledgeAlert(id=alert_id))
    assert outcome.changed
    dial.wear[machine] = 0.97  # escalates to critical: same alert, still acknowledged
    report = await loop.rescore([machine])
    assert alert_id in report.changed
    stored = (await _alerts(plant))[alert_id]
    assert stored["severity"] == "critical"
    assert stored["acknowledged"] is True
    # a fresh loop (a restart) takes the open alert back instead of raising a second one
    restarted = _loop(plant, dial)
    report = await restarted.rescore([machine])
    assert report.opened == []
    after = [a for a in (await _alerts(plant)).values() if a["entity_id"] == machine]
    assert [(a["id"], a["acknowledged"], a["severity"]) for a in after] == [
        (alert_id, True, "critical")
    ]


async def test_incremental_pass_touches_only_the_neighbourhood(plant: GraphStore) -> None:
    machine = await _busiest_machine(plant)
    dial = Plant()
    dial.wear[machine] = 0.9
    loop = _loop(plant, dial)
    report = await loop.rescore([machine])
    assert report.scope is not None
    assert report.scope["machine"] == [machine]
    snapshot = await dial.snapshot(plant)
    src, dst = snapshot.edges[RUNS_ON]
    col = snapshot.nodes["machine"].ids.index(machine)
    on_machine = sorted({snapshot.nodes["work_order"].ids[w] for w in src[dst == col]})
    assert report.scope["work_order"] == on_machine
    kinds = await plant.read("MATCH (p:Prediction) RETURN p.kind AS kind, p.entity_id AS id")
    assert sorted((k["kind"], k["id"]) for k in kinds) == sorted(
        [("machine_failure", machine)] + [("work_order_late", w) for w in on_machine]
    )
    whole = await _loop(plant, dial).rescore()
    assert whole.scored > report.scored
    assert whole.opened == []  # same alerts as the incremental pass, nothing new


async def test_alert_events_reach_a_risk_alerts_subscriber(plant: GraphStore) -> None:
    assert RISK_ALERTS == topics.RISK_ALERTS
    machine = await _busiest_machine(plant)
    bus = InProcessBus()
    events = bus.subscribe(RISK_ALERTS)
    received: list[dict[str, object]] = []

    async def collect() -> None:
        async for event in events:
            received.append(event)

    consumer = asyncio.create_task(collect())
    await asyncio.sleep(0)  # let the subscription register
    dial = Plant()
    loop = _loop(plant, dial, publish=bus.publish, window_s=0.05)
    loop.start()
    try:
        dial.wear[machine] = 0.96
        for _ in range(5):  # a burst of notifications: one pass
            loop.notify([machine])
        for _ in range(100):
            if any(e["kind"] == "machine_failure" for e in received):
                break
            await asyncio.sleep(0.05)
    finally:
        await loop.stop()
        consumer.cancel()
    ours = [e for e in received if e["kind"] == "machine_failure"]
    assert len(ours) == 1
    event = RiskAlertEvent.from_event(ours[0])
    assert event.severity.value == "critical"
    assert [str(i) for i in event.about_ids] == [machine]
    assert [str(i) for i in event.affected_sales_order_ids] == await _expected_orders_of_machine(
        plant, machine
    )
    assert event.acknowledged is False
    # The event carries what the schema shows: target, probability, horizon, explanation.
    assert event.kind == "machine_failure" and event.closed_at is None
    assert event.probability is not None and event.probability >= 0.95
    assert event.explanation is not None and event.explanation.top_features
    stored = (await _alerts(plant))[str(event.id)]
    assert stored["message"] == event.message and stored["created_at"] == ours[0]["createdAt"]


async def test_affected_orders_of_lots_follow_the_genealogy_down(plant: GraphStore) -> None:
    consumed = await plant.read("MATCH (b:Batch)-[:CONSUMED]->(x) RETURN b.id AS b, x.id AS x")
    made_by = await plant.read(
        "MATCH (b:Batch)-[:PRODUCED_BY]->(:WorkOrder)-[:FULFILLS]->(s:SalesOrder) "
        "WHERE s.status IN $s RETURN b.id AS b, s.id AS s",
        {"s": OPEN_SO},
    )
    shipped = await plant.read(
        "MATCH (:Shipment)-[:CONTAINS]->(b:Batch), (sh:Shipment)-[:CONTAINS]->(b) "
        "MATCH (sh)-[:FOR_ORDER]->(s:SalesOrder) WHERE s.status IN $s "
        "RETURN DISTINCT b.id AS b, s.id AS s",
        {"s": OPEN_SO},
    )
    consumers: dict[str, set[str]] = defaultdict(set)
    for r in consumed:
        consumers[r["x"]].add(r["b"])
    orders_of: dict[str, set[str]] = defaultdict(set)
    for r in [*made_by, *shipped]:
        orders_of[r["b"]].add(r["s"])

    def downstream(start: str) -> set[str]:
        seen, frontier = set(), {start}
        for _ in range(8):  # graph.predictions.GENEALOGY_DEPTH
            frontier = {b for x in frontier for b in consumers[x]} - seen
            seen |= frontier
        return seen

    lots = [r["id"] for r in await plant.read("MATCH (l:MaterialLot) RETURN l.id AS id")]
    expected = {lot: sorted({s for b in downstream(lot) for s in orders_of[b]}) for lot in lots}
    assert any(expected.values()), "some lot should reach an open order"
    assert await affected_sales_orders(plant, "material_lot", lots) == expected
    for node_type in ("material", "supplier", "work_order", "sales_order", "operation", "batch"):
        label = node_type.title().replace("_", "")
        ids = [r["id"] for r in await plant.read(f"MATCH (n:{label}) RETURN n.id AS id LIMIT 50")]
        found = await affected_sales_orders(plant, node_type, ids)
        assert set(found) == set(ids)
    with pytest.raises(ValueError, match="unknown node type"):
        await affected_sales_orders(plant, "customer", ["C-1"])
