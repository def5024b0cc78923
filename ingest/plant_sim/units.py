"""Engineering units of the Monitoring variables, as OPC UA Part 8 encodes them (UNECE)."""

from __future__ import annotations

from dataclasses import dataclass

from asyncua import ua

UNECE_UNITS_NS = "http://www.opcfoundation.org/UA/units/un/cefact"


@dataclass(frozen=True, slots=True)
class Unit:
    code: str
    """UNECE Recommendation 20 common code."""
    display: str
    description: str
    eu_range: tuple[float, float]
    """The variable's EURange (AnalogItemType): what the simulated machine can show."""


UNITS = {
    "K": Unit("KEL", "K", "kelvin", (250.0, 400.0)),
    "rpm": Unit("RPM", "rpm", "revolutions per minute", (0.0, 3_000.0)),
    "Nm": Unit("NU", "N·m", "newton metre", (0.0, 100.0)),
    "min": Unit("MIN", "min", "minute", (0.0, 300.0)),
}


def unit_id(code: str) -> int:
    """OPC UA Part 8: a UNECE common code packed into an Int32, one byte per character."""
    value = 0
    for ch in code:
        value = (value << 8) | ord(ch)
    return value


def eu_information(unit: str) -> ua.EUInformation:
    u = UNITS[unit]
    return ua.EUInformation(
        NamespaceUri=UNECE_UNITS_NS,
        UnitId=unit_id(u.code),
        DisplayName=ua.LocalizedText(u.display),
        Description=ua.LocalizedText(u.description),
    )
