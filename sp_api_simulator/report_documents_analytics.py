"""Brand Analytics, promotion and coupon JSON reports the simulator serves.

Shapes follow Amazon's report schemas (sellingPartner*Report.json, promotionReport.json,
sellerCouponReport.json, vendorCouponReport.json); figures come from the seller's data
(products with international names, shipments per day). Requests are checked the way
Amazon does: a missing required option is a 400, a Brand Analytics range that does not
start on a reportPeriod's first day and end on one's last day makes the report FATAL.
Period arithmetic is written here again, independently of the tap's, so a mistake on one
side shows up as a failing test.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sp_api_simulator.data import MarketplaceProfile, Product, SellerData
from sp_api_simulator.report_documents import Rendered, renderer

SEARCH_TERMS = "GET_BRAND_ANALYTICS_SEARCH_TERMS_REPORT"
MARKET_BASKET = "GET_BRAND_ANALYTICS_MARKET_BASKET_REPORT"
REPEAT_PURCHASE = "GET_BRAND_ANALYTICS_REPEAT_PURCHASE_REPORT"
SEARCH_CATALOG = "GET_BRAND_ANALYTICS_SEARCH_CATALOG_PERFORMANCE_REPORT"
SEARCH_QUERY = "GET_BRAND_ANALYTICS_SEARCH_QUERY_PERFORMANCE_REPORT"
PROMOTIONS = "GET_PROMOTION_PERFORMANCE_REPORT"
COUPONS = "GET_COUPON_PERFORMANCE_REPORT"

#: Roles per report type (the Reports API's createReport checks them).
ROLES = {
    SEARCH_TERMS: "Brand Analytics",
    MARKET_BASKET: "Brand Analytics",
    REPEAT_PURCHASE: "Brand Analytics",
    SEARCH_CATALOG: "Brand Analytics",
    SEARCH_QUERY: "Brand Analytics",
    PROMOTIONS: "Selling Partner Insights",
    COUPONS: "Selling Partner Insights",
}
#: reportPeriod values each Brand Analytics type takes, and whether a range may span periods.
PERIODS = {
    SEARCH_TERMS: (("DAY", "WEEK", "MONTH", "QUARTER"), False),
    MARKET_BASKET: (("DAY", "WEEK", "MONTH", "QUARTER"), True),
    REPEAT_PURCHASE: (("WEEK", "MONTH", "QUARTER"), True),
    SEARCH_CATALOG: (("WEEK", "MONTH", "QUARTER"), False),
    SEARCH_QUERY: (("WEEK", "MONTH", "QUARTER"), False),
}
HISTORY = timedelta(days=730)  # promotions and coupons: start dates up to two years back
SELLER_ID = "A2SIMULATED0SELLER"
VENDOR_CODE = "SIMVC"
_DEPARTMENTS = {
    "en": "Home & Kitchen",
    "de": "Küche, Haushalt & Wohnen",
    "fr": "Cuisine & Maison",
    "es": "Hogar y cocina",
    "ja": "ホーム＆キッチン",
}
_DEAL_WORDS = {
    "en": "Deal",
    "de": "Angebot",
    "fr": "Offre spéciale",
    "es": "Oferta",
    "ja": "セール",
}


# -- request checks (called by families/reports.py) --------------------------------------


def refusal(
    report_type: str, marketplace_ids: list[str], options: dict[str, str], now: datetime
) -> str | None:
    """Why createReport answers 400 InvalidInput for this request, or None."""
    if report_type in PERIODS:
        allowed, _ = PERIODS[report_type]
        period = options.get("reportPeriod")
        if period is None:
            return f"{report_type} requires the report option reportPeriod."
        if period not in allowed:
            return f"reportPeriod {period!r} is not one of {', '.join(allowed)} for {report_type}."
        for option, required in (("asin", report_type == SEARCH_QUERY), ("asins", False)):
            value = options.get(option)
            if value is None and required:
                return f"{report_type} requires the report option {option} (space-separated ASINs)."
            if value is not None and len(value) > 200:
                return f"The report option {option} takes at most 200 characters."
    if report_type == PROMOTIONS:
        return _missing(options, ("promotionStartDateFrom", "promotionStartDateTo"))
    if report_type == COUPONS:
        seller = ("couponStartDateFrom", "couponStartDateTo")
        vendor = ("campaignStartDateFrom", "campaignStartDateTo")
        return _missing(options, vendor if vendor[0] in options else seller)
    return None


def _missing(options: dict[str, str], names: tuple[str, ...]) -> str | None:
    for name in names:
        if not options.get(name):
            return f"The report option {name} is required."
        try:
            _parse(options[name])
        except ValueError:
            return f"The report option {name} must be an ISO 8601 date-time."
    return None


def fatal_reason(
    report_type: str,
    marketplace_ids: list[str],
    start: datetime | None,
    end: datetime | None,
    options: dict[str, str],
    now: datetime,
) -> str | None:
    """Why the report ends FATAL (Amazon's error document says it), or None."""
    if report_type in PERIODS:
        if len(marketplace_ids) != 1:
            return "This report type supports only one marketplaceId per report."
        if start is None or end is None:
            return "dataStartTime and dataEndTime are required."
        period = options["reportPeriod"]
        first, last = start.astimezone(UTC).date(), end.astimezone(UTC).date()
        if _period_first_day(first, period) != first:
            return f"dataStartTime {first} is not the first day of a {period} period."
        if _period_last_day(_period_first_day(last, period), period) != last:
            return f"dataEndTime {last} is not the last day of a {period} period."
        _, spans = PERIODS[report_type]
        if not spans and _period_last_day(first, period) != last:
            return f"The requested range {first}..{last} spans more than one {period} period."
    if report_type in (PROMOTIONS, COUPONS):
        low, _ = _range(options)
        if low < now - HISTORY:
            return "Start dates up to two years before the current date are supported."
    return None


# -- periods (DAY, WEEK from Sunday, calendar MONTH and QUARTER) ---------------------------


def _period_first_day(day: date, period: str) -> date:
    if period == "WEEK":
        return day - timedelta(days=(day.isoweekday() % 7))  # Sunday
    if period == "MONTH":
        return day.replace(day=1)
    if period == "QUARTER":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return day


def _period_last_day(first: date, period: str) -> date:
    if period == "WEEK":
        return first + timedelta(days=6)
    if period in ("MONTH", "QUARTER"):
        months = first.month - 1 + (1 if period == "MONTH" else 3)
        return date(first.year + months // 12, months % 12 + 1, 1) - timedelta(days=1)
    return first


def _periods(first: date, last: date, period: str) -> list[tuple[date, date]]:
    result = []
    while first <= last:
        end = _period_last_day(first, period)
        result.append((first, end))
        first = end + timedelta(days=1)
    return result


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _specification(
    report_type: str, mp: MarketplaceProfile, first: date, last: date, options: dict
) -> dict:
    return {
        "reportType": report_type,
        "reportOptions": dict(options),
        "dataStartTime": first.isoformat(),
        "dataEndTime": last.isoformat(),
        "marketplaceIds": [mp.id],
    }


def _units_by_asin(data: SellerData, mp: MarketplaceProfile, first: date, last: date) -> Counter:
    units: Counter[str] = Counter()
    for day in _days(first, last):
        for shipment in data.day(mp.id, day).shipments:
            units[shipment.product.asin] += shipment.quantity
    return units


def _term(product: Product) -> str:
    """What a customer types to find the product: its name, lower case, without the number."""
    return product.name.rsplit(" #", 1)[0].lower()


def _amount(value: float, currency: str) -> dict[str, Any]:
    return {"amount": round(value, 2), "currencyCode": currency}


def _dates(start: datetime, end: datetime) -> tuple[date, date]:
    return start.astimezone(UTC).date(), end.astimezone(UTC).date()


# -- Brand Analytics ------------------------------------------------------------------------


@renderer(SEARCH_TERMS)
def search_terms(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    first, last = _dates(start, end)
    rng = random.Random(f"{data.seed}:search-terms:{mp.id}:{first}:{last}")
    products = data.products(mp.id)
    rows = []
    for department in (mp.name, _DEPARTMENTS.get(mp.language[:2], _DEPARTMENTS["en"])):
        for rank, product in enumerate(products[:4], start=1):
            others = [p for p in products if p.asin != product.asin]
            clicked = [product.asin, *(p.asin for p in rng.sample(others, 2))]
            share = 0.3
            for click_rank, asin in enumerate(clicked, start=1):
                share = round(share * rng.uniform(0.4, 0.9), 4)
                rows.append(
                    {
                        "departmentName": department,
                        "searchTerm": _term(product),
                        "searchFrequencyRank": rank,
                        "clickedAsin": asin,
                        "clickShareRank": click_rank,
                        "clickShare": share,
                        "conversionShare": round(rng.uniform(0, 0.2), 4),
                    }
                )
    return Rendered(
        json={
            "reportSpecification": _specification(SEARCH_TERMS, mp, first, last, options),
            "dataByDepartmentAndSearchTerm": rows,
        }
    )


@renderer(MARKET_BASKET)
def market_basket(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    first, last = _dates(start, end)
    products = data.products(mp.id)
    rows = []
    for period_first, period_last in _periods(first, last, options.get("reportPeriod", "WEEK")):
        rng = random.Random(f"{data.seed}:basket:{mp.id}:{period_first}:{period_last}")
        for product in products[:4]:
            others = [p.asin for p in products if p.asin != product.asin]
            # Two of the seller's own, one from another brand.
            bought_with = [*rng.sample(others, 2), f"B0{rng.randrange(16**8):08X}"]
            pct = 0.5
            for rank, asin in enumerate(bought_with, start=1):
                pct = round(pct * rng.uniform(0.3, 0.9), 4)
                rows.append(
                    {
                        "startDate": period_first.isoformat(),
                        "endDate": period_last.isoformat(),
                        "asin": product.asin,
                        "purchasedWithAsin": asin,
                        "purchasedWithRank": rank,
                        "combinationPct": pct,
                    }
                )
    return Rendered(
        json={
            "reportSpecification": _specification(MARKET_BASKET, mp, first, last, options),
            "dataByAsin": rows,
        }
    )


@renderer(REPEAT_PURCHASE)
def repeat_purchase(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    first, last = _dates(start, end)
    rows = []
    for period_first, period_last in _periods(first, last, options.get("reportPeriod", "WEEK")):
        units = _units_by_asin(data, mp, period_first, period_last)
        for product in data.products(mp.id)[:4]:
            orders = units[product.asin]
            repeat = orders // 3
            revenue = float(product.price) * repeat
            total = float(product.price) * orders
            rows.append(
                {
                    "startDate": period_first.isoformat(),
                    "endDate": period_last.isoformat(),
                    "asin": product.asin,
                    "orders": orders,
                    "uniqueCustomers": orders - repeat,
                    "repeatCustomersPctTotal": round(repeat / orders, 4) if orders else 0,
                    "repeatPurchaseRevenue": _amount(revenue, mp.currency),
                    "repeatPurchaseRevenuePctTotal": round(revenue / total, 4) if total else 0,
                }
            )
    return Rendered(
        json={
            "reportSpecification": _specification(REPEAT_PURCHASE, mp, first, last, options),
            "dataByAsin": rows,
        }
    )


def _funnel(units: int, price: Decimal, currency: str, rng: random.Random) -> dict[str, Any]:
    """Impressions, clicks, cart adds and purchases that end in `units` purchases."""
    purchases = units
    cart_adds = purchases + rng.randrange(0, 20)
    clicks = cart_adds + rng.randrange(5, 80)
    impressions = clicks * rng.randrange(8, 40)
    median = float(price)
    return {
        "impressions": impressions,
        "clicks": clicks,
        "cart_adds": cart_adds,
        "purchases": purchases,
        "price": _amount(median, currency),
        "sales": _amount(median * purchases, currency),
    }


@renderer(SEARCH_CATALOG)
def search_catalog_performance(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    first, last = _dates(start, end)
    wanted = set(options.get("asins", "").split())
    units = _units_by_asin(data, mp, first, last)
    rng = random.Random(f"{data.seed}:catalog:{mp.id}:{first}:{last}")
    rows = []
    for product in data.products(mp.id):
        if wanted and product.asin not in wanted:
            continue
        f = _funnel(units[product.asin], product.price, mp.currency, rng)
        rows.append(
            {
                "startDate": first.isoformat(),
                "endDate": last.isoformat(),
                "asin": product.asin,
                "impressionData": {
                    "impressionCount": f["impressions"],
                    "impressionMedianPrice": f["price"],
                    "sameDayShippingImpressionCount": f["impressions"] // 10,
                    "oneDayShippingImpressionCount": f["impressions"] // 4,
                    "twoDayShippingImpressionCount": f["impressions"] // 2,
                },
                "clickData": {
                    "clickCount": f["clicks"],
                    "clickRate": round(f["clicks"] / f["impressions"], 4),
                    "clickedMedianPrice": f["price"],
                    "sameDayShippingClickCount": f["clicks"] // 10,
                    "oneDayShippingClickCount": f["clicks"] // 4,
                    "twoDayShippingClickCount": f["clicks"] // 2,
                },
                "cartAddData": {
                    "cartAddCount": f["cart_adds"],
                    "cartAddedMedianPrice": f["price"],
                    "sameDayShippingCartAddCount": f["cart_adds"] // 10,
                    "oneDayShippingCartAddCount": f["cart_adds"] // 4,
                    "twoDayShippingCartAddCount": f["cart_adds"] // 2,
                },
                "purchaseData": {
                    "purchaseCount": f["purchases"],
                    "searchTrafficSales": f["sales"],
                    "conversionRate": round(f["purchases"] / f["clicks"], 4),
                    "purchaseMedianPrice": f["price"],
                    "sameDayShippingPurchaseCount": f["purchases"] // 10,
                    "oneDayShippingPurchaseCount": f["purchases"] // 4,
                    "twoDayShippingPurchaseCount": f["purchases"] // 2,
                },
            }
        )
    return Rendered(
        json={
            "reportSpecification": _specification(SEARCH_CATALOG, mp, first, last, options),
            "dataByAsin": rows,
        }
    )


@renderer(SEARCH_QUERY)
def search_query_performance(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    first, last = _dates(start, end)
    wanted = options.get("asin", "").split()
    units = _units_by_asin(data, mp, first, last)
    rng = random.Random(f"{data.seed}:query:{mp.id}:{first}:{last}")
    by_asin = {p.asin: p for p in data.products(mp.id)}
    rows = []
    for asin in wanted:
        product = by_asin.get(asin)
        if product is None:
            continue  # not the brand's ASIN: Amazon reports nothing for it
        department = _DEPARTMENTS.get(mp.language[:2], _DEPARTMENTS["en"]).lower()
        for score, query in enumerate((_term(product), f"{_term(product)} {department}"), 1):
            f = _funnel(units[asin] // score, product.price, mp.currency, rng)
            total = {k: f[k] * rng.randrange(2, 6) for k in ("impressions", "clicks", "cart_adds")}
            total_purchases = f["purchases"] * 3
            volume = total["clicks"] * 3
            rows.append(
                {
                    "startDate": first.isoformat(),
                    "endDate": last.isoformat(),
                    "asin": asin,
                    "searchQueryData": {
                        "searchQuery": query,
                        "searchQueryScore": score,
                        "searchQueryVolume": volume,
                    },
                    "impressionData": {
                        "totalQueryImpressionCount": total["impressions"],
                        "asinImpressionCount": f["impressions"],
                        "asinImpressionShare": round(f["impressions"] / total["impressions"], 4),
                    },
                    "clickData": _share_block(
                        "Click", total["clicks"], f["clicks"], volume, f["price"]
                    ),
                    "cartAddData": _share_block(
                        "CartAdd", total["cart_adds"], f["cart_adds"], volume, f["price"]
                    ),
                    "purchaseData": _share_block(
                        "Purchase", total_purchases, f["purchases"], volume, f["price"]
                    ),
                }
            )
    return Rendered(
        json={
            "reportSpecification": _specification(SEARCH_QUERY, mp, first, last, options),
            "dataByAsin": rows,
        }
    )


def _share_block(kind: str, total: int, mine: int, volume: int, price: dict) -> dict[str, Any]:
    """clickData, cartAddData or purchaseData of a search query row (same shape, own names)."""
    return {
        f"total{kind}Count": total,
        f"total{kind}Rate": round(total / volume, 4) if volume else 0,
        f"asin{kind}Count": mine,
        f"asin{kind}Share": round(mine / total, 4) if total else 0,
        f"totalMedian{kind}Price": price,
        f"asinMedian{kind}Price": price,
        f"totalSameDayShipping{kind}Count": total // 10,
        f"totalOneDayShipping{kind}Count": total // 4,
        f"totalTwoDayShipping{kind}Count": total // 2,
    }


# -- promotions and coupons -------------------------------------------------------------------

_ANCHOR = datetime(2024, 1, 1, tzinfo=UTC)


def _parse(value: str) -> datetime:
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _range(
    options: dict[str, str], start: datetime | None = None, end: datetime | None = None
) -> tuple[datetime, datetime]:
    """The start-date range of a promotion or coupon request, whichever names it uses (the
    data range when it names none: createReport refuses such requests before rendering)."""
    for low, high in (
        ("promotionStartDateFrom", "promotionStartDateTo"),
        ("couponStartDateFrom", "couponStartDateTo"),
        ("campaignStartDateFrom", "campaignStartDateTo"),
    ):
        if low in options:
            return _parse(options[low]), _parse(options[high])
    if start is None or end is None:
        raise ValueError("no start-date range in the report options")
    return start, end


def _starts(
    low: datetime, high: datetime, every_hours: int, offset_hours: int
) -> list[tuple[int, datetime]]:
    """(number, start) of events every `every_hours` from the anchor, within [low, high]."""
    step = timedelta(hours=every_hours)
    number = max(0, math.ceil((low - _ANCHOR - timedelta(hours=offset_hours)) / step))
    result = []
    while (moment := _ANCHOR + timedelta(hours=offset_hours) + number * step) <= high:
        if moment >= low:
            result.append((number, moment))
        number += 1
    return result


def _z(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@renderer(PROMOTIONS)
def promotions(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    low, high = _range(options, start, end)
    products = data.products(mp.id)
    deal = _DEAL_WORDS.get(mp.language[:2], _DEAL_WORDS["en"])
    rows = []
    for number, starts in _starts(low, high, every_hours=5 * 24 + 7, offset_hours=8):
        rng = random.Random(f"{data.seed}:promotion:{mp.id}:{number}")
        kind = ("BEST_DEAL", "LIGHTNING_DEAL")[number % 2]
        included: list[dict[str, Any]] = []
        for product in rng.sample(products, 2):
            units = rng.randrange(0, 40)
            included.append(
                {
                    "asin": product.asin,
                    "productName": product.name,
                    "productGlanceViews": units * 17 + rng.randrange(50),
                    "productUnitsSold": units,
                    "productRevenue": round(float(product.price) * 0.8 * units, 2),
                    "productRevenueCurrencyCode": mp.currency,
                }
            )
        rows.append(
            {
                "promotionId": f"{16900000000 + number * 7 + len(mp.id)}",
                "promotionName": f"{deal}: {included[0]['productName']}",
                "merchantId": SELLER_ID,
                "unitsSold": sum(p["productUnitsSold"] for p in included),
                "revenue": round(sum(p["productRevenue"] for p in included), 2),
                "revenueCurrencyCode": mp.currency,
                "startDateTime": _z(starts),
                "endDateTime": _z(starts + timedelta(hours=6 if number % 2 else 72)),
                "type": kind,
                "status": "APPROVED",
                "creationChannel": "SELF-SERVICE",
                "marketplaceId": mp.id,
                "glanceViews": sum(p["productGlanceViews"] for p in included),
                "createdDateTime": _z(starts - timedelta(days=10)),
                "lastUpdatedDateTime": _z(starts + timedelta(days=1)),
                "includedProducts": included,
            }
        )
    specification = {
        "reportType": PROMOTIONS,
        "reportOptions": {
            "promotionStartDateFrom": _z(low),
            "promotionStartDateTo": _z(high),
        },
        "marketplaceIds": [mp.id],
    }
    return Rendered(json={"reportSpecification": specification, "promotions": rows})


@renderer(COUPONS)
def coupons(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    """A seller's coupons, or a vendor's campaigns when asked with campaignStartDate*."""
    low, high = _range(options, start, end)
    vendor = "campaignStartDateFrom" in options
    products = data.products(mp.id)
    items = []
    for number, starts in _starts(low, high, every_hours=9 * 24, offset_hours=6):
        rng = random.Random(f"{data.seed}:coupon:{mp.id}:{number}")
        chosen = rng.sample(products, 2)
        budget = float(rng.randrange(500, 5000))
        clips = rng.randrange(5, 300)
        redemptions = clips // 3
        spent = round(redemptions * 0.6 + clips * 0.01 + redemptions * 4.5, 2)
        coupon: dict[str, Any] = {
            "couponId": f"A{number:04d}{mp.country_code}COUPON",
            "name": f"{chosen[0].name} – 10 %",
            "websiteMessage": f"Spare bei {chosen[0].name}" if mp.region == "eu" else "Save",
            "startDateTime": _z(starts),
            "endDateTime": _z(starts + timedelta(days=30)),
            "customerSegment": "All (Default)",
            "clips": clips,
            "redemptions": redemptions,
            "budget": budget,
            "totalDiscount": round(redemptions * 4.5, 2),
            "budgetSpent": spent,
            "budgetRemaining": round(budget - spent, 2),
            "budgetPercentageUsed": round(spent / budget * 100, 2),
        }
        # Real Amazon bends its models now and then (a count as a string); the simulator
        # does so outside the US, whose documents the conformance test checks as they are.
        bent = mp.id != "ATVPDKIKX0DER" and number % 2 == 0
        if vendor:
            coupon["isOncePerCustomer"] = bool(number % 2)
            coupon["asins"] = [
                {"asin": p.asin, "discountType": "PERCENT_OFF_LIST_PRICE", "discountAmount": 10}
                for p in chosen
            ]
            items.append(
                {
                    "campaignId": f"AMZ{number:05d}{mp.country_code}",
                    "campaignName": f"Kampagne Größe {number}"
                    if mp.region == "eu"
                    else f"Campaign {number}",
                    "vendorCode": VENDOR_CODE,
                    "marketplaceId": mp.id,
                    "creationDateTime": _z(starts - timedelta(days=5)),
                    "lastUpdatedDateTime": _z(starts + timedelta(days=1)),
                    "isSubscribeAndSave": "false" if bent else False,
                    "budgetType": "PER_INDIVIDUAL_COUPON",
                    "totalClips": str(clips) if bent else clips,
                    "totalRedemptions": redemptions,
                    "currencyCode": mp.currency,
                    "coupons": [coupon],
                }
            )
        else:
            coupon.update(
                merchantId=SELLER_ID,
                marketplaceId=mp.id,
                currencyCode=mp.currency,
                discountType="PERCENT_OFF_LIST_PRICE",
                discountAmount=10,
                sales=round(redemptions * float(chosen[0].price), 2),
                asins=[{"asin": p.asin} for p in chosen],
            )
            if bent:
                coupon["clips"] = str(clips)
            items.append(coupon)
    names = (
        ("campaignStartDateFrom", "campaignStartDateTo")
        if vendor
        else (
            "couponStartDateFrom",
            "couponStartDateTo",
        )
    )
    specification = {
        "reportType": COUPONS,
        "reportOptions": dict(zip(names, (_z(low), _z(high)), strict=True)),
        "marketplaceIds": [mp.id],
    }
    return Rendered(
        json={"reportSpecification": specification, ("campaigns" if vendor else "coupons"): items}
    )
