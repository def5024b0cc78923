"""Install a Debian package the benches or tests need (PostgreSQL 15, Chromium) with apt.

Tries the install first and refreshes the package lists only when that fails, so a
machine whose lists are current does not pay for an update.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess

log = logging.getLogger(__name__)


class AptUnavailable(RuntimeError):
    """There is no apt-get here, or installing needs root and this is not root."""


class AptFailed(RuntimeError):
    """apt-get ran and failed; the message carries the end of its output."""


def apt_install(package: str, *, timeout_s: float) -> None:
    """`apt-get install -y --no-install-recommends <package>` (updating once if needed)."""
    apt_get = shutil.which("apt-get")
    if apt_get is None:
        raise AptUnavailable(f"{package} is not installed and there is no apt-get")
    if os.geteuid() != 0:
        raise AptUnavailable(
            f"{package} is not installed and installing it needs root: "
            f"run `apt-get install -y --no-install-recommends {package}` as root"
        )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = [apt_get, "install", "-y", "--no-install-recommends", package]

    def run(command: list[str]) -> None:
        try:
            done = subprocess.run(
                command, env=env, capture_output=True, text=True, timeout=timeout_s, check=False
            )
        except (OSError, subprocess.SubprocessError) as exc:
            raise AptFailed(f"{' '.join(command)} failed: {exc}") from exc
        if done.returncode != 0:
            tail = (done.stdout + done.stderr).strip()[-2000:]
            raise AptFailed(f"{' '.join(command)} failed (exit {done.returncode}): {tail}")

    log.info("apt.install command=%s", " ".join(install))
    try:
        run(install)
    except AptFailed:
        run([apt_get, "update"])
        run(install)
