"""The simulated seller's orders: generated per marketplace and day, changed on demand.

Amazon-fulfilled orders are the shipments the FBA reports and the Finances API
already show (same order ids, items and times), so orders, shipments and
financial events agree; merchant-fulfilled orders come on top. The book is
frozen as of `as_of` (a few minutes before the simulator started), so what a
test compares does not drift with the clock; `mutate` then adds new orders,
moves statuses on and cancels orders, stamping each change with one time, as
Amazon does between two runs of a tap.
"""

from __future__ import annotations

import itertools
import random
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from sp_api_simulator.data import _CITIES, MARKETPLACES_BY_ID, Product

if TYPE_CHECKING:
    from sp_api_simulator.data import SellerData

# The longest a generated order takes from purchase to its last update (finds the days
# whose orders can have been updated in a window).
MAX_UPDATE_DELAY = timedelta(days=3)
_BUYERS = ("José Muñoz", "Zoë Åkesson", "Jürgen Groß", "Hélène Côté", "山田 太郎", "Ana Peña")
_STREETS = ("Königstraße 12", "Calle de Alcalá 45", "1-2-3 Jingūmae", "12 rue de l'Église")
_SERVICE_LEVELS = ("STANDARD", "EXPEDITED", "SECOND_DAY", "NEXT_DAY")
TAX_RATE = Decimal("0.19")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class OrderLine:
    item_id: str
    product: Product
    quantity: int
    unit_price: Decimal
    shipping: Decimal

    @property
    def price(self) -> Decimal:
        return self.unit_price * self.quantity

    @property
    def tax(self) -> Decimal:
        return (self.price * TAX_RATE).quantize(CENT)


def _with_repeated_sku(order_id: str, lines: tuple[OrderLine, ...]) -> tuple[OrderLine, ...]:
    """About one merchant order in thirteen has a second line of its first SKU (Amazon
    splits a SKU's units over lines, for a gift option or a promotion on some of them):
    only the order item id tells the lines apart. Chosen from the order id, so no random
    draw moves and the rest of the data stays as it was."""
    if int(order_id[-7:]) % 13:
        return lines
    first = lines[0]
    repeated = replace(
        first, item_id=f"{(int(first.item_id) + 1) % 10**13:013d}", quantity=1, shipping=Decimal(0)
    )
    return (*lines, repeated)


@dataclass(frozen=True)
class SimOrder:
    order_id: str
    marketplace_id: str
    created: datetime
    last_updated: datetime
    status: str  # the 2026-01-01 FulfillmentStatus
    fulfilled_by: str  # AMAZON or MERCHANT
    service_level: str
    seller_order_id: str
    business: bool
    buyer_name: str
    buyer_email: str
    purchase_order_number: str | None
    street: str
    city: tuple[str, str, str]  # city, state or region, postal code
    phone: str
    lines: tuple[OrderLine, ...] = field(default=())

    @property
    def currency(self) -> str:
        return MARKETPLACES_BY_ID[self.marketplace_id].currency

    @property
    def country(self) -> str:
        return MARKETPLACES_BY_ID[self.marketplace_id].country_code


class OrderBook:
    """Every order of the simulated seller, as of `as_of` plus the changes made since."""

    def __init__(self, data: SellerData, *, as_of: datetime, orders_per_day: int | None) -> None:
        self.data = data
        self.as_of = as_of
        self.orders_per_day = orders_per_day
        #: Orders changed or created by `mutate`, by id; they replace the generated ones.
        self.changed: dict[str, SimOrder] = {}
        #: Bumped on every change, so cached query results can tell they are stale.
        self.version = 0
        self._days: dict[tuple[str, date], tuple[SimOrder, ...]] = {}
        self._index: dict[str, SimOrder] = {}  # generated orders by id
        self._lock = threading.RLock()
        self._serial = itertools.count(1)

    # -- reading ----------------------------------------------------------------------

    def updated_between(
        self, marketplace_id: str, start: datetime, end: datetime
    ) -> list[SimOrder]:
        """Orders whose last update is in [start, end] (both edges included, as Amazon's are)."""
        # An order is generated on the day it shipped: days before and after the window count.
        return [
            o
            for o in self._current(marketplace_id, start - MAX_UPDATE_DELAY, end + MAX_UPDATE_DELAY)
            if start <= o.last_updated <= end
        ]

    def created_between(
        self, marketplace_id: str, start: datetime, end: datetime
    ) -> list[SimOrder]:
        # An Amazon-fulfilled order is generated on the day it shipped, up to two days later.
        return [
            o
            for o in self._current(marketplace_id, start, end + MAX_UPDATE_DELAY)
            if start <= o.created <= end
        ]

    def get(self, order_id: str, *, region: str | None = None) -> SimOrder | None:
        """One order by id, among the last 90 days' orders of the region's marketplaces."""
        with self._lock:
            if order_id in self.changed:
                return self.changed[order_id]
            if order_id not in self._index:
                for profile in self.data.marketplaces(region):
                    for _ in self._current(
                        profile.id, self.as_of - timedelta(days=90), self.as_of + MAX_UPDATE_DELAY
                    ):
                        pass  # generating the days fills the index
            found = self._index.get(order_id)
        if (
            found is not None
            and region
            and MARKETPLACES_BY_ID[found.marketplace_id].region != region
        ):
            return None
        return found

    def _current(self, marketplace_id: str, start: datetime, end: datetime) -> Iterator[SimOrder]:
        with self._lock:
            changed = dict(self.changed)
        first = start.astimezone(UTC).date()
        last = min(end, self.as_of + MAX_UPDATE_DELAY).astimezone(UTC).date()
        for n in range((last - first).days + 1):
            for order in self._day(marketplace_id, first + timedelta(days=n)):
                if order.order_id not in changed:
                    yield order
        yield from (o for o in changed.values() if o.marketplace_id == marketplace_id)

    def _day(self, marketplace_id: str, day: date) -> tuple[SimOrder, ...]:
        key = (marketplace_id, day)
        with self._lock:
            if key not in self._days:
                self._days[key] = self._make_day(marketplace_id, day)
                self._index.update((o.order_id, o) for o in self._days[key])
            return self._days[key]

    # -- generation -------------------------------------------------------------------

    def _make_day(self, marketplace_id: str, day: date) -> tuple[SimOrder, ...]:
        profile = MARKETPLACES_BY_ID[marketplace_id]
        if not profile.participating:
            return ()
        rng = random.Random(f"{self.data.seed}:orders:{marketplace_id}:{day.isoformat()}")
        midnight = datetime(day.year, day.month, day.day, tzinfo=UTC)
        orders: list[SimOrder | None] = []
        # Amazon-fulfilled: the day's shipments, as the FBA reports and Finances show them.
        for shipment in self.data.day(marketplace_id, day).shipments:
            line = OrderLine(
                shipment.item_id,
                shipment.product,
                shipment.quantity,
                shipment.product.price,
                Decimal(0),
            )
            orders.append(
                self._order(
                    rng,
                    marketplace_id,
                    shipment.order_id,
                    shipment.purchased,
                    shipment.shipped,
                    "AMAZON",
                    (line,),
                    city=shipment.city,
                )
            )
        count = (
            self.orders_per_day
            if self.orders_per_day is not None
            else rng.randrange(0, 2 * self.data.scale + 1)
        )
        products = self.data.products(marketplace_id)
        for index in range(count):
            # Every seventh day an order is placed and updated exactly at midnight: a window edge.
            if index == 0 and day.toordinal() % 7 == 3:
                created = midnight
                updated = midnight
            else:
                created = midnight + timedelta(seconds=rng.randrange(1, 86400))
                updated = created + timedelta(minutes=rng.randrange(5, 60 * 30))
            lines = tuple(
                OrderLine(
                    f"{rng.randrange(10**13):013d}",
                    product,
                    rng.randrange(1, 4),
                    product.price,
                    Decimal("4.99") if profile.currency != "JPY" else Decimal(500),
                )
                for product in rng.sample(products, rng.choice((1, 1, 1, 2, 3)))
            )
            order_id = (
                f"{rng.randrange(100, 999)}-{rng.randrange(10**7):07d}-{rng.randrange(10**7):07d}"
            )
            lines = _with_repeated_sku(order_id, lines)
            orders.append(
                self._order(rng, marketplace_id, order_id, created, updated, "MERCHANT", lines)
            )
        return tuple(o for o in orders if o is not None)

    def _order(
        self,
        rng: random.Random,
        marketplace_id: str,
        order_id: str,
        created: datetime,
        done: datetime,
        fulfilled_by: str,
        lines: tuple[OrderLine, ...],
        *,
        city: tuple[str, str, str] | None = None,
        as_of: datetime | None = None,
    ) -> SimOrder | None:
        """An order as it stood at `as_of`: shipped (or cancelled) at `done`, else still open."""
        as_of = as_of or self.as_of
        if created > as_of:
            return None  # placed after the book was frozen: not there yet
        profile = MARKETPLACES_BY_ID[marketplace_id]
        cancelled = fulfilled_by == "MERCHANT" and rng.random() < 0.05
        if done <= as_of:
            status, updated = ("CANCELLED" if cancelled else "SHIPPED"), done
        else:
            status, updated = ("PENDING" if fulfilled_by == "AMAZON" else "UNSHIPPED"), created
        business = rng.random() < 0.2
        buyer = rng.choice(_BUYERS)
        return SimOrder(
            order_id=order_id,
            marketplace_id=marketplace_id,
            created=created,
            last_updated=updated,
            status=status,
            fulfilled_by=fulfilled_by,
            service_level=rng.choice(_SERVICE_LEVELS),
            seller_order_id=f"SO-{order_id[-7:]}",
            business=business,
            buyer_name=buyer,
            buyer_email=f"{rng.randrange(10**12):012x}@marketplace.amazon.{profile.domain.rsplit('amazon.', 1)[-1]}",
            purchase_order_number=f"PO-{rng.randrange(10**6):06d}" if business else None,
            street=rng.choice(_STREETS),
            city=city or rng.choice(_CITIES.get(profile.country_code, [("City", "", "00000")])),
            phone=f"+{rng.randrange(10**10, 10**11)}",
            lines=lines,
        )

    # -- changes between runs ---------------------------------------------------------

    def mutate(
        self,
        at: datetime,
        *,
        marketplace_ids: list[str] | None = None,
        new: int = 3,
        advance: int = 3,
        cancel: int = 1,
    ) -> dict[str, list[str]]:
        """Change the book as Amazon would between two runs; every change is stamped `at`.

        In each marketplace: `new` orders are placed, `advance` open orders move on a
        status (or, when none are open, shipped orders get a late update), and `cancel`
        open orders are cancelled. Returns the ids touched, by kind.
        """
        touched: dict[str, list[str]] = {"new": [], "advanced": [], "cancelled": []}
        with self._lock:
            serial = next(self._serial)
            rng = random.Random(f"{self.data.seed}:mutate:{serial}")
            markets = marketplace_ids or [m.id for m in self.data.marketplaces() if m.participating]
            for marketplace_id in markets:
                recent = sorted(
                    self._current(marketplace_id, at - timedelta(days=20), at),
                    key=lambda o: o.order_id,
                )
                open_orders = [o for o in recent if o.status in ("PENDING", "UNSHIPPED")]
                shipped = [o for o in recent if o.status == "SHIPPED"]
                for order in open_orders[:cancel]:
                    self.changed[order.order_id] = replace(
                        order, status="CANCELLED", last_updated=at
                    )
                    touched["cancelled"].append(order.order_id)
                movable = open_orders[cancel:] + shipped
                for order in movable[:advance]:
                    status = {"PENDING": "UNSHIPPED", "UNSHIPPED": "SHIPPED"}.get(
                        order.status, order.status
                    )
                    self.changed[order.order_id] = replace(order, status=status, last_updated=at)
                    touched["advanced"].append(order.order_id)
                products = self.data.products(marketplace_id)
                for _ in range(new):
                    order_id = f"9{rng.randrange(10, 99)}-{rng.randrange(10**7):07d}-{rng.randrange(10**7):07d}"
                    lines = (
                        OrderLine(
                            f"{rng.randrange(10**13):013d}",
                            product := rng.choice(products),
                            rng.randrange(1, 4),
                            product.price,
                            Decimal("4.99"),
                        ),
                    )
                    placed = self._order(
                        rng,
                        marketplace_id,
                        order_id,
                        at,
                        at + timedelta(days=9),
                        "MERCHANT",
                        lines,
                        as_of=at,
                    )
                    assert placed is not None
                    self.changed[order_id] = replace(placed, status="PENDING")
                    touched["new"].append(order_id)
            self.version += 1
        return touched
