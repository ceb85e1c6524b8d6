"""Catalog Items 2022-04-01: details of the seller's own products, by ASIN.

The ASINs come from the All Listings report the report engine fetches anyway (the same
report `products_inventory` reads: planned once, downloaded once), so product details
cost one searchCatalogItems call per 20 ASINs and no ASIN is looked up twice in a run.
"""

from __future__ import annotations

import typing as t
from collections.abc import Iterable, Iterator

from tap_amazon_seller.reports import planner, reader
from tap_amazon_seller.reports.documents import Document
from tap_amazon_seller.reports.engine import ReportEngine, ReportJob
from tap_amazon_seller.reports.registry import REPORT_SPECS_BY_STREAM
from tap_amazon_seller.schemas import model_schema
from tap_amazon_seller.streams.base import SpApiStream

if t.TYPE_CHECKING:
    from singer_sdk.helpers.types import Context

    from tap_amazon_seller.client import SpApiClient

LISTINGS = REPORT_SPECS_BY_STREAM["products_inventory"]
# The listings report names its ASIN column asin1 (asin in some marketplaces' versions).
ASIN_COLUMNS = ("asin1", "asin")
BATCH = 20  # searchCatalogItems takes at most 20 identifiers
INCLUDED_DATA = "attributes,identifiers,images,salesRanks,summaries,productTypes"


class ProductDetailsStream(SpApiStream):
    """searchCatalogItems by ASIN, 20 at a time, per marketplace (full table)."""

    name = "product_details"
    primary_keys: t.ClassVar[list[str]] = ["marketplace_id", "asin"]
    replication_key = None
    required_role = "Product Listing (for the listings report and the Catalog Items API)"
    schema = model_schema(
        "catalogItems_2022-04-01.Item",
        marketplace_id={"type": ["string"]},
        region={"type": ["string", "null"]},
    )

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        self._plan: dict[str, ReportJob] = {}

    @property
    def partitions(self) -> list[dict] | None:
        return self.amazon.marketplace_partitions()

    @property
    def planned_report_types(self) -> list[str]:
        return [LISTINGS.report_type]

    def plan(self, engine: ReportEngine) -> None:
        """Ask the report engine for each marketplace's All Listings report."""
        settings = self.amazon.settings
        for context in self.partitions or []:
            partition = planner.partition_for(
                LISTINGS,
                region=str(context["region"]),
                marketplace_id=str(context["marketplace_id"]),
                options=LISTINGS.report_options(settings),
                start_date=settings.start_date,
                end_date=settings.end_date,
                now=engine.planned_at,
            )
            # The same report products_inventory plans: the engine holds it once.
            (job,) = reader.plan(engine, LISTINGS, partition, remember=lambda created: None)
            self._plan[partition.marketplace_id] = job

    def get_records(self, context: Context | None) -> Iterator[dict]:
        # What cannot be read (the report, a call) stops this partition at the partition
        # boundary, which logs it and lists it in the summary: never an empty table.
        assert context is not None
        engine = self.amazon.report_engine()
        job = self._plan.get(str(context["marketplace_id"]))
        if job is None:
            return
        try:
            asins = self._asins(engine, job, str(context["marketplace_id"]))
        finally:
            engine.release(job)
        client = self.amazon.client(str(context["region"]))
        yield from self._details(client, str(context["marketplace_id"]), asins)

    def _asins(self, engine: ReportEngine, job: ReportJob, marketplace: str) -> list[str]:
        def rows_of(document: Document, read: ReportJob) -> Iterator[dict]:
            base = {"marketplace_id": marketplace, "report_id": read.report_id}
            return reader.records(document, LISTINGS, read, base, self.logger, dict)

        seen: dict[str, None] = {}
        # A listings report not read (FATAL, CANCELLED, refused) raises: without it the
        # marketplace's ASINs are not known, and the partition stops, loudly.
        for row in reader.read_report(engine, job, rows_of, window=False):
            extras = row.get("extra_columns") or {}
            for name in ASIN_COLUMNS:
                value = row.get(name) or extras.get(name)
                if value:
                    seen[str(value)] = None
        return list(seen)

    def _details(self, client: SpApiClient, marketplace: str, asins: list[str]) -> Iterable[dict]:
        for start in range(0, len(asins), BATCH):
            batch = asins[start : start + BATCH]
            answer = client.call(
                "catalogItems_2022-04-01.searchCatalogItems",
                params={
                    "identifiers": ",".join(batch),
                    "identifiersType": "ASIN",
                    "marketplaceIds": marketplace,
                    "includedData": INCLUDED_DATA,
                    "pageSize": BATCH,
                },
            )
            for item in answer.get("items") or []:
                yield {**item, "marketplace_id": marketplace, "region": client.region}
