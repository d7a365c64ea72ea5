"""Creditor master data (Kreditorenstammdaten) and how an invoice's seller is matched to it.

A :class:`Creditor` is a supplier the city pays: its legal name and address,
the identifiers an invoice may carry for it - VAT ids (BT-31), tax number
(BT-32), legal registration (BT-30), seller ids such as a GLN (BT-29) -, its
e-mail addresses and domains, the creditor number of the city's finance system
(Kreditorennummer) and its bank accounts, each verified (by whom, when, how) or
not.

:func:`match` finds the creditor of an invoice's seller, strongest evidence
first: VAT id, tax number, registration, seller id (GLN); a name together with
the post code is only a *proposal* (a person assigns it). Identifiers are
compared in a normal form (:func:`normal_id`): upper case, without spaces,
dots, hyphens and slashes, so ``DE 123 456 789`` and ``de123456789`` agree.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from einvoice.domain.parties import Seller


class MatchedBy(StrEnum):
    """How an invoice's seller was matched to a creditor, strongest first."""

    VAT_ID = "vat_id"  # BT-31
    TAX_NUMBER = "tax_number"  # BT-32
    REGISTRATION = "registration"  # BT-30
    SELLER_ID = "seller_id"  # BT-29 (e.g. GLN)
    NAME_ADDRESS = "name_address"  # BT-27 + BT-38: a proposal only
    ASSIGNED = "assigned"  # a person assigned the creditor


MATCHED_BY_LABELS_DE: dict[MatchedBy, str] = {
    MatchedBy.VAT_ID: "Umsatzsteuer-Identifikationsnummer (BT-31)",
    MatchedBy.TAX_NUMBER: "Steuernummer (BT-32)",
    MatchedBy.REGISTRATION: "Registernummer (BT-30)",
    MatchedBy.SELLER_ID: "Verkäuferkennung, z. B. GLN (BT-29)",
    MatchedBy.NAME_ADDRESS: "Name und Postleitzahl (nur Vorschlag)",
    MatchedBy.ASSIGNED: "von Hand zugeordnet",
}

#: The identifier kinds a creditor is looked up by, in the order :func:`match` tries them.
KEY_KINDS: tuple[MatchedBy, ...] = (
    MatchedBy.VAT_ID,
    MatchedBy.TAX_NUMBER,
    MatchedBy.REGISTRATION,
    MatchedBy.SELLER_ID,
)

_NOISE = re.compile(r"[\s./\-]+")
_IBAN_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")
_BIC_SHAPE = re.compile(r"[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?")
_LEGAL_FORMS = re.compile(
    r"\b(gmbh|mbh|ag|kg|ohg|gbr|ug|e\s?k|e\s?v|co|haftungsbeschrankt|se|ltd|inc|sarl|bv)\b"
)


def normal_id(value: str | None) -> str:
    """An identifier in the form it is compared in (upper case, no separators)."""
    return _NOISE.sub("", value or "").upper()


def normal_name(value: str | None) -> str:
    """A company name for the name proposal: folded, without accents and legal forms."""
    text = unicodedata.normalize("NFKD", value or "").casefold()
    text = "".join(c for c in text if not unicodedata.combining(c)).replace("ß", "ss")
    text = re.sub(r"[^a-z0-9]+", " ", text.replace(".", ""))
    text = _LEGAL_FORMS.sub(" ", text)
    return " ".join(text.split())


def normal_iban(value: str | None) -> str:
    """An IBAN without spaces, upper case."""
    return re.sub(r"\s+", "", value or "").upper()


def grouped_iban(value: str | None) -> str:
    """An IBAN as people read it: groups of four (``DE89 3704 0044 0532 0130 00``).

    For pages, e-mails and the terminal only; files for machines (CSV, HKR) keep
    :func:`normal_iban`."""
    iban = normal_iban(value)
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


def iban_valid(value: str | None) -> bool:
    """ISO 13616 shape and MOD 97-10 check digits."""
    iban = normal_iban(value)
    if not _IBAN_SHAPE.fullmatch(iban):
        return False
    digits = "".join(str(int(c, 36)) for c in iban[4:] + iban[:4])
    return int(digits) % 97 == 1


def bic_valid(value: str | None) -> bool:
    return bool(_BIC_SHAPE.fullmatch(normal_id(value)))


#: The shape of a VAT id (USt-IdNr., BT-31) by country; other EU countries: 8 to 12 characters.
_VAT_SHAPES = {
    "DE": (re.compile(r"DE[0-9]{9}"), "DE und 9 Ziffern, z. B. DE123456788"),
    "AT": (re.compile(r"ATU[0-9]{8}"), "ATU und 8 Ziffern, z. B. ATU12345678"),
}
_VAT_COUNTRIES = frozenset(  # the EU's VAT prefixes (EL: Greece, XI: Northern Ireland)
    {"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU"}
    | {"IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "XI"}
)
_VAT_OTHER = re.compile(r"[A-Z]{2}[0-9A-Z+*]{8,12}")


def vat_id_problem(value: str | None) -> str | None:
    """None when ``value`` has the shape of a VAT id of an EU country; else why not (German)."""
    text = normal_id(value)
    if not text:
        return "Bitte die Umsatzsteuer-Identifikationsnummer (USt-IdNr.) Ihrer Firma angeben."
    country = text[:2]
    if country not in _VAT_COUNTRIES:
        return (
            f"Die USt-IdNr. „{(value or '').strip()}“ beginnt nicht mit dem Kürzel eines "
            "EU-Staats (z. B. DE123456788)."
        )
    shape, example = _VAT_SHAPES.get(country, (_VAT_OTHER, "Länderkürzel und 8 bis 12 Zeichen"))
    if not shape.fullmatch(text):
        return f"Die USt-IdNr. „{(value or '').strip()}“ hat nicht die richtige Form ({example})."
    if country == "DE" and _de_check_digit(text[2:10]) != int(text[10]):
        return (
            f"Die USt-IdNr. „{(value or '').strip()}“ ist ungültig: die Prüfziffer stimmt "
            "nicht. Bitte prüfen Sie die Nummer (sie steht z. B. auf Ihren Rechnungen)."
        )
    return None


def _de_check_digit(eight_digits: str) -> int:
    """The check digit of a German USt-IdNr. (ISO 7064, MOD 11,10)."""
    product = 10
    for digit in eight_digits:
        total = (int(digit) + product) % 10 or 10
        product = (2 * total) % 11
    return (11 - product) % 10


def email_domain(address: str | None) -> str:
    """``Rechnung@Firma.example`` -> ``firma.example`` ('' when there is none)."""
    text = (address or "").strip().rstrip(">").lower()
    return text.rpartition("@")[2] if "@" in text else ""


class AccountState(StrEnum):
    VERIFIED = "verified"
    UNVERIFIED = "unverified"


ACCOUNT_STATE_LABELS_DE = {
    AccountState.VERIFIED: "geprüft",
    AccountState.UNVERIFIED: "ungeprüft",
}


@dataclass(frozen=True, slots=True)
class Verification:
    """Who verified a bank account, when and how (e.g. call-back to a known number)."""

    by: str
    at: datetime
    how: str


@dataclass(frozen=True, slots=True)
class BankAccount:
    iban: str  # normal form (normal_iban)
    bic: str | None = None
    holder: str | None = None
    verification: Verification | None = None  # None: unverified
    entered_by: str | None = None  # who recorded it (never the one who verifies it)

    @property
    def state(self) -> AccountState:
        return AccountState.VERIFIED if self.verification else AccountState.UNVERIFIED


@dataclass(frozen=True, slots=True)
class Creditor:
    """One supplier of the city's creditor file."""

    id: int
    number: str  # Kreditorennummer of the finance system (goes into the HKR export)
    name: str  # legal name
    street: str | None = None
    post_code: str | None = None
    city: str | None = None
    country: str | None = None
    vat_ids: tuple[str, ...] = ()  # BT-31
    tax_number: str | None = None  # BT-32
    registration: str | None = None  # BT-30
    seller_ids: tuple[str, ...] = ()  # BT-29, e.g. GLN
    emails: tuple[str, ...] = ()  # addresses and domains ("firma.example")
    accounts: tuple[BankAccount, ...] = ()

    def identifiers(self) -> Iterable[tuple[MatchedBy, str]]:
        """The identifiers this creditor is found by, in normal form."""
        for value in self.vat_ids:
            yield MatchedBy.VAT_ID, normal_id(value)
        if self.tax_number:
            yield MatchedBy.TAX_NUMBER, normal_id(self.tax_number)
        if self.registration:
            yield MatchedBy.REGISTRATION, normal_id(self.registration)
        for value in self.seller_ids:
            yield MatchedBy.SELLER_ID, normal_id(value)

    def account(self, iban: str | None) -> BankAccount | None:
        wanted = normal_iban(iban)
        return next((a for a in self.accounts if a.iban == wanted), None)

    def has_verified_account(self, iban: str | None) -> bool:
        found = self.account(iban)
        return found is not None and found.verification is not None

    def payable_to(self, iban: str | None) -> bool:
        """True when ``iban`` is an account of this creditor entered by one person and
        verified by another (separation of duties: two people before money goes there)."""
        found = self.account(iban)
        if found is None or found.verification is None:
            return False
        entered, verified = (found.entered_by or "").strip(), found.verification.by.strip()
        return bool(entered) and bool(verified) and entered != verified

    def knows_email(self, address: str | None) -> bool:
        """True when the address, or its domain, is recorded for this creditor."""
        text = (address or "").strip().lower()
        domain = email_domain(text)
        known = {e.strip().lower() for e in self.emails}
        return bool(text) and (text in known or (bool(domain) and domain in known))


@dataclass(frozen=True, slots=True)
class SellerKeys:
    """What an invoice says about its seller, in normal form (from BG-4)."""

    vat_ids: tuple[str, ...] = ()
    tax_number: str = ""
    registration: str = ""
    seller_ids: tuple[str, ...] = ()
    name: str = ""  # normal_name of BT-27
    post_code: str = ""  # BT-38

    def by_kind(self) -> Iterable[tuple[MatchedBy, str]]:
        for value in self.vat_ids:
            yield MatchedBy.VAT_ID, value
        if self.tax_number:
            yield MatchedBy.TAX_NUMBER, self.tax_number
        if self.registration:
            yield MatchedBy.REGISTRATION, self.registration
        for value in self.seller_ids:
            yield MatchedBy.SELLER_ID, value


def seller_keys(seller: Seller) -> SellerKeys:
    """The matchable facts of BG-4."""
    registration = seller.legal_registration.value if seller.legal_registration else None
    address = seller.address
    return SellerKeys(
        vat_ids=tuple(v for v in (normal_id(seller.vat_identifier),) if v),
        tax_number=normal_id(seller.tax_registration_identifier),
        registration=normal_id(registration),
        seller_ids=tuple(v for v in (normal_id(i.value) for i in seller.identifiers) if v),
        name=normal_name(seller.name),
        post_code=normal_id(address.post_code if address else None),
    )


@dataclass(frozen=True, slots=True)
class Match:
    """The creditor found for a seller, and how. ``proposal``: a person must confirm it."""

    creditor_id: int
    matched_by: MatchedBy
    proposal: bool = False
    ambiguous: bool = False  # several creditors carry the same identifier

    @property
    def label_de(self) -> str:
        return MATCHED_BY_LABELS_DE[self.matched_by]


@dataclass(frozen=True, slots=True)
class CreditorIndex:
    """Creditors by identifier, for :func:`match` (built from the master data)."""

    by_key: Mapping[tuple[MatchedBy, str], tuple[int, ...]] = field(default_factory=dict)
    by_name: Mapping[tuple[str, str], tuple[int, ...]] = field(default_factory=dict)


def build_index(creditors: Iterable[Creditor]) -> CreditorIndex:
    by_key: dict[tuple[MatchedBy, str], list[int]] = {}
    by_name: dict[tuple[str, str], list[int]] = {}
    for creditor in creditors:
        for key in creditor.identifiers():
            if key[1]:
                by_key.setdefault(key, []).append(creditor.id)
        name = (normal_name(creditor.name), normal_id(creditor.post_code))
        if name[0]:
            by_name.setdefault(name, []).append(creditor.id)
    return CreditorIndex(
        {k: tuple(dict.fromkeys(v)) for k, v in by_key.items()},
        {k: tuple(dict.fromkeys(v)) for k, v in by_name.items()},
    )


def match(keys: SellerKeys, index: CreditorIndex) -> Match | None:
    """The creditor of the seller, strongest identifier first (see the module docstring)."""
    for kind in KEY_KINDS:
        for kind_of, value in keys.by_kind():
            if kind_of is not kind:
                continue
            found = index.by_key.get((kind, value), ())
            if found:
                return Match(found[0], kind, ambiguous=len(found) > 1)
    if keys.name:
        found = index.by_name.get((keys.name, keys.post_code), ())
        if found:
            return Match(found[0], MatchedBy.NAME_ADDRESS, proposal=True, ambiguous=len(found) > 1)
    return None


__all__ = [
    "ACCOUNT_STATE_LABELS_DE",
    "KEY_KINDS",
    "MATCHED_BY_LABELS_DE",
    "AccountState",
    "BankAccount",
    "Creditor",
    "CreditorIndex",
    "Match",
    "MatchedBy",
    "SellerKeys",
    "Verification",
    "bic_valid",
    "build_index",
    "email_domain",
    "iban_valid",
    "match",
    "normal_iban",
    "normal_id",
    "normal_name",
    "seller_keys",
    "vat_id_problem",
]
