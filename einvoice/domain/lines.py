"""Invoice lines (EN 16931 BG-25 to BG-32) and the parts they share with the header."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from einvoice.domain.parties import Identifier


@dataclass(frozen=True, slots=True)
class Period:
    """A period: BG-14 invoicing period (BT-73, BT-74) or BG-26 line period (BT-134, BT-135)."""

    start: date | None = None  # BT-73 / BT-134
    end: date | None = None  # BT-74 / BT-135


@dataclass(frozen=True, slots=True)
class AllowanceCharge:
    """An allowance or a charge: BG-20 / BG-21 on the document, BG-27 / BG-28 on a line.

    The comments name the document-level allowance terms (BG-20); charges and
    line-level groups use the same structure. Lines carry no VAT fields here:
    a line's allowances and charges take the line's VAT category.
    """

    is_charge: bool
    amount: Decimal | None = None  # BT-92 (BT-99, BT-136, BT-141)
    base_amount: Decimal | None = None  # BT-93 (BT-100, BT-137, BT-142)
    percentage: Decimal | None = None  # BT-94 (BT-101, BT-138, BT-143)
    vat_category_code: str | None = None  # BT-95 (BT-102); document level only
    vat_rate: Decimal | None = None  # BT-96 (BT-103); document level only
    reason: str | None = None  # BT-97 (BT-104, BT-139, BT-144)
    reason_code: str | None = None  # BT-98 (BT-105, BT-140, BT-145)


@dataclass(frozen=True, slots=True)
class PriceDetails:
    """BG-29 PRICE DETAILS."""

    net_price: Decimal | None = None  # BT-146
    discount: Decimal | None = None  # BT-147 item price discount
    gross_price: Decimal | None = None  # BT-148
    base_quantity: Decimal | None = None  # BT-149
    base_quantity_unit: str | None = None  # BT-150


@dataclass(frozen=True, slots=True)
class LineVat:
    """BG-30 LINE VAT INFORMATION."""

    category_code: str | None = None  # BT-151 (UNTDID 5305: S, Z, E, AE, K, G, O, L, M)
    rate: Decimal | None = None  # BT-152


@dataclass(frozen=True, slots=True)
class ItemClassification:
    """BT-158 item classification identifier with BT-158-1 scheme and BT-158-2 version."""

    code: str
    list_id: str | None = None  # BT-158-1 (UNTDID 7143)
    list_version: str | None = None  # BT-158-2


@dataclass(frozen=True, slots=True)
class ItemAttribute:
    """BG-32 ITEM ATTRIBUTES."""

    name: str | None = None  # BT-160
    value: str | None = None  # BT-161


@dataclass(frozen=True, slots=True)
class Item:
    """BG-31 ITEM INFORMATION."""

    name: str | None = None  # BT-153
    description: str | None = None  # BT-154
    sellers_identifier: str | None = None  # BT-155
    buyers_identifier: str | None = None  # BT-156
    standard_identifier: Identifier | None = None  # BT-157, BT-157-1
    classifications: tuple[ItemClassification, ...] = ()  # BT-158
    origin_country: str | None = None  # BT-159
    attributes: tuple[ItemAttribute, ...] = ()  # BG-32


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    """BG-25 INVOICE LINE, with the sub-lines of the XRechnung extension (BG-DEX-01).

    In UBL sub-lines are nested (``cac:SubInvoiceLine``); in CII they are flat
    lines pointing to their parent (``ram:ParentLineID``). Both end up nested
    here; top-level lines alone add up to BT-106.
    """

    line_id: str | None = None  # BT-126
    note: str | None = None  # BT-127
    object_identifier: Identifier | None = None  # BT-128, BT-128-1
    quantity: Decimal | None = None  # BT-129
    unit_code: str | None = None  # BT-130 (UN/ECE Rec 20/21)
    net_amount: Decimal | None = None  # BT-131
    order_line_reference: str | None = None  # BT-132
    accounting_reference: str | None = None  # BT-133
    period: Period | None = None  # BG-26
    allowances: tuple[AllowanceCharge, ...] = ()  # BG-27
    charges: tuple[AllowanceCharge, ...] = ()  # BG-28
    price: PriceDetails | None = None  # BG-29
    vat: LineVat | None = None  # BG-30
    item: Item | None = None  # BG-31
    sub_lines: tuple[InvoiceLine, ...] = ()  # BG-DEX-01 (XRechnung extension, ZUGFeRD EXTENDED)
    status_code: str | None = None  # CII ram:LineStatusReasonCode (DETAIL, GROUP, INFORMATION)

    @property
    def item_name(self) -> str | None:
        return self.item.name if self.item is not None else None

    @property
    def vat_category_code(self) -> str | None:
        return self.vat.category_code if self.vat is not None else None

    @property
    def vat_rate(self) -> Decimal | None:
        return self.vat.rate if self.vat is not None else None

    def walk(self) -> Iterator[InvoiceLine]:
        """This line and all its sub-lines, depth first."""
        yield self
        for sub in self.sub_lines:
            yield from sub.walk()
