"""Report types Amazon has retired: when each was deprecated and removed, with the source.

After its removal date Amazon refuses a report type ("calls will fail"), so the tap never
requests or lists one: a stream of a removed type is not selected by default, says so in
one WARNING when a catalog selects it anyway, and a removed type in `report_types` is left
out. Dates from Amazon's deprecation schedule and its deprecation announcements
(https://developer-docs.amazon.com/sp-api/docs/sp-api-deprecation-schedule).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Retirement:
    #: From here Amazon no longer develops the type (some come back empty from then on).
    deprecated: date | None
    #: From here Amazon refuses it.
    removed: date
    #: Amazon's announcement.
    source: str

    def describe(self) -> str:
        return f"removed by Amazon on {self.removed.isoformat()}"


RETIREMENTS: dict[str, Retirement] = {
    # "Deprecation of two FBA Subscribe and Save report types": empty from 2025-07-25,
    # removed 2025-12-11; Amazon points to the Replenishment API (replenishment_* streams).
    **{
        report_type: Retirement(
            date(2025, 7, 25),
            date(2025, 12, 11),
            "https://developer-docs.amazon.com/sp-api/changelog/"
            "deprecation-of-two-fba-subscribe-and-save-report-types",
        )
        for report_type in ("GET_FBA_SNS_FORECAST_DATA", "GET_FBA_SNS_PERFORMANCE_DATA")
    },
    # "Deprecation Reminders - September 2025": the V1 settlement flat file and XML,
    # deprecated 2026-03-25, removal moved to 2026-11-11 (the _V2 flat file stays).
    **{
        report_type: Retirement(
            date(2026, 3, 25),
            date(2026, 11, 11),
            "https://developer-docs.amazon.com/sp-api/changelog/deprecation-reminders-september-2025",
        )
        for report_type in (
            "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE",
            "GET_V2_SETTLEMENT_REPORT_DATA_XML",
        )
    },
    # "Deprecation Reminders - February 2024": both removed 2024-03-27.
    **{
        report_type: Retirement(
            date(2023, 9, 20),
            date(2024, 3, 27),
            "https://developer-docs.amazon.com/sp-api/changelog/deprecation-reminders-february-2024",
        )
        for report_type in ("GET_PRODUCT_EXCHANGE_DATA", "GET_FBA_UNO_INVENTORY_DATA")
    },
}


def removal(report_type: str, today: date) -> Retirement | None:
    """The report type's retirement, if Amazon has removed it by `today`."""
    retirement = RETIREMENTS.get(report_type)
    return retirement if retirement and today >= retirement.removed else None
