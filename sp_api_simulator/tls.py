"""`sp-api-simulator --tls`: the simulator under Amazon's real host names, for any client.

A local CA (trustme) signs one certificate for the SP-API hosts of every region, the LWA
hosts and the report document host; the simulator serves HTTPS with it. The env file
written beside it makes an unmodified Python client reach it: a CA bundle (the system's
certifi roots plus the local CA, so other HTTPS keeps working) under the variables requests,
httpx and curl read, the redirect of those host names to the simulator's address
(redirect/sitecustomize.py, put on PYTHONPATH), and the simulator's credentials under the
names python-amazon-sp-api reads.
"""

from __future__ import annotations

import shlex
import ssl
from dataclasses import dataclass
from pathlib import Path

import certifi
import trustme

from sp_api_simulator import redirect

SP_API_HOSTS = tuple(f"sellingpartnerapi-{region}.amazon.com" for region in ("na", "eu", "fe"))
# Login with Amazon's token hosts (North America, Europe, Far East).
LWA_HOSTS = ("api.amazon.com", "api.amazon.co.uk", "api.amazon.co.jp")
#: Where the simulator's document links point under --tls (Amazon's NA document host).
DOCUMENT_HOST = "tortuga-prod-na.s3-external-1.amazonaws.com"
HOSTS = (*SP_API_HOSTS, *LWA_HOSTS, DOCUMENT_HOST)


@dataclass(frozen=True)
class Certificates:
    """The server side (an SSL context) and what clients trust (the CA bundle's path)."""

    context: ssl.SSLContext
    bundle: Path


def make_certificates(folder: Path) -> Certificates:
    """A new local CA and a certificate for every host of HOSTS; the CA's certificate and
    the bundle clients read are written to `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    ca = trustme.CA(organization_name="sp-api-simulator local CA")
    # The simulator's own address too, for a client pointed at it directly.
    certificate = ca.issue_cert(*HOSTS, "localhost", "127.0.0.1")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate.configure_cert(context)
    ca_file = folder / "simulator-ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    bundle = folder / "ca-bundle.pem"
    bundle.write_bytes(Path(certifi.where()).read_bytes() + b"\n" + ca_file.read_bytes())
    return Certificates(context, bundle.resolve())


def env_lines(
    *, address: str, bundle: Path, refresh_token: str, client_id: str, client_secret: str
) -> list[str]:
    """`export` lines that point an unmodified Python client at the simulator at `address`
    (host:port) under Amazon's host names."""
    redirect_dir = Path(redirect.__file__).resolve().parent
    values = {
        # requests, httpx and Python's ssl module; curl.
        "REQUESTS_CA_BUNDLE": str(bundle),
        "SSL_CERT_FILE": str(bundle),
        "CURL_CA_BUNDLE": str(bundle),
        "SP_API_SIMULATOR_ADDRESS": address,
        "SP_API_SIMULATOR_HOSTS": " ".join(HOSTS),
        # The simulator's credentials (they open nothing but the simulator), under the names
        # python-amazon-sp-api reads.
        "SP_API_REFRESH_TOKEN": refresh_token,
        "LWA_APP_ID": client_id,
        "LWA_CLIENT_SECRET": client_secret,
    }
    lines = [
        "# Written by sp-api-simulator --tls. `source` it, then run any Python SP-API client",
        "# unchanged: Amazon's host names reach the simulator, and its certificate is trusted.",
    ]
    lines += [f"export {name}={shlex.quote(value)}" for name, value in values.items()]
    quoted = shlex.quote(str(redirect_dir))
    lines.append(f'export PYTHONPATH={quoted}"${{PYTHONPATH:+:$PYTHONPATH}}"')
    return lines
