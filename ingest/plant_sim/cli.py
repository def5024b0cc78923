"""Command line of the simulated plant: parse options, serve, print READY, stop on a signal.

Prints exactly one line on stdout, `READY <endpoint>`, once clients can connect (tests and
scripts wait for it); everything else is a structured log line on stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from asyncua import ua

from ingest.demo.scale import ScaleError, parse_scale
from ingest.opcua.nodesets import NodesetsMissingError
from ingest.plant_sim.machines import sim_machines
from ingest.plant_sim.security import (
    SecurityConfigError,
    ensure_server_certificate,
    parse_policies,
    parse_user,
    pki_dir,
)
from ingest.plant_sim.server import start_plant_server
from ingest.plant_sim.simulator import DEFAULT_TIME_SCALE, Plant, run_simulator

log = logging.getLogger("ingest.plant_sim")

DEFAULT_ENDPOINT = "opc.tcp://127.0.0.1:4840"


@dataclass(frozen=True)
class PlantSimOptions:
    endpoint: str = DEFAULT_ENDPOINT
    machines: int | None = None
    """None: every machine of the demo plant."""
    rate_hz: float = 2.0
    seed: int = 42
    scale: str = "small"
    time_scale: float = DEFAULT_TIME_SCALE
    security: tuple[str, ...] = ("None",)
    cert: Path | None = None
    key: Path | None = None
    users: dict[str, str] = field(default_factory=dict)
    allow_anonymous: bool = False
    """Anonymous logins are also allowed whenever the only policy is None."""
    nodesets_dir: Path | None = None


def parse_args(argv: list[str] | None = None) -> PlantSimOptions:
    p = argparse.ArgumentParser(
        prog="python -m ingest.plant_sim",
        description="Serve the demo plant's machines as a simulated OPC UA Machinery plant.",
    )
    p.add_argument("--endpoint", default=DEFAULT_ENDPOINT, help="opc.tcp://host:port")
    p.add_argument("--machines", type=int, default=None, help="how many (default: the plant's)")
    p.add_argument("--rate", type=float, default=2.0, help="ticks per real second")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--scale", default="small", help="demo plant scale (as for seed)")
    p.add_argument(
        "--time-scale",
        type=float,
        default=DEFAULT_TIME_SCALE,
        help="simulated seconds per real second (default 60)",
    )
    p.add_argument(
        "--security",
        action="append",
        default=None,
        help="None or Policy,Mode (repeatable or comma-joined), e.g. Basic256Sha256,SignAndEncrypt",
    )
    p.add_argument("--cert", type=Path, help="server certificate (DER or PEM)")
    p.add_argument("--key", type=Path, help="server private key (PEM)")
    p.add_argument("--user", action="append", default=[], help="name:password (repeatable)")
    p.add_argument("--allow-anonymous", action="store_true", help="also on secured endpoints")
    p.add_argument("--nodesets", type=Path, help="directory with DI/ and Machinery/ nodesets")
    p.add_argument("--log-level", default="INFO")
    a = p.parse_args(argv)
    logging.getLogger().setLevel(a.log_level.upper())
    if a.rate <= 0 or a.time_scale <= 0:
        p.error("--rate and --time-scale must be positive")
    if a.machines is not None and a.machines < 1:
        p.error("--machines must be at least 1")
    if (a.cert is None) != (a.key is None):
        p.error("--cert and --key go together")
    try:
        parse_scale(a.scale)
        users = dict(parse_user(u) for u in a.user)
        security = tuple(a.security or ["None"])
        parse_policies(security)
    except (ScaleError, SecurityConfigError) as exc:
        p.error(str(exc))
    return PlantSimOptions(
        endpoint=a.endpoint,
        machines=a.machines,
        rate_hz=a.rate,
        seed=a.seed,
        scale=a.scale,
        time_scale=a.time_scale,
        security=security,
        cert=a.cert,
        key=a.key,
        users=users,
        allow_anonymous=a.allow_anonymous,
        nodesets_dir=a.nodesets,
    )


async def run_plant_sim(options: PlantSimOptions, stop: asyncio.Event | None = None) -> None:
    """Serve and simulate until `stop` is set (or SIGINT/SIGTERM when none is given)."""
    policies = parse_policies(options.security)
    secured = any(p is not ua.SecurityPolicyType.NoSecurity for p in policies)
    allow_anonymous = options.allow_anonymous or not secured
    if not allow_anonymous and not options.users:
        raise SecurityConfigError("a secured plant needs --user name:password or --allow-anonymous")
    cert, key = options.cert, options.key
    if secured and cert is None:
        host = urlparse(options.endpoint).hostname or "localhost"
        cert, key = ensure_server_certificate(pki_dir(), [host])  # the serving line names it
    machines = sim_machines(options.scale, options.seed, options.machines)
    server = await start_plant_server(
        options.endpoint,
        machines,
        security=options.security,
        cert=cert,
        key=key,
        users=options.users or None,
        allow_anonymous=allow_anonymous,
        nodesets_dir=options.nodesets_dir,
    )
    if stop is None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
    plant = Plant(machines, options.seed, options.time_scale / options.rate_hz)
    try:
        sys.stdout.write(f"READY {options.endpoint}\n")
        sys.stdout.flush()
        await run_simulator(server, plant, rate_hz=options.rate_hz, stop=stop)
    finally:
        await server.stop()


def configure_logging() -> None:
    """key=value lines on stderr; asyncua's chatter (import warnings, sessions) kept down."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        logging.Formatter("ts=%(asctime)s level=%(levelname)s logger=%(name)s %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    logging.getLogger("asyncua").setLevel(logging.WARNING)
    logging.getLogger("asyncua.common.xmlimporter").setLevel(logging.ERROR)


def main(argv: list[str] | None = None) -> int:
    configure_logging()
    options = parse_args(argv)
    try:
        asyncio.run(run_plant_sim(options))
    except (SecurityConfigError, NodesetsMissingError, ValueError, OSError) as exc:
        log.error("plant_sim.failed error=%r", str(exc))
        return 1
    return 0
