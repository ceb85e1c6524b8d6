"""marketplaces and account streams against the simulator's data."""

from __future__ import annotations

import logging

import pytest

from sp_api_simulator import Simulator
from sp_api_simulator.data import MARKETPLACES
from tap_amazon_seller.casting import as_bool
from tests.conftest import run_sync, select

SELLERS = ("marketplaces", "account")


def test_marketplaces_of_every_configured_region_with_participation(simulator: Simulator) -> None:
    result = run_sync(simulator.tap_config(marketplaces=["US", "DE"]), catalog=select(*SELLERS))
    rows = {r["id"]: r for r in result.records["marketplaces"]}
    expected = [m for m in MARKETPLACES if m.region in ("na", "eu")]
    assert set(rows) == {m.id for m in expected}
    for profile in expected:
        row = rows[profile.id]
        assert row["countryCode"] == profile.country_code
        assert row["defaultCurrencyCode"] == profile.currency
        assert row["isParticipating"] is profile.participating
        assert row["hasSuspendedListings"] is profile.suspended_listings
        assert row["region"] == profile.region
        assert row["storeName"] == simulator.data.store_names[profile.id]
    assert rows["A1AM78C64UM0Y8"]["isParticipating"] is False  # MX: listed, not participating
    # One getMarketplaceParticipations call per region, however many streams need it.
    assert simulator.calls["sellers.getMarketplaceParticipations"] == 2


def test_account_is_read_in_the_eu_only_and_keeps_non_ascii_text(simulator: Simulator) -> None:
    result = run_sync(simulator.tap_config(marketplaces=["US", "DE"]), catalog=select(*SELLERS))
    (account,) = result.records["account"]
    assert account["region"] == "eu"
    assert account["business"]["name"] == simulator.data.business_name
    assert account["business"]["nonLatinName"] == "ミュラー商会株式会社"
    assert account["primaryContact"]["address"]["addressLine1"] == "Calle de Alcalá 45"
    assert simulator.calls["sellers.getAccount"] == 1  # never called in NA, where Amazon lacks it


def test_missing_role_skips_that_stream_and_the_others_go_on(simulator: Simulator) -> None:
    simulator.config.roles = {"Product Listing"}  # no Finance and Accounting: no getAccount
    result = run_sync(simulator.tap_config(marketplaces=["DE"]), catalog=select(*SELLERS))
    assert "account" not in result.records
    assert len(result.records["marketplaces"]) == 4


def test_unauthorised_region_is_skipped_and_the_other_region_synced(simulator: Simulator) -> None:
    simulator.config.authorized_regions = {"eu"}
    result = run_sync(simulator.tap_config(marketplaces=["US", "DE"]))
    assert {r["region"] for r in result.records["marketplaces"]} == {"eu"}


def test_booleans_sent_as_strings_are_read(simulator: Simulator) -> None:
    original = simulator.data.participations

    def stringly(region: str) -> list[dict]:
        items = original(region)
        for item in items:
            for key, value in item["participation"].items():
                item["participation"][key] = str(value).lower()
        return items

    simulator.data.participations = stringly  # type: ignore[method-assign]
    result = run_sync(simulator.tap_config(marketplaces=["US"]), catalog=select(*SELLERS))
    flags = {r["countryCode"]: r["isParticipating"] for r in result.records["marketplaces"]}
    assert flags == {"US": True, "CA": True, "MX": False}


def test_as_bool_reads_amazons_spellings() -> None:
    assert [as_bool(v) for v in (True, "false", "Yes", "1", "N", None, "maybe")] == [
        True,
        False,
        True,
        True,
        False,
        None,
        None,
    ]


def test_a_marketplace_the_seller_does_not_sell_in_is_left_out_naming_the_setting(
    simulator: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        result = run_sync(
            simulator.tap_config(marketplaces=["US", "MX"], orders_source="api"),
            catalog=select("orders"),
        )
    assert "marketplaces: the seller does not sell in A1AM78C64UM0Y8 (MX" in caplog.text
    assert {o["marketplace_id"] for o in result.records["orders"]} == {"ATVPDKIKX0DER"}


def test_a_region_not_authorised_is_reported_naming_the_setting(
    simulator: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    simulator.config.authorized_regions = {"na"}
    with caplog.at_level(logging.ERROR):
        result = run_sync(
            simulator.tap_config(marketplaces=["US", "DE"], orders_source="api"),
            catalog=select("orders"),
        )
    assert "marketplaces: Amazon refuses region eu" in caplog.text
    assert {o["marketplace_id"] for o in result.records["orders"]} == {"ATVPDKIKX0DER"}
