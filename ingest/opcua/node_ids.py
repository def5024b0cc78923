"""NodeIds that survive a server restart: written with the namespace URI, resolved per session.

Namespace indexes differ between servers and may change when one restarts, so mapping
files and the graph's `Tag.node_id` name namespaces by URI (`nsu=urn:…;s=Machine-7`).
"""

from __future__ import annotations

from typing import Any

from asyncua import ua


class UnknownNamespaceError(ValueError):
    """The server does not know the namespace URI a NodeId names."""


def portable(node_id: ua.NodeId, namespaces: list[str]) -> str:
    """`node_id` with its namespace written as URI (namespace 0 stays implicit)."""
    text = node_id_of(node_id.Identifier, 0, node_id.NodeIdType).to_string()
    if node_id.NamespaceIndex == 0:
        return text
    return f"nsu={namespaces[node_id.NamespaceIndex]};{text}"


def resolve(text: str, namespaces: list[str]) -> ua.NodeId:
    """The NodeId `text` names on this server (`nsu=URI;…` or `ns=N;…`)."""
    parsed = ua.NodeId.from_string(text)
    index = int(parsed.NamespaceIndex)
    uri = getattr(parsed, "NamespaceUri", None)
    if uri:
        if uri not in namespaces:
            raise UnknownNamespaceError(f"the server has no namespace {uri!r} (in {text!r})")
        index = namespaces.index(uri)
    elif index >= len(namespaces):
        raise UnknownNamespaceError(f"the server has no namespace index {index} (in {text!r})")
    return node_id_of(parsed.Identifier, index, parsed.NodeIdType)


def node_id_of(identifier: Any, index: int, kind: Any) -> ua.NodeId:
    """A plain NodeId (asyncua's annotations want its own int subtypes)."""
    return ua.NodeId(identifier, index, kind)  # type: ignore[arg-type]
