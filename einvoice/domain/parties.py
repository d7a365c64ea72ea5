"""The parties of an invoice (EN 16931 BG-4, BG-7, BG-10, BG-11) and their parts."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Identifier:
    """An identifier with its optional scheme (e.g. BT-29 with BT-29-1)."""

    value: str
    scheme: str | None = None  # ISO 6523 ICD, EAS code or the syntax's scheme attribute


@dataclass(frozen=True, slots=True)
class Address:
    """A postal address (BG-5 seller, BG-8 buyer, BG-12 tax representative, BG-15 deliver to).

    The comments name the seller's terms; the other groups use the same
    structure with their own ids (see ``ADDRESS_TERMS`` in the semantic form).
    """

    line_one: str | None = None  # BT-35
    line_two: str | None = None  # BT-36
    line_three: str | None = None  # BT-162
    city: str | None = None  # BT-37
    post_code: str | None = None  # BT-38
    country_subdivision: str | None = None  # BT-39
    country_code: str | None = None  # BT-40


@dataclass(frozen=True, slots=True)
class Contact:
    """A contact (BG-6 seller, BG-9 buyer)."""

    point: str | None = None  # BT-41 / BT-56: person or department
    telephone: str | None = None  # BT-42 / BT-57
    email: str | None = None  # BT-43 / BT-58


@dataclass(frozen=True, slots=True)
class Seller:
    """BG-4 SELLER."""

    name: str | None = None  # BT-27
    trading_name: str | None = None  # BT-28
    identifiers: tuple[Identifier, ...] = ()  # BT-29, BT-29-1
    legal_registration: Identifier | None = None  # BT-30, BT-30-1
    vat_identifier: str | None = None  # BT-31
    tax_registration_identifier: str | None = None  # BT-32
    additional_legal_information: str | None = None  # BT-33
    electronic_address: Identifier | None = None  # BT-34, BT-34-1
    address: Address | None = None  # BG-5
    contact: Contact | None = None  # BG-6


@dataclass(frozen=True, slots=True)
class Buyer:
    """BG-7 BUYER."""

    name: str | None = None  # BT-44
    trading_name: str | None = None  # BT-45
    identifier: Identifier | None = None  # BT-46, BT-46-1
    legal_registration: Identifier | None = None  # BT-47, BT-47-1
    vat_identifier: str | None = None  # BT-48
    electronic_address: Identifier | None = None  # BT-49, BT-49-1
    address: Address | None = None  # BG-8
    contact: Contact | None = None  # BG-9


@dataclass(frozen=True, slots=True)
class Payee:
    """BG-10 PAYEE (only when it differs from the seller)."""

    name: str | None = None  # BT-59
    identifier: Identifier | None = None  # BT-60, BT-60-1
    legal_registration: Identifier | None = None  # BT-61, BT-61-1


@dataclass(frozen=True, slots=True)
class TaxRepresentative:
    """BG-11 SELLER TAX REPRESENTATIVE PARTY."""

    name: str | None = None  # BT-62
    vat_identifier: str | None = None  # BT-63
    address: Address | None = None  # BG-12
