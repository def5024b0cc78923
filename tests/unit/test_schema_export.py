"""`schema.graphql` is what clients generate types from: it must match the code."""

from __future__ import annotations

from pathlib import Path

from schema.root import build_schema

SDL = Path(__file__).resolve().parents[2] / "schema.graphql"


def test_exported_schema_is_current() -> None:
    current = build_schema().as_str() + "\n"
    assert SDL.exists(), "schema.graphql is missing: run `factorygraph export-schema`"
    assert SDL.read_text() == current, "schema.graphql is stale: run `factorygraph export-schema`"


def test_fixed_names_of_the_design_are_present() -> None:
    sdl = build_schema().as_str()
    for name in (
        "node(id: ID!)",
        "salesOrders(",
        "workOrders(",
        "machines(",
        "materialLots(",
        "batches(",
        "qualityEvents(",
        "riskAlerts(",
        "machine(id: ID!)",
        "workOrder(id: ID!)",
        "trace(lotId: ID!, direction: TraceDirection!, maxDepth: Int",
        "recallScope(lotId: ID!)",
        "oee(machineId: ID!, from: DateTime!, to: DateTime!)",
        "createSalesOrder(",
        "releaseWorkOrder(",
        "recordProduction(",
        "recordQualityEvent(",
        "acknowledgeAlert(",
        "machineStateChanged(machineIds: [ID!]",
        "riskAlerts(minSeverity: Severity",
        "workOrderProgress(workOrderId: ID",
    ):
        assert name in sdl, name
    assert "enum TraceDirection {\n  UPSTREAM\n  DOWNSTREAM\n}" in sdl
