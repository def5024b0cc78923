"""Subscription messages encode as plain JSON would, with shared payloads encoded once."""

from __future__ import annotations

import json

from app.event_json import encode_message


def test_messages_round_trip_like_plain_json() -> None:
    data = {"machineStateChanged": {"machineId": "M1", "state": "EXECUTING", "note": 'a "q" é'}}
    for message in (
        {"id": "7", "type": "next", "payload": {"data": data}},
        {"id": "7", "type": "data", "payload": {"data": data}},
        {"id": "7", "type": "next", "payload": {"data": None, "errors": [{"message": "x"}]}},
        {"type": "connection_ack"},
        {"type": "ping", "payload": {"at": 1}},
    ):
        assert json.loads(encode_message(message)) == message


def test_a_shared_payload_is_encoded_once_per_object() -> None:
    data = {"x": [1, 2.5, None]}
    first = encode_message({"id": "1", "type": "next", "payload": {"data": data}})
    second = encode_message({"id": "2", "type": "next", "payload": {"data": data}})
    assert first.replace('"1"', '"2"', 1) == second
    data["x"].append(3)  # the same object changed: still the first encoding (shared, immutable)
    other = {"x": [1, 2.5, None, 3]}
    assert (
        json.loads(encode_message({"id": "3", "type": "next", "payload": {"data": other}}))[
            "payload"
        ]["data"]
        == other
    )
