"""Structured logs: one event per line, `key=value`, on stderr."""

from __future__ import annotations

import logging
import sys


class _KeyValueFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        line = f"ts={self.formatTime(record)} level={record.levelname.lower()} {message}"
        if record.exc_info:
            line += " exc=" + repr(self.formatException(record.exc_info))
        return line


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_KeyValueFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("neo4j", "asyncio", "asyncua"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
