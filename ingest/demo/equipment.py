"""The equipment hierarchy (sites, areas, lines, machines) and the people who run it.

Lines are created per product group once the group's workload is known, so a busier
plant simply has more lines; each line serves one group, which keeps backward
scheduling of a tier from colliding with another tier on the same vessel.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from ingest.demo import vocabulary as vocab
from ingest.demo.records import AreaRec, LineRec, MachineRec, OperatorRec, SiteRec

LINE_LETTER = {"binder": "R", "paste": "P", "base": "D", "bulk": "M", "finished": "F"}
OPERATORS_PER_LINE = 4  # three shift crews plus relief
CREWS = 3
SHIFT_MS = 8 * 3_600_000


@dataclass
class Equipment:
    sites: list[SiteRec] = field(default_factory=list)
    areas: list[AreaRec] = field(default_factory=list)
    lines: list[LineRec] = field(default_factory=list)
    machines: list[MachineRec] = field(default_factory=list)
    operators: list[OperatorRec] = field(default_factory=list)
    crews: dict[tuple[int, str], list[list[int]]] = field(default_factory=dict)
    """(site, skill) -> operators of each shift crew."""
    _area_of: dict[tuple[int, str], int] = field(default_factory=dict)
    _serials: set[tuple[str, str]] = field(default_factory=set)

    def add_sites(self, count: int) -> None:
        for i in range(count):
            city, country, tz = vocab.SITES[i]
            self.sites.append(SiteRec(f"S-{i + 1:02d}", f"{city} Coatings Plant", tz, country))

    def add_lines(self, group: str, count: int, rng: random.Random) -> list[int]:
        """`count` lines for `group`, spread over the sites (the first site gets the first)."""
        area_name, stem, _, kinds = vocab.GROUPS[group]
        made = []
        for j in range(count):
            site = j % len(self.sites)
            area = self._area(site, area_name)
            number = sum(1 for ln in self.lines if ln.site == site and ln.group == group) + 1
            index = len(self.lines)
            line = LineRec(f"L-{index + 1:03d}", f"{stem} {number}", area, site, group)
            self.lines.append(line)
            extra = set(rng.sample(kinds[1:], rng.randint(3, len(kinds) - 1)))
            chosen = [kinds[0], *[k for k in kinds[1:] if k in extra]]
            tag = f"{LINE_LETTER[group]}{number}"
            for kind in chosen:
                line.machines.append(self._machine(kind, tag, index, rng))
            made.append(index)
        return made

    def _area(self, site: int, name: str) -> int:
        key = (site, name)
        if key not in self._area_of:
            index = len(self.areas)
            city = vocab.SITES[site][0]
            self.areas.append(AreaRec(f"A-{index + 1:02d}", f"{name}, {city}", site))
            self._area_of[key] = index
        return self._area_of[key]

    def _machine(self, kind: str, tag: str, line: int, rng: random.Random) -> int:
        index = len(self.machines)
        maker = rng.choice(vocab.MANUFACTURERS[kind])
        self.machines.append(
            MachineRec(
                id=f"M-{index + 1:04d}",
                name=f"{kind} {tag}",
                kind=kind,
                manufacturer=maker,
                serial_number=self._serial(maker, rng),
                line=line,
                operation=vocab.OPERATION_NAMES[kind],
                speed=round(rng.uniform(0.78, 0.95), 3),
            )
        )
        return index

    def _serial(self, maker: str, rng: random.Random) -> str:
        """Each maker has its own serial number format; numbers never repeat per maker."""
        while True:
            built = rng.randint(2008, 2025)
            number = rng.randrange(1_000, 999_999)
            style = sum(map(ord, maker)) % 4
            code = "".join(ch for ch in maker.upper() if ch.isalpha())[:3]
            if style == 0:
                serial = f"{code[:2]}{built % 100:02d}{number:06d}"
            elif style == 1:
                serial = f"{built}-{number:06d}"
            elif style == 2:
                serial = f"SN {built % 100:02d}{number:07d}"
            else:
                serial = f"{code}-{built % 100:02d}{number % 10_000:04d}-{number % 7}"
            if (maker, serial) not in self._serials:
                self._serials.add((maker, serial))
                return serial

    def add_operators(self, rng: random.Random) -> None:
        """Crews per (site, skill), sized by the lines they run, plus a supervisor per site."""
        lines_per: dict[tuple[int, str], int] = {}
        for line in self.lines:
            skill = vocab.GROUPS[line.group][2]
            lines_per[(line.site, skill)] = lines_per.get((line.site, skill), 0) + 1
        for (site, skill), lines in sorted(lines_per.items()):
            members = [self._operator(site, skill, rng) for _ in range(lines * OPERATORS_PER_LINE)]
            self.crews[(site, skill)] = [members[c::CREWS] for c in range(CREWS)]
        for site in range(len(self.sites)):
            for _ in range(1 + len(self.lines) // (6 * len(self.sites))):
                self._operator(site, "Shift supervisor", rng)

    def _operator(self, site: int, skill: str, rng: random.Random) -> int:
        country = self.sites[site].country if rng.random() < 0.8 else "INT"
        name = f"{rng.choice(vocab.FIRST_NAMES[country])} {rng.choice(vocab.LAST_NAMES[country])}"
        index = len(self.operators)
        self.operators.append(OperatorRec(f"OP-{index + 1:04d}", name, skill, site))
        return index

    def crew_member(self, line: int, at_ms: int, rng: random.Random) -> int:
        """An operator of the crew on shift at `at_ms` on this line's site."""
        ln = self.lines[line]
        crews = self.crews[(ln.site, vocab.GROUPS[ln.group][2])]
        crew = crews[(at_ms // SHIFT_MS) % CREWS]
        return crew[rng.randrange(len(crew))]
