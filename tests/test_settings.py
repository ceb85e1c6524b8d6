"""Settings: validation errors that name the setting, hotglue compatibility, regions."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from singer_sdk.exceptions import ConfigValidationError

from tap_amazon_seller.settings import SettingsError, log_ignored_settings, parse_settings
from tap_amazon_seller.tap import TapAmazonSeller

NOW = datetime(2026, 11, 25, tzinfo=UTC)
BASE = {"refresh_token": "Atzr|r", "lwa_client_id": "client", "lwa_client_secret": "secret"}


def errors_of(config: dict) -> list[str]:
    with pytest.raises(SettingsError) as raised:
        parse_settings(config, now=NOW)
    return raised.value.errors


def test_marketplaces_by_id_or_country_code_derive_the_regions() -> None:
    settings = parse_settings({**BASE, "marketplaces": ["us", "A1PA6795UKMFR9", "UK"]}, now=NOW)
    assert [m.country_code for m in settings.marketplaces] == ["US", "DE", "GB"]
    assert settings.regions == ("na", "eu")
    assert settings.base_url("eu") == "https://sellingpartnerapi-eu.amazon.com"


def test_hotglue_config_is_accepted() -> None:
    hotglue = {
        "refresh_token": "Atzr|r",
        "lwa_client_id": "client",
        "client_secret": "secret",
        "aws_access_key": "AKIA...",
        "aws_secret_key": "aws-secret",
        "role_arn": "arn:aws:iam::1:role/x",
        "marketplaces": "US, CA",
        "processing_status": "IN_QUEUE,IN_PROGRESS",
        "report_types": ["GET_LEDGER_DETAIL_VIEW_DATA"],
        "start_date": "2026-01-01T00:00:00.000Z",
        "sandbox": False,
    }
    settings = parse_settings(hotglue, now=NOW)
    assert settings.lwa_client_secret == "secret"
    assert [m.country_code for m in settings.marketplaces] == ["US", "CA"]
    assert settings.processing_status == ("IN_QUEUE", "IN_PROGRESS")
    assert settings.ignored_settings == ("aws_access_key", "aws_secret_key", "role_arn")


def test_ignored_aws_settings_are_logged_once_without_values(
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = parse_settings({**BASE, "region": "na", "aws_secret_key": "aws-secret"}, now=NOW)
    logger = logging.getLogger("test")
    with caplog.at_level(logging.INFO):
        log_ignored_settings(settings, logger)
    assert len(caplog.records) == 1
    assert "aws_secret_key" in caplog.text and "aws-secret" not in caplog.text


def test_region_alone_is_enough_and_sandbox_switches_hosts() -> None:
    settings = parse_settings({**BASE, "region": "fe", "sandbox": True}, now=NOW)
    assert settings.regions == ("fe",)
    assert settings.base_url("fe") == "https://sandbox.sellingpartnerapi-fe.amazon.com"


def test_every_declared_setting_reaches_the_settings_object_by_its_name() -> None:
    """A setting declared in SETTINGS alone is read by its name, as its type makes it: no
    second declaration in the Settings object."""
    from tap_amazon_seller.settings import SETTINGS, plain_settings

    given = {"report_poll_interval": 7.5, "max_retries": 3, "include_pii": True}
    settings = parse_settings({**BASE, "region": "na", **given}, now=NOW)
    assert (settings.report_poll_interval, settings.max_retries, settings.include_pii) == (
        7.5,
        3,
        True,
    )
    assert settings.request_timeout == 120.0  # its declared default
    plain = {s.name for s in plain_settings()}
    assert {"request_timeout", "sandbox", "orders_source"} <= plain
    for setting in SETTINGS:
        if setting.name in plain:
            getattr(settings, setting.name)
    with pytest.raises(AttributeError, match="no setting 'request_timeot'"):
        settings.request_timeot  # noqa: B018


def test_api_base_url_override_takes_the_region_placeholder() -> None:
    settings = parse_settings(
        {**BASE, "region": "eu", "api_base_url": "http://127.0.0.1:8123/{region}/"}, now=NOW
    )
    assert settings.base_url("eu") == "http://127.0.0.1:8123/eu"


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"marketplaces": ["XX"]}, "marketplaces: 'XX' is neither a marketplace id"),
        ({"marketplaces": ["DE"], "region": "na"}, "DE (A1PA6795UKMFR9) is in region eu"),
        ({"marketplaces": []}, "set `marketplaces`"),
        ({"region": "us"}, "region: 'us' is not one of na, eu, fe"),
        (
            {"region": "na", "start_date": "2027-01-01"},
            "start_date: 2027-01-01T00:00:00+00:00 is in the future",
        ),
        ({"region": "na", "start_date": "2026-02-01", "end_date": "2026-01-01"}, "end_date:"),
        (
            {"region": "na", "start_date": "yesterday-ish"},
            "start_date: 'yesterday-ish' is not a date",
        ),
        ({"region": "na", "lwa_client_secret": None}, "lwa_client_secret: missing"),
        ({"region": "na", "refresh_token": ""}, "refresh_token: missing"),
        ({"region": "na", "max_retries": -1}, "max_retries: -1 must be a number >= 0"),
        (
            {"region": "na", "api_base_url": "localhost:8123"},
            "api_base_url: 'localhost:8123' must be",
        ),
        ({"region": "na", "report_types": ["all orders"]}, "report_types: 'all orders' is not"),
        ({"region": "na", "order_ids": "123-45"}, "order_ids: '123-45' is not an Amazon order id"),
        ({"region": "na", "orders_api_tail_hours": -1}, "orders_api_tail_hours: -1 must be"),
        (
            {"region": "na", "report_options": {"no_such_stream": {"a": "b"}}},
            "report_options: 'no_such_stream' is not a report stream",
        ),
        (
            {"region": "na", "report_options": {"warehouse_inventory": {"custom": "true"}}},
            "report_options.warehouse_inventory: GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA takes no "
            "option 'custom'",
        ),
        (
            {"region": "na", "report_options": {"fba_inventory_ledger": {"eventType": "Gifts"}}},
            "report_options.fba_inventory_ledger.eventType: 'Gifts' is not one of Adjustments",
        ),
    ],
)
def test_bad_settings_get_an_error_naming_the_setting(overrides: dict, expected: str) -> None:
    errors = errors_of({**BASE, **overrides})
    assert any(expected in error for error in errors), errors


def test_the_tap_refuses_bad_config_with_every_error() -> None:
    with pytest.raises(ConfigValidationError) as raised:
        TapAmazonSeller(config={**BASE, "marketplaces": ["XX"], "start_date": "2999-01-01"})
    assert len(raised.value.errors) == 2


def test_discovery_needs_no_credentials() -> None:
    tap = TapAmazonSeller(config={}, validate_config=False)
    assert {s.tap_stream_id for s in tap.catalog.streams} >= {"marketplaces", "account"}


def test_a_default_discovery_does_not_select_report_types_amazon_removed() -> None:
    # A removed type named in report_types gets its generic stream, unselected too.
    config = {"report_types": ["GET_V2_SETTLEMENT_REPORT_DATA_XML", "GET_EPR_MONTHLY_REPORTS"]}
    tap = TapAmazonSeller(config=config, validate_config=False)
    unselected = {
        entry["tap_stream_id"]
        for entry in tap.catalog_dict["streams"]
        for metadata in entry["metadata"]
        if metadata["breadcrumb"] == [] and not metadata["metadata"]["selected-by-default"]
    }
    # (Among the others a typical account does not read by default: tests/test_schedule.py.)
    assert unselected >= {
        "fba_sns_forecast",
        "fba_sns_performance",
        "get_v2_settlement_report_data_xml",
    }
    assert "get_epr_monthly_reports" not in unselected
    # Without a catalog (a default sync) they are not synced either.
    assert not tap.streams["fba_sns_forecast"].selected
    assert tap.streams["warehouse_inventory"].selected


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (
            {
                "bookmarks": {
                    "orders": {
                        "partitions": [
                            {
                                "context": {"marketplace_id": "X"},
                                "replication_key": "lastUpdatedTime",
                                "replication_key_value": "last tuesday",
                            }
                        ]
                    }
                }
            },
            "bookmarks.orders partition {'marketplace_id': 'X'}: replication_key_value "
            "'last tuesday' is not an ISO 8601 date-time",
        ),
        ({"bookmarks": ["orders"]}, "it must be a JSON object"),
        ({"bookmarks": {"feeds": "2026-01-01"}}, "bookmarks.feeds is not an object"),
    ],
)
def test_a_malformed_state_is_refused_naming_the_entry(state: dict, expected: str) -> None:
    from tap_amazon_seller.errors import StateError

    with pytest.raises(StateError) as raised:
        TapAmazonSeller(config={**BASE, "region": "na"}, state=state)
    assert expected in str(raised.value)


def test_a_good_state_is_accepted() -> None:
    state = {
        "bookmarks": {
            "orders": {
                "partitions": [
                    {
                        "context": {"marketplace_id": "X"},
                        "replication_key": "lastUpdatedTime",
                        "replication_key_value": "2026-11-01T00:00:00+00:00",
                    }
                ]
            }
        }
    }
    assert TapAmazonSeller(config={**BASE, "region": "na"}, state=state).state["bookmarks"][
        "orders"
    ]


# -- report options: defaults in the specs, deprecated settings still honoured --------------


def options_of(stream: str, settings: object) -> dict[str, str]:
    from tap_amazon_seller.reports.registry import REPORT_SPECS_BY_STREAM

    return REPORT_SPECS_BY_STREAM[stream].report_options(settings)


def test_report_options_default_to_what_the_spec_declares() -> None:
    settings = parse_settings({**BASE, "region": "na"}, now=NOW)
    assert options_of("sales_traffic_report", settings) == {
        "dateGranularity": "DAY",
        "asinGranularity": "CHILD",
    }
    assert options_of("vendor_sales_report", settings) == {
        "reportPeriod": "DAY",
        "distributorView": "MANUFACTURING",
        "sellingProgram": "RETAIL",
    }


def test_a_deprecated_option_setting_still_sets_its_option_with_one_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    config = {
        **BASE,
        "region": "na",
        "sales_traffic_date_granularity": "WEEK",
        "vendor_selling_program": "BUSINESS",
    }
    with caplog.at_level(logging.WARNING):
        settings = TapAmazonSeller(config=config).settings
    assert options_of("sales_traffic_report", settings)["dateGranularity"] == "WEEK"
    assert options_of("sales_traffic_by_asin", settings)["dateGranularity"] == "WEEK"
    assert options_of("vendor_sales_report", settings)["sellingProgram"] == "BUSINESS"
    # Amazon's inventory report takes RETAIL or FRESH only: it keeps its default.
    assert options_of("vendor_inventory_report", settings)["sellingProgram"] == "RETAIL"
    warned = [r.getMessage() for r in caplog.records if "is deprecated" in r.getMessage()]
    assert len(warned) == 2
    assert "the setting sales_traffic_date_granularity is deprecated; it still sets " in warned[0]
    assert '"report_options": {"<stream>": {"dateGranularity": "..."}}' in warned[0]


def test_report_options_win_over_a_deprecated_setting() -> None:
    config = {
        **BASE,
        "region": "na",
        "sales_traffic_date_granularity": "WEEK",
        "report_options": {"sales_traffic_report": {"dateGranularity": "MONTH"}},
    }
    settings = parse_settings(config, now=NOW)
    assert options_of("sales_traffic_report", settings)["dateGranularity"] == "MONTH"
    assert options_of("sales_traffic_by_asin", settings)["dateGranularity"] == "WEEK"


def test_a_report_option_amazon_does_not_take_is_refused_naming_the_values() -> None:
    config = {
        **BASE,
        "region": "na",
        "report_options": {"sales_traffic_report": {"dateGranularity": "YEAR"}},
    }
    (error,) = errors_of(config)
    assert (
        error
        == "report_options.sales_traffic_report.dateGranularity: 'YEAR' is not one of DAY, WEEK, MONTH."
    )
    assert errors_of({**BASE, "region": "na", "sales_traffic_date_granularity": "YEAR"}) == [
        "sales_traffic_date_granularity: 'YEAR' is not one of DAY, WEEK, MONTH."
    ]
