"""Sends connections to Amazon's host names to the SP-API simulator, in any Python process
started with this folder on PYTHONPATH (the env file of `sp-api-simulator --tls` puts it
there): an unmodified client (requests, httpx, urllib) then reaches the simulator under
Amazon's real names, and checks its certificate against the CA the env file names.

Python runs `sitecustomize` at start-up; this one answers name lookups of the hosts in
SP_API_SIMULATOR_HOSTS with SP_API_SIMULATOR_ADDRESS (host:port, so port 443 needs no
privilege) and leaves every other lookup alone. Without those variables it does nothing.
Standard library only: it runs before any package is importable. Written by hand because
no maintained library redirects name lookups inside a process (the alternatives are the
hosts file and port 443, which need root: see the README).
"""

from __future__ import annotations

import importlib.util
import os
import socket
import sys
from typing import Any


def _install() -> None:
    hosts = set(os.environ.get("SP_API_SIMULATOR_HOSTS", "").split())
    address = os.environ.get("SP_API_SIMULATOR_ADDRESS", "")
    if not hosts or ":" not in address:
        return
    ip, _, port = address.rpartition(":")
    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(
        host: Any,
        port_asked: Any,
        family: int = 0,
        type: int = 0,  # socket's own name: asyncio passes it by keyword
        proto: int = 0,
        flags: int = 0,
    ) -> list[Any]:
        name = host.decode() if isinstance(host, bytes) else host
        if isinstance(name, str) and name.lower().rstrip(".") in hosts:
            kind = type or socket.SOCK_STREAM
            return [(socket.AF_INET, kind, proto or socket.IPPROTO_TCP, "", (ip, int(port)))]
        return real_getaddrinfo(host, port_asked, family, type, proto, flags)

    socket.getaddrinfo = getaddrinfo  # type: ignore[assignment]


def _run_the_next_sitecustomize() -> None:
    """Python runs only the first `sitecustomize` on its path: run the one this shadows (a
    virtualenv's, a test harness's), as if this were not there."""
    here = os.path.dirname(os.path.abspath(__file__))
    for entry in sys.path:
        folder = os.path.abspath(entry or os.curdir)
        candidate = os.path.join(folder, "sitecustomize.py")
        if folder != here and os.path.isfile(candidate):
            spec = importlib.util.spec_from_file_location("_shadowed_sitecustomize", candidate)
            if spec is not None and spec.loader is not None:
                spec.loader.exec_module(importlib.util.module_from_spec(spec))
            return


_install()
_run_the_next_sitecustomize()
