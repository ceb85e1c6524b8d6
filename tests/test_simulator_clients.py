"""A real client, python-amazon-sp-api, drives the simulator through its own API classes
(#20). The client is not the tap's: a failure means the simulator (or our reading of
Amazon) is wrong, never "patch the client"."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from sp_api_simulator import Simulator, SimulatorConfig
from sp_api_simulator.data import SellerData
from tap_amazon_seller import clock

CLIENTS = Path(__file__).parent / "clients"
US, DE = "ATVPDKIKX0DER", "A1PA6795UKMFR9"


@pytest.fixture
def simulator_process(tmp_path: Path) -> Iterator[Path]:
    """`sp-api-simulator --port 0 --time-scale 60 --tls --env-file env.sh`, as README says."""
    env_file = tmp_path / "env.sh"
    command = [sys.executable, "-m", "sp_api_simulator", "--port", "0", "--time-scale", "60"]
    process = subprocess.Popen(
        [*command, "--tls", "--env-file", str(env_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=tmp_path,
    )
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("SP-API simulator listening on"):
                break
        else:
            pytest.fail("the simulator did not start")
        yield env_file
    finally:
        process.terminate()
        process.wait(timeout=30)


def run_sourced(env_file: Path, script: Path, *args: str) -> dict:
    """Run `script` in a shell that sourced `env_file`, as a user would; its JSON output."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SP_API", "LWA_"))}
    result = subprocess.run(
        ["bash", "-c", f'source "{env_file}" && exec "{sys.executable}" "$@"', "-", script, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_one_line_makes_an_unmodified_client_reach_the_simulator(
    simulator_process: Path,
) -> None:
    """The README's recipe: participations, orders and a listings report created, polled
    and downloaded, by a script that names no endpoint and patches nothing."""
    text = simulator_process.read_text()
    assert "SP_API_REFRESH_TOKEN" in text and "SSL_CERT_FILE" in text
    since = (clock.now() - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
    result = run_sourced(simulator_process, CLIENTS / "one_liner.py", since)
    data = SellerData(seed=1)  # the CLI's default seed: the same catalogue
    assert result["marketplaces"] == {m.id: m.participating for m in data.marketplaces("na")}
    assert result["orders"] and all(len(o.split("-")) == 3 for o in result["orders"])
    assert result["status"] == "DONE"
    lines = result["document"].splitlines()
    assert lines[0].split("\t")[:4] == ["item-name", "item-description", "listing-id", "seller-sku"]
    skus = {line.split("\t")[3] for line in lines[1:]}
    assert skus == {p.sku for p in data.products(US)}


def test_the_redirect_sends_only_amazons_names_and_keeps_another_sitecustomize(
    tmp_path: Path,
) -> None:
    """The env file's redirect answers lookups of the simulator's hosts with its address,
    leaves other names alone, and runs the sitecustomize it shadows (a virtualenv's, or
    the test clock's), as Python would without it."""
    from sp_api_simulator import redirect

    other = tmp_path / "other"
    other.mkdir()
    (other / "sitecustomize.py").write_text("import os\nos.environ['OTHER_SITE'] = 'ran'\n")
    script = (
        "import os, socket\n"
        "print(socket.getaddrinfo('sellingpartnerapi-eu.amazon.com', 443)[0][4])\n"
        "print(socket.getaddrinfo('localhost', 80)[0][4][0])\n"
        "print(os.environ.get('OTHER_SITE'))\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": f"{Path(redirect.__file__).parent}{os.pathsep}{other}",
        "SP_API_SIMULATOR_HOSTS": "sellingpartnerapi-eu.amazon.com api.amazon.com",
        "SP_API_SIMULATOR_ADDRESS": "127.0.0.1:8443",
    }
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    redirected, local, other_site = result.stdout.splitlines()
    assert redirected == "('127.0.0.1', 8443)"
    assert local in ("127.0.0.1", "::1")
    assert other_site == "ran"


def test_what_the_simulator_does_not_serve_is_said_so(simulator: Simulator) -> None:
    """An operation of Amazon's models that the simulator does not serve, or a report type
    it does not make, is 501 NotSimulated naming it: never one of Amazon's answers, which a
    client would take for "no such thing". A name Amazon could not have is still 400."""
    status, unserved = _caller(simulator)("/dataKiosk/2023-11-15/queries")
    assert status == 501
    (error,) = unserved["errors"]
    assert error["code"] == "NotSimulated"
    assert "dataKiosk_2023-11-15.getQueries" in error["message"]
    create = _caller(simulator, method="POST")
    body = {"marketplaceIds": [US]}
    path = "/reports/2021-06-30/reports"
    status, unmade = create(path, json={**body, "reportType": "GET_NOT_A_SIMULATED_TYPE"})
    assert status == 501
    assert "GET_NOT_A_SIMULATED_TYPE" in unmade["errors"][0]["message"]
    status, _ = create(path, json={**body, "reportType": "listings"})
    assert status == 400


@pytest.fixture(scope="module")
def tls_simulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Simulator, Path]]:
    """A simulator in this process under --tls (small pages, so clients page), and the env
    file a client sources."""
    from sp_api_simulator import tls

    folder = tmp_path_factory.mktemp("tls")
    certificates = tls.make_certificates(folder)
    config = SimulatorConfig(
        time_scale=1000, page_size=5, public_url=f"https://{tls.DOCUMENT_HOST}"
    )
    sim = Simulator(config)
    url = sim.start(tls=certificates.context)
    env_file = folder / "env.sh"
    lines = tls.env_lines(
        address=url.split("://", 1)[1],
        bundle=certificates.bundle,
        refresh_token=config.refresh_token,
        client_id=config.client_id,
        client_secret=config.client_secret,
    )
    env_file.write_text("\n".join(lines) + "\n")
    try:
        yield sim, env_file
    finally:
        sim.stop()


def family(tls_simulator: tuple[Simulator, Path], name: str, **args: Any) -> dict:
    return run_sourced(tls_simulator[1], CLIENTS / "families.py", name, json.dumps(args))


def _window(days: float) -> dict[str, str]:
    end = clock.now() - timedelta(minutes=5)
    return {
        "after": (end - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "before": end.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def _parse(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def test_orders_of_both_versions_page_through_the_same_orders(
    tls_simulator: tuple[Simulator, Path],
) -> None:
    sim = tls_simulator[0]
    window = _window(6)
    v0 = family(tls_simulator, "orders_v0", marketplace=US, **window)["ids"]
    latest = family(tls_simulator, "orders_2026", marketplace=US, **window)
    expected = sim.data.orders.created_between(
        US, _parse(window["after"]), _parse(window["before"])
    )
    assert len(expected) > 5  # more than one page of five
    assert sorted(v0) == sorted(latest["ids"]) == sorted(o.order_id for o in expected)
    assert len(v0) == len(set(v0))
    assert latest["lines"] == sum(len(o.lines) for o in expected)
    one = expected[0]
    assert family(tls_simulator, "one_order", id=one.order_id) == {
        "id": one.order_id,
        "status": {"SHIPPED": "Shipped", "UNSHIPPED": "Unshipped", "CANCELLED": "Canceled"}.get(
            one.status, one.status
        ),
    }


def test_a_report_is_created_polled_listed_and_downloaded(
    tls_simulator: tuple[Simulator, Path],
) -> None:
    sim = tls_simulator[0]
    window = _window(3)
    got = family(
        tls_simulator,
        "reports",
        marketplace=US,
        type="GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_SALES_DATA",
        **window,
    )
    assert got["status"] == "DONE" and got["report_id"] in got["listed"]
    header, *rows = got["lines"]
    columns = header.split("\t")
    orders = {row.split("\t")[columns.index("amazon-order-id")] for row in rows}
    start, end = _parse(window["after"]), _parse(window["before"])
    assert orders == {
        s.order_id
        for day in sim.data.days(US, start, end)
        for s in day.shipments
        if start <= s.shipped <= end
    }


def test_financial_events_page_through_every_event(tls_simulator: tuple[Simulator, Path]) -> None:
    from sp_api_simulator.families.finances import events_between

    sim = tls_simulator[0]
    window = _window(4)
    got = family(tls_simulator, "finances", **window)["counts"]
    expected: dict[str, int] = {}
    for name, _ in events_between(sim, "na", _parse(window["after"]), _parse(window["before"])):
        expected[name] = expected.get(name, 0) + 1
    assert sum(expected.values()) > 5  # more than a page (the simulator's pages of five)
    assert {k: v for k, v in got.items() if v} == expected


def test_inventory_summaries_page_through_every_sku(
    tls_simulator: tuple[Simulator, Path],
) -> None:
    from sp_api_simulator.families.inventory import inventory_summary

    sim = tls_simulator[0]
    skus = family(tls_simulator, "inventory", marketplace=US)["skus"]
    assert skus == {
        p.sku: inventory_summary(p, details=False)["totalQuantity"] for p in sim.data.products(US)
    }


def test_listings_are_searched_and_read_one_by_one(tls_simulator: tuple[Simulator, Path]) -> None:
    sim = tls_simulator[0]
    products = sim.data.products(US)
    listed = family(tls_simulator, "listings", marketplace=US, seller=sim.config.seller_id)
    assert sorted(listed["skus"]) == sorted(p.sku for p in products)
    one = family(
        tls_simulator,
        "one_listing",
        marketplace=US,
        seller=sim.config.seller_id,
        sku=products[1].sku,
    )
    assert one == {"sku": products[1].sku, "asin": products[1].asin}


def test_catalog_items_are_found_by_asin(tls_simulator: tuple[Simulator, Path]) -> None:
    asins = sorted(p.asin for p in tls_simulator[0].data.products(US)[:3])
    assert family(tls_simulator, "catalog", marketplace=US, asins=asins)["asins"] == asins


def test_feeds_are_listed_by_type(tls_simulator: tuple[Simulator, Path]) -> None:
    from sp_api_simulator.families.feeds import feeds_of

    feed_types = ["POST_PRODUCT_DATA", "POST_INVENTORY_AVAILABILITY_DATA"]
    feeds = family(tls_simulator, "feeds", types=feed_types)["feeds"]
    expected = [
        f["feedId"] for f in feeds_of(tls_simulator[0], "na") if f["feedType"] in feed_types
    ]
    assert feeds and set(feeds) <= set(expected)


def test_vendor_purchase_orders_page_through_the_window(
    tls_simulator: tuple[Simulator, Path],
) -> None:
    from sp_api_simulator.families.vendor import purchase_orders

    window = _window(30)
    numbers = family(tls_simulator, "vendor_orders", **window)["numbers"]
    start, end = _parse(window["after"]), _parse(window["before"])
    assert sorted(numbers) == sorted(
        o["purchaseOrderNumber"]
        for o in purchase_orders(tls_simulator[0])
        if start <= _parse(o["orderDetails"]["purchaseOrderDate"]) <= end
    )


def test_a_restricted_data_token_is_granted(tls_simulator: tuple[Simulator, Path]) -> None:
    token = family(tls_simulator, "restricted_data_token", path="/orders/2026-01-01/orders")
    assert token == {"token": True, "expires": 3600}


def _caller(sim: Simulator, region: str = "na", method: str = "GET") -> Any:
    """Calls on the simulator with a valid access token: (status, JSON body)."""
    import requests

    config = sim.tap_config()
    token = requests.post(
        config["lwa_token_url"],
        data={
            "grant_type": "refresh_token",
            "refresh_token": config["refresh_token"],
            "client_id": config["lwa_client_id"],
            "client_secret": config["lwa_client_secret"],
        },
        timeout=10,
    ).json()["access_token"]
    base = config["api_base_url"].replace("{region}", region)

    def call(
        path: str, *, headers: dict | None = None, json: Any = None, **params: Any
    ) -> tuple[int, Any]:
        answer = requests.request(
            method,
            base + path,
            params=params,
            json=json,
            headers={"x-amz-access-token": token, **(headers or {})},
            timeout=10,
        )
        return answer.status_code, answer.json()

    return call


def test_filters_are_honoured_or_refused_by_name(simulator: Simulator) -> None:
    """A filter the simulator ignored answered more than was asked: each is now applied, or
    refused with a 400 that names it."""
    get = _caller(simulator)
    since = (clock.now() - timedelta(days=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    everything = simulator.data.orders.created_between(
        US, clock.now() - timedelta(days=5), clock.now() - timedelta(minutes=2)
    )
    v0 = "/orders/v0/orders"
    status, body = get(v0, MarketplaceIds=US, CreatedAfter=since, OrderStatuses="Shipped")
    assert status == 200
    shipped = {o.order_id for o in everything if o.status == "SHIPPED"}
    assert shipped and {o["AmazonOrderId"] for o in body["payload"]["Orders"]} == shipped
    _, body = get(v0, MarketplaceIds=US, CreatedAfter=since, FulfillmentChannels="AFN")
    afn = {o.order_id for o in everything if o.fulfilled_by == "AMAZON"}
    assert afn and {o["AmazonOrderId"] for o in body["payload"]["Orders"]} == afn
    two = sorted(o.order_id for o in everything)[:2]
    _, body = get(v0, MarketplaceIds=US, CreatedAfter=since, AmazonOrderIds=",".join(two))
    assert sorted(o["AmazonOrderId"] for o in body["payload"]["Orders"]) == two
    status, body = get(v0, MarketplaceIds=US, CreatedAfter=since, PaymentMethods="COD")
    assert status == 400 and "PaymentMethods" in body["errors"][0]["message"]

    search = "/orders/2026-01-01/orders"
    _, body = get(search, marketplaceIds=US, createdAfter=since, fulfilledBy="MERCHANT")
    merchant = {o.order_id for o in everything if o.fulfilled_by == "MERCHANT"}
    assert merchant and {o["orderId"] for o in body["orders"]} == merchant
    _, body = get(search, marketplaceIds=US, createdAfter=since, fulfillmentStatuses="SHIPPED")
    assert {o["orderId"] for o in body["orders"]} == shipped

    products = simulator.data.products(US)
    skus = sorted(p.sku for p in products[:2])
    _, body = get(
        "/fba/inventory/v1/summaries",
        granularityType="Marketplace",
        granularityId=US,
        marketplaceIds=US,
        sellerSkus=",".join(skus),
    )
    assert sorted(s["sellerSku"] for s in body["payload"]["inventorySummaries"]) == skus

    word = products[0].name.split()[0]
    status, body = get("/catalog/2022-04-01/items", marketplaceIds=US, keywords=word, pageSize=20)
    named = {p.asin for p in products if word.casefold() in p.name.casefold()}
    assert status == 200 and {i["asin"] for i in body["items"]} == named
    status, body = get(
        "/catalog/2022-04-01/items", marketplaceIds=US, keywords=word, brandNames="X"
    )
    assert status == 400 and "brandNames" in body["errors"][0]["message"]


def test_vendor_orders_filter_by_state() -> None:
    from sp_api_simulator.families.vendor import purchase_orders

    sim = Simulator(SimulatorConfig(time_scale=1000))
    with sim.running():
        get = _caller(sim)
        since = (clock.now() - timedelta(days=60)).strftime("%Y-%m-%dT%H:%M:%SZ")
        path = "/vendor/orders/v1/purchaseOrders"
        status, body = get(path, createdAfter=since, purchaseOrderState="Acknowledged", limit=100)
        assert status == 200
        got = {o["purchaseOrderNumber"] for o in body["payload"]["orders"]}
        expected = {
            o["purchaseOrderNumber"]
            for o in purchase_orders(sim)
            if o["purchaseOrderState"] == "Acknowledged"
            and _parse(o["orderDetails"]["purchaseOrderDate"]) > _parse(since)
        }
        assert expected and got == expected
        status, body = get(path, createdAfter=since, poItemState="Cancelled")
        assert status == 400 and "poItemState" in body["errors"][0]["message"]


def test_document_links_come_from_the_simulators_address_not_the_host_header() -> None:
    """A client that sends another Host (a proxy, a host mapping) still gets a link to where
    the simulator is (or --public-url): the link once followed the Host header, and a 404
    body was taken for the report."""
    for public_url in (None, "https://documents.example:8443"):
        sim = Simulator(SimulatorConfig(time_scale=1000, public_url=public_url))
        with sim.running():
            get = _caller(sim)
            created = _caller(sim, method="POST")(
                "/reports/2021-06-30/reports",
                json={"reportType": "GET_MERCHANT_LISTINGS_ALL_DATA", "marketplaceIds": [US]},
            )[1]["reportId"]
            for _ in range(200):
                _, report = get(f"/reports/2021-06-30/reports/{created}")
                if report["processingStatus"] == "DONE":
                    break
            path = f"/reports/2021-06-30/documents/{report['reportDocumentId']}"
            _, document = get(path, headers={"Host": "elsewhere.example"})
            assert document["url"].startswith(f"{public_url or sim.url}/_documents/")


def test_settlements_come_in_each_format_amazon_made_and_agree() -> None:
    """Before 11 November 2026 Amazon made every settlement as the first flat file, the _V2
    flat file and the XML; from then on as _V2 only. The three documents of one settlement
    hold the same total, and a period made after the removal has _V2 alone."""
    import gzip
    import xml.etree.ElementTree as ElementTree
    from decimal import Decimal

    import requests
    import time_machine

    types = {
        "v2": "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2",
        "v1": "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE",
        "xml": "GET_V2_SETTLEMENT_REPORT_DATA_XML",
    }
    with time_machine.travel(datetime(2026, 11, 20, 12, tzinfo=UTC), tick=True):
        sim = Simulator(SimulatorConfig(time_scale=1000, enforce_rate_limits=False))
        with sim.running():
            get = _caller(sim, region="eu")
            _, listed = get(
                "/reports/2021-06-30/reports",
                reportTypes=",".join(types.values()),
                marketplaceIds=DE,
                pageSize=100,
            )
            documents: dict[tuple[str, str], str] = {}
            for report in listed["reports"]:
                status, link = get(f"/reports/2021-06-30/documents/{report['reportDocumentId']}")
                assert status == 200, link
                body = gzip.decompress(requests.get(link["url"], timeout=10).content)
                period = (report["dataStartTime"], report["reportType"])
                documents[period] = body.decode("cp1252")
    starts = sorted({start for start, _ in documents})
    kinds = {start: {t for s, t in documents if s == start} for start in starts}
    before = [
        s for s in starts if _parse(s) + timedelta(days=15) < datetime(2026, 11, 11, tzinfo=UTC)
    ]
    after = [s for s in starts if s not in before]
    assert before and after
    assert all(kinds[s] == set(types.values()) for s in before)
    assert all(kinds[s] == {types["v2"]} for s in after)

    def amount(text: str) -> Decimal:
        return Decimal(text.replace(".", "").replace(",", ".")) if text else Decimal(0)

    for start in before:
        v2 = [line.split("\t") for line in documents[start, types["v2"]].splitlines()]
        v1 = [line.split("\t") for line in documents[start, types["v1"]].splitlines()]
        total = amount(v2[1][v2[0].index("total-amount")])
        assert sum(amount(r[v2[0].index("amount")]) for r in v2[2:]) == total
        assert amount(v1[1][v1[0].index("total-amount")]) == total
        v1_amounts = ("price-amount", "item-related-fee-amount")
        assert sum(amount(r[v1[0].index(c)]) for r in v1[2:] for c in v1_amounts) == total
        root = ElementTree.fromstring(documents[start, types["xml"]].encode("cp1252"))
        assert Decimal(root.findtext(".//SettlementData/TotalAmount") or "") == total
        xml_amounts = [Decimal(a.text or "") for a in root.iter("Amount")]
        assert sum(xml_amounts) == total
