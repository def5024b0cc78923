"""Who may talk to the simulated plant: security policies, users, the server certificate.

asyncua offers every policy it knows unless told otherwise, and a client asking for a
policy the server does not offer hangs until its timeout instead of failing, so the
policies are parsed strictly here and the server logs exactly what it offers.
"""

from __future__ import annotations

import hmac
import logging
import os
import socket
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from asyncua import ua
from asyncua.crypto.permission_rules import User, UserRole

from ingest.opcua.certificates import certificate_uri, make_certificate

log = logging.getLogger(__name__)

APPLICATION_URI = "urn:factorygraph:plant-sim"
PKI_ENV = "FACTORYGRAPH_PLANT_SIM_PKI"
DEFAULT_PKI_DIR = Path(".factorygraph/plant-sim-pki")

POLICIES = ("Basic256Sha256", "Aes128Sha256RsaOaep", "Aes256Sha256RsaPss")
"""Current OPC UA policies (Basic128Rsa15 and Basic256 are deprecated and refused)."""
MODES = ("Sign", "SignAndEncrypt")


class SecurityConfigError(ValueError):
    """A security option that cannot work: unknown policy, no way to log in, no certificate."""


def parse_policies(values: Iterable[str]) -> list[ua.SecurityPolicyType]:
    """`None` and `Policy,Mode` pairs, repeated or comma-joined, e.g. `None,Basic256Sha256,Sign`."""
    tokens = [t.strip() for value in values for t in value.split(",") if t.strip()]
    if not tokens:
        raise SecurityConfigError("no security policy given (use None for an open endpoint)")
    policies: list[ua.SecurityPolicyType] = []
    i = 0
    while i < len(tokens):
        policy = tokens[i]
        if policy.lower() == "none":
            chosen = ua.SecurityPolicyType.NoSecurity
            i += 1
        else:
            if policy not in POLICIES:
                raise SecurityConfigError(
                    f"unknown or deprecated security policy {policy!r}; "
                    f"use None or one of {', '.join(POLICIES)} with a mode"
                )
            mode = tokens[i + 1] if i + 1 < len(tokens) else ""
            if mode not in MODES:
                raise SecurityConfigError(
                    f"policy {policy} needs a mode ({' or '.join(MODES)}), got {mode or 'none'!r}"
                )
            chosen = ua.SecurityPolicyType[f"{policy}_{mode}"]
            i += 2
        if chosen not in policies:
            policies.append(chosen)
    return policies


def describe_policies(policies: Iterable[ua.SecurityPolicyType]) -> str:
    """`None, Basic256Sha256/SignAndEncrypt`: for the log line clients are matched against."""
    names = []
    for p in policies:
        names.append("None" if p is ua.SecurityPolicyType.NoSecurity else p.name.replace("_", "/"))
    return ", ".join(names)


def parse_user(text: str) -> tuple[str, str]:
    """`name:password` (the password may itself contain colons)."""
    name, sep, password = text.partition(":")
    if not sep or not name or not password:
        raise SecurityConfigError(f"a user is name:password, got {text!r}")
    return name, password


class PasswordUserManager:
    """Username/password logins from a fixed table; anonymous only when allowed.

    asyncua asks its user manager for every session, anonymous ones included (username
    None), and passes the secure channel's client certificate along with any login;
    certificate logins never get here, since the server offers no X509 identity token.
    """

    def __init__(self, users: dict[str, str], allow_anonymous: bool) -> None:
        self._users = {name: password.encode() for name, password in users.items()}
        self._allow_anonymous = allow_anonymous

    def get_user(
        self,
        iserver: Any,
        username: str | None = None,
        password: str | None = None,
        certificate: Any = None,
    ) -> User | None:
        if username is None:
            return User(role=UserRole.User) if self._allow_anonymous else None
        expected = self._users.get(username)
        given = (password or "").encode()
        if expected is None or not hmac.compare_digest(expected, given):
            log.warning("plant_sim.login_refused user=%s", username)
            return None
        return User(role=UserRole.User, name=username)


def pki_dir() -> Path:
    """Where a generated server certificate lives (`$FACTORYGRAPH_PLANT_SIM_PKI`)."""
    configured = os.environ.get(PKI_ENV)
    return Path(configured) if configured else DEFAULT_PKI_DIR


def ensure_server_certificate(directory: Path, hostnames: list[str]) -> tuple[Path, Path]:
    """The plant's certificate and key in `directory`, made when missing or for another URI."""
    cert, key = directory / "plant-sim-cert.der", directory / "plant-sim-key.pem"
    if cert.is_file() and key.is_file() and certificate_uri(cert) == APPLICATION_URI:
        return cert, key
    names = list(dict.fromkeys([*hostnames, socket.gethostname(), "localhost", "127.0.0.1"]))
    make_certificate(
        cert,
        key,
        common_name="factorygraph plant simulator",
        application_uri=APPLICATION_URI,
        hostnames=names,
    )
    log.info("plant_sim.certificate_created cert=%s key=%s", cert.resolve(), key.resolve())
    return cert, key
