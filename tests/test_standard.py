"""singer-sdk's standard tap tests, against a simulator started for this module."""

from __future__ import annotations

from singer_sdk.testing import SuiteConfig, get_tap_test_class

from sp_api_simulator import Simulator, SimulatorConfig
from tap_amazon_seller.tap import TapAmazonSeller

_SIMULATOR = Simulator(SimulatorConfig(time_scale=1000))
_SIMULATOR.start()

_CONFIG = _SIMULATOR.tap_config(
    marketplaces=["US", "DE"],
    # Every stream, vendor ones too (the simulated app has every role).
    account_type="both",
    # brand analytics: the search query performance report needs the ASINs to report on
    report_options={
        "brand_analytics_search_query_performance": {
            "asin": " ".join(p.asin for p in _SIMULATOR.data.products("ATVPDKIKX0DER")[:3])
        }
    },
)
# Every stream selected, those a default catalog leaves out as well (tap_amazon_seller/selection.py).
_CATALOG = TapAmazonSeller(config=_CONFIG, validate_config=False).catalog_dict
for _entry in _CATALOG["streams"]:
    for _metadata in _entry["metadata"]:
        if _metadata["breadcrumb"] == []:
            _metadata["metadata"]["selected"] = True

TestTapAmazonSeller = get_tap_test_class(
    TapAmazonSeller,
    config=_CONFIG,
    catalog=_CATALOG,  # passed to the tap
    suite_config=SuiteConfig(
        # Streams with no data in a standard run, each tested with data of its own
        # (tests/test_seller_reports.py): archived orders are over 18 months old (the run
        # starts 30 days ago); the restricted reports need include_pii (and unshipped
        # orders, orders not shipped yet). Report types Amazon has removed are never
        # requested (tests/test_exit_contract.py).
        ignore_no_records_for_streams=[
            "archived_orders_report",
            "unshipped_orders",
            "shipping_orders_xml_report",
            "fba_sns_forecast",
            "fba_sns_performance",
        ],
    ),
)
