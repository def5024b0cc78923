"""`search`: check what was typed, find it through `graph.search`, give each hit a title."""

from __future__ import annotations

from graph import search as graph_search
from graph.store import GraphStore
from resolvers.errors import BadRequest
from schema.client import SearchHit

MAX_TEXT = 200
"""The longest text searched: an id is at most 200 characters (`domain.values.Id`)."""

MAX_FIRST = 50


def checked(text: str, first: int) -> str:
    """The text to look for (stripped), or BadRequest for text or a count the API refuses."""
    if "\x00" in text:
        raise BadRequest("text must not contain NUL characters")
    wanted = text.strip()
    if not wanted:
        raise BadRequest("text must not be blank")
    if len(wanted) > MAX_TEXT:
        raise BadRequest(f"text must be at most {MAX_TEXT} characters, got {len(wanted)}")
    if not 1 <= first <= MAX_FIRST:
        raise BadRequest(f"first must be between 1 and {MAX_FIRST}, got {first}")
    return wanted


def title(found: graph_search.Found) -> str:
    """What a person reads: a name, or the id with its status ("WO-000001 (RELEASED)")."""
    status = found.status.upper() if found.status else None
    if found.label == "QualityEvent":
        kind = (found.status or "quality event").replace("_", " ")
        severity = f" ({found.extra.upper()})" if found.extra else ""
        return f"{found.id}: {kind}{severity}"
    if found.label == "RiskAlert":
        return f"{found.name or found.id} ({status})" if status else found.name or found.id
    if found.name:
        return found.name
    text = f"{found.id} ({status})" if status else found.id
    if found.label == "MaterialLot" and found.extra:
        text += f", supplier lot {found.extra}"
    return text


async def search(store: GraphStore, text: str, first: int) -> list[SearchHit]:
    wanted = checked(text, first)
    return [
        SearchHit(id=hit.id, label=hit.label, title=title(hit))  # type: ignore[arg-type]
        for hit in await graph_search.search(store, wanted, first)
    ]
