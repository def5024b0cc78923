"""One pydantic model per relationship type of the plant graph (DESIGN.md §4).

A relationship row names its two endpoints by business id and label. Where a type
allows exactly one (source, target) label pair the labels are filled in; where it allows
several (`CONSUMED` -> lot or batch, `PART_OF` along the equipment hierarchy) the row
must say which, and the pair is checked against the type's allowed pairs.
"""

from __future__ import annotations

from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, model_validator

from domain.nodes import LABELS
from domain.values import Id, NonNegative, Positive, Unit

Pair = tuple[str, str]


class RelationshipModel(BaseModel):
    """A directed relationship `(source)-[:TYPE]->(target)` plus its properties."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    TYPE: ClassVar[str] = ""
    PAIRS: ClassVar[frozenset[Pair]] = frozenset()

    source_id: Id
    target_id: Id
    source_label: str = ""
    target_label: str = ""

    @model_validator(mode="after")
    def _resolve_labels(self) -> Self:
        candidates = [
            (s, t)
            for s, t in self.PAIRS
            if (not self.source_label or s == self.source_label)
            and (not self.target_label or t == self.target_label)
        ]
        if len(candidates) != 1:
            allowed = ", ".join(f"{s}->{t}" for s, t in sorted(self.PAIRS))
            given = f"{self.source_label or '?'}->{self.target_label or '?'}"
            reason = "is not allowed" if not candidates else "is ambiguous; name both labels"
            raise ValueError(f"{self.TYPE} {given} {reason} (allowed: {allowed})")
        source, target = candidates[0]
        object.__setattr__(self, "source_label", source)
        object.__setattr__(self, "target_label", target)
        return self

    @property
    def pair(self) -> Pair:
        return (self.source_label, self.target_label)

    def properties(self) -> dict[str, Any]:
        """The relationship's own properties as stored."""
        skip = {"source_id", "target_id", "source_label", "target_label"}
        dumped = self.model_dump(mode="json", exclude=skip)
        return {k: v for k, v in dumped.items() if v is not None}


def _pairs(*pairs: Pair) -> frozenset[Pair]:
    return frozenset(pairs)


class Quantified(RelationshipModel):
    """A relationship that carries an amount with its unit."""

    qty: NonNegative
    unit: Unit


# --- ERP ---------------------------------------------------------------------------------
class PlacedBy(RelationshipModel):
    TYPE: ClassVar[str] = "PLACED_BY"
    PAIRS: ClassVar[frozenset[Pair]] = _pairs(("SalesOrder", "Customer"))


class ForProduct(Quantified):
    TYPE: ClassVar[str] = "FOR_PRODUCT"
    PAIRS: ClassVar[frozenset[Pair]] = _pairs(("SalesOrder", "Product"))
    qty: Positive


class HasComponent(Quantified):
    """Bill of materials: how much of a material or sub-product one unit of product needs."""

    TYPE: ClassVar[str] = "HAS_COMPONENT"
    PAIRS: ClassVar[frozenset[Pair]] = _pairs(("Product", "Material"), ("Product", "Product"))
    qty: Positive


class OrderedFrom(RelationshipModel):
    TYPE: ClassVar[str] = "FROM"
    PAIRS: ClassVar[frozenset[Pair]] = _pairs(("PurchaseOrder", "Supplier"))


class ForMaterial(Quantified):
    TYPE: ClassVar[str] = "FOR_MATERIAL"
    PAIRS: ClassVar[frozenset[Pair]] = _pairs(("PurchaseOrder", "Material"))
    qty: Positive


# --- MES ---------------------------------------------------------------------------------
class Fulfills(RelationshipModel):
    TYPE: ClassVar[str] = "FULFILLS"
    PAIRS: ClassVar[frozenset[Pair]] = _pairs(("WorkOrder", "SalesOrder"))


class Makes(Quantified):
    TYPE: ClassVar[str] = "MAKES"
    PAIRS: ClassVar[frozenset[Pair]] = _pairs(("WorkOrder", "Product"))
    qty: Positive


class HasOperation(RelationshipModel):
    TYPE: ClassVar[str] = "HAS_OPERATION"
    PAIRS: ClassVar[frozenset[Pair]] = _pairs(("WorkOrder", "Operation"))


class RunsOn(RelationshipModel):
    TYPE: ClassVar[str] = "RUNS_ON"
    PAIRS: ClassVar[frozenset[Pair]] = _pairs(("Operation", "Machine"))


class NextOperation(RelationshipModel):
    TYPE: ClassVar[str] = "NEXT"
    PAIRS: ClassVar[frozenset[Pair]] = _pairs(("Operation", "Operation"))


class PerformedBy(RelationshipModel):
    TYPE: ClassVar[str] = "PERFORMED_BY"
    PAIRS: ClassVar[frozenset[Pair]] = _pairs(("Operation", "Operator"))


class WorksAt(RelationshipModel):
    TYPE: ClassVar[str] = "WORKS_AT"
    PAIRS: ClassVar[frozenset[Pair]] = _pairs(("Operator", "Site"))


class PartOf(RelationshipModel):
    """The equipment hierarchy: machine -> line -> area -> site."""

    TYPE: ClassVar[str] = "PART_OF"
    PAIRS: ClassVar[frozenset[Pair]] = _pairs(
        ("Machine", "Line"), ("Line", "Area"), ("Area", "Site")
    )


class OfMaterial(RelationshipModel):
    TYPE: ClassVar[str] = "OF_MATERIAL"
    PAIRS: ClassVar[frozenset[Pair]] = _pairs(("MaterialLot", "Material"))


class SuppliedBy(RelationshipModel):
    TYPE: ClassVar[str] = "SUPPLIED_BY"
    PAIRS: ClassVar[frozenset[Pair]] = _pairs(("MaterialLot", "Supplier"))


class ReceivedAgainst(RelationshipModel):
    """Goods receipt: the purchase order a lot was delivered against."""

    TYPE: ClassVar[str] = "RECEIVED_AGAINST"
    PAIRS: ClassVar[frozenset[Pair]] = _pairs(("MaterialLot", "PurchaseOrder"))


class ProducedBy(RelationshipModel):
    TYPE: ClassVar[str] = "PRODUCED_BY"
    PAIRS: ClassVar[frozenset[Pair]] = _pairs(("Batch", "WorkOrder"))


class ProducedOn(RelationshipModel):
    TYPE: ClassVar[str] = "PRODUCED_ON"
    PAIRS: ClassVar[frozenset[Pair]] = _pairs(("Batch", "Machine"))


class Consumed(Quantified):
    """Genealogy: the batch consumed `qty` of that lot or intermediate batch."""

    TYPE: ClassVar[str] = "CONSUMED"
    PAIRS: ClassVar[frozenset[Pair]] = _pairs(("Batch", "MaterialLot"), ("Batch", "Batch"))


class Contains(Quantified):
    TYPE: ClassVar[str] = "CONTAINS"
    PAIRS: ClassVar[frozenset[Pair]] = _pairs(("Shipment", "Batch"))


class ShippedTo(RelationshipModel):
    TYPE: ClassVar[str] = "SHIPPED_TO"
    PAIRS: ClassVar[frozenset[Pair]] = _pairs(("Shipment", "Customer"))


class ShipsOrder(RelationshipModel):
    """The sales order a shipment delivers against."""

    TYPE: ClassVar[str] = "FOR_ORDER"
    PAIRS: ClassVar[frozenset[Pair]] = _pairs(("Shipment", "SalesOrder"))


class Concerns(RelationshipModel):
    TYPE: ClassVar[str] = "CONCERNS"
    PAIRS: ClassVar[frozenset[Pair]] = _pairs(
        ("QualityEvent", "Batch"), ("QualityEvent", "MaterialLot"), ("QualityEvent", "Machine")
    )


# --- twin --------------------------------------------------------------------------------
class Measures(RelationshipModel):
    TYPE: ClassVar[str] = "MEASURES"
    PAIRS: ClassVar[frozenset[Pair]] = _pairs(("Tag", "Machine"))


class StateOf(RelationshipModel):
    TYPE: ClassVar[str] = "OF"
    PAIRS: ClassVar[frozenset[Pair]] = _pairs(("StateChange", "Machine"))


class About(RelationshipModel):
    """What a prediction or alert is about: any node."""

    TYPE: ClassVar[str] = "ABOUT"
    PAIRS: ClassVar[frozenset[Pair]] = frozenset(
        (source, target) for source in ("Prediction", "RiskAlert") for target in LABELS
    )


class Affects(RelationshipModel):
    TYPE: ClassVar[str] = "AFFECTS"
    PAIRS: ClassVar[frozenset[Pair]] = _pairs(("RiskAlert", "SalesOrder"))


RELATIONSHIP_MODELS: tuple[type[RelationshipModel], ...] = (
    PlacedBy,
    ForProduct,
    HasComponent,
    OrderedFrom,
    ForMaterial,
    Fulfills,
    Makes,
    HasOperation,
    RunsOn,
    NextOperation,
    PerformedBy,
    WorksAt,
    PartOf,
    OfMaterial,
    SuppliedBy,
    ReceivedAgainst,
    ProducedBy,
    ProducedOn,
    Consumed,
    Contains,
    ShippedTo,
    ShipsOrder,
    Concerns,
    Measures,
    StateOf,
    About,
    Affects,
)
MODEL_BY_TYPE: dict[str, type[RelationshipModel]] = {m.TYPE: m for m in RELATIONSHIP_MODELS}
