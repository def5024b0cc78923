"""Master data: suppliers, materials, products with their multi-level bills of materials, customers.

The product structure is that of a paint maker: binders and pigment pastes (made from raw
materials) go into tint bases, bases and pastes into bulk paint, bulk paint plus
packaging into finished goods. So finished -> bulk -> base -> binder -> raw gives four
product levels, finished -> bulk -> raw two; every BOM line points to a deeper tier.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from ingest.demo import vocabulary as vocab
from ingest.demo.records import Component, CustomerRec, MaterialRec, ProductRec, SupplierRec
from ingest.demo.scale import PlantSize

TIER_OF_GROUP = {"finished": 0, "bulk": 1, "base": 2, "binder": 3, "paste": 3}
RAW_SHARE = {"monomer": 0.22, "process": 0.10, "pigment": 0.20, "extender": 0.16, "additive": 0.32}


@dataclass
class Catalog:
    suppliers: list[SupplierRec] = field(default_factory=list)
    materials: list[MaterialRec] = field(default_factory=list)
    products: list[ProductRec] = field(default_factory=list)
    customers: list[CustomerRec] = field(default_factory=list)
    finished: list[int] = field(default_factory=list)
    finished_weights: list[float] = field(default_factory=list)
    """Sales popularity of each finished product (a few best sellers, a long tail)."""
    customer_weights: list[float] = field(default_factory=list)

    def products_in(self, group: str) -> list[int]:
        return [i for i, p in enumerate(self.products) if p.group == group]


def build_catalog(size: PlantSize, rng: random.Random) -> Catalog:
    catalog = Catalog()
    builder = _CatalogBuilder(catalog, rng)
    raw = builder.raw_materials(size.raw_materials)
    binders = builder.binders(size.binders, raw)
    pastes = builder.pastes(size.pastes, raw)
    bases = builder.bases(size.bases, raw, binders, pastes)
    bulks = builder.bulks(size.bulk_formulations, raw, binders, pastes, bases)
    builder.finished_goods(bulks)
    builder.suppliers()
    builder.customers(size.customers)
    return catalog


class _CatalogBuilder:
    def __init__(self, catalog: Catalog, rng: random.Random) -> None:
        self.c = catalog
        self.rng = rng
        self.by_name: dict[str, int] = {}
        self.product_codes: set[str] = set()

    # --- materials -----------------------------------------------------------------------
    def _material(self, name: str, unit: str, category: str, shelf_life: int, pack: float) -> int:
        rng = self.rng
        index = len(self.c.materials)
        prefix = "PK" if category in ("packaging", "label") else "RM"
        self.c.materials.append(
            MaterialRec(
                id=f"{prefix}-{10001 + index}",
                name=name,
                unit=unit,
                category=category,
                shelf_life_days=shelf_life or None,
                pack=float(pack),
                suppliers=[],
                cycle_days=rng.choice((7, 10, 14, 14, 21, 28)),
                lead_days=rng.choice((3, 5, 7, 10, 14, 21)),
            )
        )
        self.by_name[name] = index
        return index

    def raw_materials(self, count: int) -> dict[str, list[int]]:
        """`count` raw materials across categories; beyond the base list, other grades."""
        quotas = {cat: max(2, round(count * share)) for cat, share in RAW_SHARE.items()}
        out: dict[str, list[int]] = {}
        for cat, quota in quotas.items():
            bases = vocab.RAW_MATERIALS[cat]
            out[cat] = []
            for k in range(quota):
                name, unit, shelf, pack = bases[k % len(bases)]
                if k >= len(bases):
                    code = vocab.GRADE_CODES[(k // len(bases)) % len(vocab.GRADE_CODES)]
                    name = f"{name}, grade {code}-{100 + 7 * k}"
                out[cat].append(self._material(name, unit, cat, shelf, pack))
        return out

    def _pick(self, pool: list[int], k: int) -> list[int]:
        return self.rng.sample(pool, min(k, len(pool)))

    # --- intermediates -------------------------------------------------------------------
    def _product(
        self,
        name: str,
        group: str,
        unit: str,
        batch_size: float,
        batch_hours: float,
        components: list[Component],
        prefix: str,
    ) -> int:
        index = len(self.c.products)
        seen: set[tuple[bool, int]] = set()
        unique = []
        for comp in components:  # a BOM names each component once
            if (comp.is_product, comp.index) not in seen:
                seen.add((comp.is_product, comp.index))
                unique.append(comp)
        self.c.products.append(
            ProductRec(
                id=f"{prefix}-{10001 + index}",
                name=name,
                kind="finished" if group == "finished" else "intermediate",
                unit=unit,
                group=group,
                tier=TIER_OF_GROUP[group],
                batch_size=batch_size,
                batch_hours=batch_hours,
                components=unique,
            )
        )
        return index

    def _code(self, letters: str) -> str:
        while True:
            code = f"{letters}-{self.rng.randrange(100, 990, 10)}"
            if code not in self.product_codes:
                self.product_codes.add(code)
                return code

    def _mat(self, index: int, qty: float) -> Component:
        return Component(False, index, round(float(qty), 4), self.c.materials[index].unit)

    def _prod(self, index: int, qty: float) -> Component:
        return Component(True, index, round(float(qty), 4), self.c.products[index].unit)

    def binders(self, count: int, raw: dict[str, list[int]]) -> list[int]:
        rng = self.rng
        out = []
        for i in range(count):
            stem = vocab.BINDER_NAMES[i % len(vocab.BINDER_NAMES)]
            letters = "".join(w[0] for w in stem.replace("-", " ").split())[:2].upper()
            monomers = self._pick(raw["monomer"], rng.choice((2, 3, 3, 4)))
            shares = [rng.uniform(0.5, 1.5) for _ in monomers]
            solids = rng.uniform(0.45, 0.55)
            comps = [
                self._mat(m, solids * s / sum(shares))
                for m, s in zip(monomers, shares, strict=True)
            ]
            comps += [
                self._mat(m, rng.uniform(0.003, 0.012)) for m in self._pick(raw["process"], 2)
            ]
            size = float(rng.choice((12_000, 15_000, 18_000, 20_000, 25_000)))
            out.append(
                self._product(
                    f"{stem} {self._code(letters)}",
                    "binder",
                    "kg",
                    size,
                    rng.uniform(8, 12),
                    comps,
                    "IP",
                )
            )
        return out

    def pastes(self, count: int, raw: dict[str, list[int]]) -> list[int]:
        rng = self.rng
        pigments = {self.c.materials[m].name: m for m in raw["pigment"] + raw["extender"]}
        available = [(n, pig) for n, pig in vocab.PASTE_NAMES if pig in pigments]
        out = []
        for i in range(count):
            name, pigment = available[i % len(available)]
            if i >= len(available):
                name = f"{name} {self._code('P')}"
            comps = [self._mat(pigments[pigment], rng.uniform(0.55, 0.72))]
            comps += [
                self._mat(m, rng.uniform(0.002, 0.04))
                for m in self._pick(raw["additive"], rng.choice((1, 2, 2)))
            ]
            size = float(rng.choice((1_500, 2_000, 3_000, 4_000)))
            out.append(self._product(name, "paste", "kg", size, rng.uniform(4, 6), comps, "IP"))
        return out

    def bases(
        self, count: int, raw: dict[str, list[int]], binders: list[int], pastes: list[int]
    ) -> list[int]:
        rng = self.rng
        out = []
        for i in range(count):
            stem = vocab.BASE_NAMES[i % len(vocab.BASE_NAMES)]
            letter = "ABCDEFGH"[(i // len(vocab.BASE_NAMES)) % 8]
            comps = [self._prod(rng.choice(binders), rng.uniform(0.3, 0.45))]
            comps.append(self._prod(pastes[0], rng.uniform(0.1, 0.3)))  # the TiO2 slurry
            comps += [
                self._mat(m, rng.uniform(0.05, 0.2))
                for m in self._pick(raw["extender"], rng.choice((1, 2)))
            ]
            comps.append(self._mat(rng.choice(raw["additive"]), rng.uniform(0.003, 0.008)))
            size = float(rng.choice((8_000, 10_000, 12_000, 15_000)))
            name = f"{stem} {letter} {self._code('TB')}"
            out.append(self._product(name, "base", "kg", size, rng.uniform(5, 7), comps, "IP"))
        return out

    def bulks(
        self,
        count: int,
        raw: dict[str, list[int]],
        binders: list[int],
        pastes: list[int],
        bases: list[int],
    ) -> list[tuple[int, int, str, str, str]]:
        """Bulk paints, one per (brand, type, colour).

        Returns (product, type index, brand, type, colour) for packing into finished goods.
        """
        rng = self.rng
        paste_by_tone: dict[str, list[int]] = {}
        for p in pastes[1:]:
            name = self.c.products[p].name.lower()
            for tone in ("red", "yellow", "black", "blue", "green"):
                if tone in name:
                    paste_by_tone.setdefault(tone, []).append(p)
        base_by_kind: dict[str, list[int]] = {}
        for b in bases:
            base_by_kind.setdefault(self.c.products[b].name.split(" ")[0], []).append(b)
        combos: set[tuple[str, int, str]] = set()
        out: list[tuple[int, int, str, str, str]] = []
        while len(out) < count:
            brand = rng.choice(vocab.BRANDS)
            t = rng.randrange(len(vocab.PRODUCT_TYPES))
            type_name, _, base_kind, coloured = vocab.PRODUCT_TYPES[t]
            colour, tone = rng.choice(vocab.COLOURS) if coloured else ("", "")
            if (brand, t, colour) in combos:
                if len(combos) >= len(vocab.BRANDS) * len(vocab.PRODUCT_TYPES) * 4:
                    brand = f"{brand} Pro {len(out)}"  # vocabulary exhausted: a product line
                else:
                    continue
            combos.add((brand, t, colour))
            comps: list[Component] = []
            kind = base_kind.split(" ")[0] if base_kind else ""
            if kind:
                base = rng.choice(base_by_kind.get(kind) or bases)
                comps.append(self._prod(base, rng.uniform(0.75, 0.92)))
            elif rng.random() < 0.7:
                comps.append(self._prod(rng.choice(binders), rng.uniform(0.4, 0.6)))
                comps.append(self._mat(rng.choice(raw["extender"]), rng.uniform(0.1, 0.3)))
            else:  # a simple formulation straight from raw materials (two product levels)
                comps += [
                    self._mat(m, rng.uniform(0.1, 0.4)) for m in self._pick(raw["extender"], 2)
                ]
                comps.append(self._mat(rng.choice(raw["monomer"]), rng.uniform(0.2, 0.3)))
            if tone and tone in paste_by_tone:
                comps.append(self._prod(rng.choice(paste_by_tone[tone]), rng.uniform(0.01, 0.06)))
            comps += [
                self._mat(m, rng.uniform(0.001, 0.01))
                for m in self._pick(raw["additive"], rng.choice((1, 2, 2)))
            ]
            name = " ".join(x for x in (brand, type_name, colour) if x) + " — bulk"
            size = float(rng.choice((4_000, 5_000, 6_000, 8_000, 10_000)))
            product = self._product(name, "bulk", "kg", size, rng.uniform(3, 5), comps, "IP")
            out.append((product, t, brand, type_name, colour))
        return out

    def finished_goods(self, bulks: list[tuple[int, int, str, str, str]]) -> None:
        rng = self.rng
        for bulk, t, brand, type_name, colour in bulks:
            sizes = list(vocab.PRODUCT_TYPES[t][1])
            chosen = sorted(rng.sample(sizes, rng.randint(1, min(3, len(sizes)))))
            density = 1.6 if "Sealant" in type_name else rng.uniform(1.2, 1.45)
            for s in chosen:
                label, litres, container, lid, per_pallet, max_batch, rate, carton = (
                    vocab.CONTAINERS[s]
                )
                name = " ".join(x for x in (brand, type_name, colour, label) if x)
                comps = [self._prod(bulk, litres * density)]
                comps.append(self._mat(self._packaging(container, "packaging", 500), 1))
                comps.append(self._mat(self._packaging(lid, "packaging", 2_000), 1))
                comps.append(self._mat(self._packaging(f"Label, {name}", "label", 5_000), 1))
                if carton:
                    per_carton = int(carton.split(",")[1].split("×")[0])
                    comps.append(
                        self._mat(self._packaging(carton, "packaging", 500), 1 / per_carton)
                    )
                index = self._product(
                    name, "finished", "pcs", float(max_batch), max_batch / rate, comps, "FG"
                )
                self.c.products[index].fill_rate = float(rate)
                self.c.products[index].per_pallet = per_pallet
                self.c.finished.append(index)
        ranks = list(range(len(self.c.finished)))
        rng.shuffle(ranks)
        self.c.finished_weights = [1 / (r + 1) ** 0.7 for r in ranks]

    def _packaging(self, name: str, category: str, pack: float) -> int:
        if name in self.by_name:
            return self.by_name[name]
        return self._material(name, "pcs", category, 0, pack)

    # --- suppliers and customers ---------------------------------------------------------
    def suppliers(self) -> None:
        rng = self.rng
        by_cat: dict[str, list[int]] = {}
        for i, material in enumerate(self.c.materials):
            by_cat.setdefault(material.category, []).append(i)
        names: set[str] = set()
        for cat, mats in by_cat.items():
            per = 6 if cat == "label" else 2.5
            pool = [self._supplier(cat, names) for _ in range(max(2, math.ceil(len(mats) / per)))]
            for m in mats:
                k = rng.choices((1, 2, 3), weights=(45, 35, 20))[0]
                self.c.materials[m].suppliers = rng.sample(pool, min(k, len(pool)))

    def _supplier(self, category: str, taken: set[str]) -> int:
        rng = self.rng
        for attempt in range(1000):
            stem = rng.choice(vocab.SUPPLIER_STEMS)
            trade = rng.choice(vocab.SUPPLIER_TRADES[category])
            country = rng.choice(vocab.SUPPLIER_COUNTRIES)
            legal = vocab.LEGAL_FORMS[country]
            name = f"{stem} {trade} {legal}"
            if attempt > 200:  # stems and trades used up: tell them apart by town
                name = f"{stem} {trade} {rng.choice(vocab.CITIES[country])} {legal}"
            if name not in taken:
                break
        taken.add(name)
        index = len(self.c.suppliers)
        self.c.suppliers.append(
            SupplierRec(
                id=f"SUP-{index + 1:03d}",
                name=name,
                country=country,
                category=category,
                lot_prefix=(stem[:2] + trade[0]).upper(),
                lot_style=rng.randrange(5),
            )
        )
        return index

    def customers(self, count: int) -> None:
        rng = self.rng
        weights = (14, 16, 9, 12, 6, 3, 8, 5, 4, 3, 4, 2, 3)
        taken: set[str] = set()
        for index in range(count):
            country = rng.choices(vocab.CUSTOMER_COUNTRIES, weights=weights)[0]
            legal = vocab.LEGAL_FORMS[country]
            for attempt in range(100):
                trade = rng.choice(vocab.CUSTOMER_TRADES[country])
                family = rng.choice(vocab.CUSTOMER_NAMES[country])
                city = rng.choice(vocab.CITIES[country])
                style = rng.randrange(4)
                if style == 0:
                    name = f"{family} {trade} {legal}"
                elif style == 1:
                    name = f"{trade} {family} {legal}"
                elif style == 2:
                    name = f"{trade} {city} {legal}"
                else:
                    other = rng.choice(vocab.CUSTOMER_NAMES[country])
                    name = f"{family} & {other} {legal}"
                if attempt > 50:
                    name = f"{family} {trade} {city} {index} {legal}"
                if name not in taken:
                    break
            taken.add(name)
            self.c.customers.append(CustomerRec(f"C-{index + 1:05d}", name, country))
        ranks = list(range(count))
        rng.shuffle(ranks)
        self.c.customer_weights = [1 / (r + 1) ** 0.6 for r in ranks]
