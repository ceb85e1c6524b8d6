"""With no endpoint override, the tap calls Amazon's real host names over HTTPS.

The simulator serves TLS with a certificate for those names from a test CA
(trustme); name resolution of *.amazon.com is pointed at 127.0.0.1 inside this
process only, and REQUESTS_CA_BUNDLE makes the tap trust the test CA, exactly as
a user behind a TLS-inspecting proxy would. Nothing leaves the machine.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
import trustme

from sp_api_simulator import Simulator, SimulatorConfig
from tests.conftest import FAST, run_sync, select

# Amazon's document host (pre-signed S3 links) is another domain.
DOCUMENT_HOST = "tortuga-prod-na.s3-external-1.amazonaws.com"
AMAZON_HOSTS = [
    "api.amazon.com",
    "sellingpartnerapi-na.amazon.com",
    "sellingpartnerapi-eu.amazon.com",
    "sellingpartnerapi-fe.amazon.com",
    DOCUMENT_HOST,
]


@pytest.fixture
def tls_simulator(tmp_path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Simulator]:
    ca = trustme.CA()
    server_cert = ca.issue_cert(*AMAZON_HOSTS)
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    import ssl

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_cert.configure_cert(context)
    sim = Simulator(SimulatorConfig(time_scale=FAST, public_url=f"https://{DOCUMENT_HOST}"))
    sim.start(tls=context)
    port = int(sim.url.rsplit(":", 1)[1])
    real_getaddrinfo = socket.getaddrinfo
    resolved: list[str] = []

    def fake_getaddrinfo(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        if isinstance(host, str) and host in AMAZON_HOSTS:
            resolved.append(host)
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(ca_file))
    sim.resolved_hosts = resolved  # type: ignore[attr-defined]
    try:
        yield sim
    finally:
        sim.stop()


def test_sync_against_real_host_names_without_overrides(tls_simulator: Simulator) -> None:
    config = {
        "refresh_token": tls_simulator.config.refresh_token,
        "lwa_client_id": tls_simulator.config.client_id,
        "lwa_client_secret": tls_simulator.config.client_secret,
        "marketplaces": ["US", "DE"],
        "report_poll_interval": 0.03,
    }
    result = run_sync(config, catalog=select("marketplaces", "account", "warehouse_inventory"))
    # Report documents too come from the document host under the same host names.
    assert {r["marketplace_id"] for r in result.records["warehouse_inventory"]} == {
        "ATVPDKIKX0DER",
        "A1PA6795UKMFR9",
    }
    assert {r["region"] for r in result.records["marketplaces"]} == {"na", "eu"}
    assert result.records["account"][0]["region"] == "eu"
    assert set(tls_simulator.resolved_hosts) == {  # type: ignore[attr-defined]
        "api.amazon.com",
        "sellingpartnerapi-na.amazon.com",
        "sellingpartnerapi-eu.amazon.com",
        DOCUMENT_HOST,
    }
