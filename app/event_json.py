"""JSON for subscription messages, with each shared event payload encoded once.

Subscribers of the same subscription receive the same `data` object (see
`schema.shared_execution`); only the operation id differs between their messages. The
encoded `data` of the most recent payloads is kept and spliced into each message, so
a thousand subscribers cost one `json.dumps` of the payload, not a thousand.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from typing import Any

_RECENT = 512
_encoded: OrderedDict[int, tuple[Any, str]] = OrderedDict()

_NEXT_TYPES = frozenset({"next", "data"})  # graphql-transport-ws, legacy graphql-ws


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def encode_message(message: Any) -> str:
    """`message` as compact JSON; a data-only result message reuses its encoded data."""
    if (
        isinstance(message, dict)
        and message.get("type") in _NEXT_TYPES
        and message.keys() == {"id", "type", "payload"}
    ):
        payload = message["payload"]
        if isinstance(payload, dict) and payload.keys() == {"data"}:
            data = payload["data"]
            found = _encoded.get(id(data))
            if found is not None and found[0] is data:  # kept, so the id is not reused
                encoded = found[1]
            else:
                encoded = _dumps(data)
                _encoded[id(data)] = (data, encoded)
                while len(_encoded) > _RECENT:
                    _encoded.popitem(last=False)
            return (
                f'{{"id":{_dumps(message["id"])},"type":{_dumps(message["type"])},'
                f'"payload":{{"data":{encoded}}}}}'
            )
    return _dumps(message)
