"""How the ingest connects: endpoint, security policy, certificates, user, timeouts.

Security is explicit. `--security Basic256Sha256,SignAndEncrypt` (or `,Sign`) with the
client's certificate and key; username/password on top of either; `None` only when the
caller asks for it by name — the ingest never falls back to an unsecured channel.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from asyncua import ua
from asyncua.client.client import Client
from asyncua.crypto import security_policies

APPLICATION_URI = "urn:factorygraph:ingest"
"""The client's application URI; its certificate must carry it (subjectAltName URI)."""

POLICIES: dict[str, type[security_policies.SecurityPolicy]] = {
    "Basic256Sha256": security_policies.SecurityPolicyBasic256Sha256,
    "Aes128Sha256RsaOaep": security_policies.SecurityPolicyAes128Sha256RsaOaep,
    "Aes256Sha256RsaPss": security_policies.SecurityPolicyAes256Sha256RsaPss,
}
MODES = {
    "Sign": ua.MessageSecurityMode.Sign,
    "SignAndEncrypt": ua.MessageSecurityMode.SignAndEncrypt,
}


class ConnectionSettingsError(ValueError):
    """The security options do not make a usable connection."""


@dataclass(frozen=True)
class ConnectionSettings:
    endpoint: str
    security: str = "None"
    """`None`, or `Policy,Mode` such as `Basic256Sha256,SignAndEncrypt`."""
    certificate: Path | None = None
    private_key: Path | None = None
    username: str | None = None
    password: str | None = None
    timeout_s: float = 10.0
    watchdog_s: float = 5.0
    """How often the connection is probed; FIELD-NOTES: 1 s declares a busy server dead."""
    sampling_ms: float = 100.0
    publishing_ms: float = 100.0
    queue_size: int = 10
    """Per monitored item: 10 at 100 ms keeps one second of changes across a hiccup."""
    batch_size: int = 1_000
    """Monitored items created per CreateMonitoredItems call."""
    backoff_min_s: float = 0.5
    backoff_max_s: float = 30.0

    def __post_init__(self) -> None:
        if self.security != "None":
            policy, _, mode = self.security.partition(",")
            if policy not in POLICIES or mode not in MODES:
                raise ConnectionSettingsError(
                    f"--security {self.security!r}: use None or POLICY,MODE with POLICY one of "
                    f"{', '.join(POLICIES)} and MODE Sign or SignAndEncrypt"
                )
            if self.certificate is None or self.private_key is None:
                raise ConnectionSettingsError(
                    f"--security {self.security} needs the client's --cert and --key "
                    "(`factorygraph opcua make-cert` makes a pair)"
                )
            for path in (self.certificate, self.private_key):
                if not path.is_file():
                    raise ConnectionSettingsError(f"no such file: {path}")
        if (self.username is None) != (self.password is None):
            raise ConnectionSettingsError("give both --user and --password, or neither")

    def describe(self) -> str:
        """For logs: everything but the password."""
        user = f" user={self.username}" if self.username else ""
        return f"{self.endpoint} security={self.security}{user}"


async def build_client(settings: ConnectionSettings) -> Client:
    """A fresh, configured, unconnected client (a new one for every reconnect)."""
    client = Client(
        settings.endpoint, timeout=settings.timeout_s, watchdog_intervall=settings.watchdog_s
    )
    client.application_uri = APPLICATION_URI
    client.name = client.description = "factorygraph ingest"
    if settings.username is not None:
        client.set_user(settings.username)
        client.set_password(settings.password or "")
    if settings.security != "None":
        policy, _, mode = settings.security.partition(",")
        assert settings.certificate is not None and settings.private_key is not None
        await client.set_security(
            POLICIES[policy],
            str(settings.certificate),
            str(settings.private_key),
            mode=MODES[mode],
        )
    return client
