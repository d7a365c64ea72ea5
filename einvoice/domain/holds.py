"""Payment holds (Zahlungssperren): why an invoice may not be ordered or exported yet.

A hold is placed when an invoice enters the workflow (:func:`assess`) and
blocks the payment order (*Anordnung*) and the export. The four kinds:

* ``unknown-supplier``: the seller matched no creditor of the master data; it
  ends only when one person of creditor accounting proposes the creditor and a
  second confirms it;
* ``bank-account-unverified``: an IBAN in BT-84 is not a verified bank account
  of the matched creditor; it ends only when the account is on the creditor
  record, entered by one person and verified by a second;
* ``uploader-not-seller``: a portal account submitted an invoice whose seller
  is not a creditor that account is bound to; it ends only when a binding of
  the account to the creditor is entered by one person and confirmed by a
  second (a supplier's own registration counts as entered by nobody);
* ``possible-duplicate``: same creditor and amount within a few days, the same
  number with another amount, or the same bytes: the clerk decides by hand
  (:func:`may_clear`), with a reason.

The first three are never cleared by hand (:data:`ANSWERED_BY_MASTER_DATA`):
only the master data answers them. Four eyes: whoever signed the invoice
(sachlich / rechnerisch richtig, the order) may not clear its holds, and whoever
cleared or decided a hold may not order it (``approval``). The approval state
machine refuses to order or export while any hold is open (``approval.apply``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from einvoice.domain.creditors import grouped_iban


class HoldCode(StrEnum):
    UNKNOWN_SUPPLIER = "unknown-supplier"
    BANK_ACCOUNT_UNVERIFIED = "bank-account-unverified"
    UPLOADER_NOT_SELLER = "uploader-not-seller"
    POSSIBLE_DUPLICATE = "possible-duplicate"


#: Short German names (queue marker, filter, buttons).
HOLD_TITLES_DE: dict[HoldCode, str] = {
    HoldCode.UNKNOWN_SUPPLIER: "Lieferant unbekannt",
    HoldCode.BANK_ACCOUNT_UNVERIFIED: "Bankverbindung ungeprüft",
    HoldCode.UPLOADER_NOT_SELLER: "Einreicher nicht Verkäufer",
    HoldCode.POSSIBLE_DUPLICATE: "mögliche Doppelzahlung",
}

#: What has to happen to clear each hold (German, for the invoice page).
HOLD_REMEDIES_DE: dict[HoldCode, str] = {
    HoldCode.UNKNOWN_SUPPLIER: "Die Kreditorenbuchhaltung legt den Kreditor an oder ordnet "
    "einen vorhandenen zu.",
    HoldCode.BANK_ACCOUNT_UNVERIFIED: "Die Kreditorenbuchhaltung erfasst die Bankverbindung "
    "beim Kreditor; eine zweite Person der Kreditorenbuchhaltung prüft sie, z. B. per Rückruf "
    "unter einer bekannten Nummer, und hält fest, wie. Erst dann endet die Sperre; von Hand "
    "aufheben kann sie niemand.",
    HoldCode.UPLOADER_NOT_SELLER: "Eine Person der Kreditorenbuchhaltung erfasst die Bindung des "
    "Portalkontos an den Kreditor, eine zweite bestätigt sie; erst dann endet die Sperre (von "
    "Hand aufheben kann sie niemand). Sonst wird die Rechnung abgelehnt.",
    HoldCode.POSSIBLE_DUPLICATE: "Die Sachbearbeitung prüft, ob die Rechnung schon bezahlt wird, "
    "und gibt sie frei oder lehnt sie ab.",
}

#: Holds cleared by creditor accounting (master data questions); the department's
#: clerks clear the others (a duplicate is the clerk's decision).
MASTER_DATA_HOLDS = frozenset(
    {HoldCode.UNKNOWN_SUPPLIER, HoldCode.BANK_ACCOUNT_UNVERIFIED, HoldCode.UPLOADER_NOT_SELLER}
)

#: Holds no one clears by hand: only the master data answers them (each fact entered by one
#: person and confirmed by a second). ``unknown-supplier`` ends by naming the creditor.
ANSWERED_BY_MASTER_DATA = frozenset(
    {HoldCode.UNKNOWN_SUPPLIER, HoldCode.BANK_ACCOUNT_UNVERIFIED, HoldCode.UPLOADER_NOT_SELLER}
)

#: Why a hold of :data:`ANSWERED_BY_MASTER_DATA` is not cleared by hand, and who acts instead.
NOT_BY_HAND_DE: dict[HoldCode, str] = {
    HoldCode.UNKNOWN_SUPPLIER: "Die Sperre „Lieferant unbekannt“ hebt niemand von Hand auf: "
    "sie endet, wenn eine Person der Kreditorenbuchhaltung den Kreditor vorschlägt (und vorher "
    "anlegt, falls es ihn noch nicht gibt) und eine zweite bestätigt (Rechnungsseite „Kreditor "
    "zuordnen“ oder einvoice hold assign).",
    HoldCode.BANK_ACCOUNT_UNVERIFIED: "Die Sperre „Bankverbindung ungeprüft“ hebt niemand von "
    "Hand auf: sie endet erst, wenn die Bankverbindung beim Kreditor erfasst ist und eine "
    "zweite Person der Kreditorenbuchhaltung (nicht, wer sie erfasst hat) sie prüft und "
    "festhält, wie (Kreditorenseite „Als geprüft festhalten“ oder einvoice suppliers "
    "verify-account). Sonst ginge die Zahlung an ein von niemandem geprüftes Konto.",
    HoldCode.UPLOADER_NOT_SELLER: "Die Sperre „Einreicher nicht Verkäufer“ hebt niemand von "
    "Hand auf: sie endet erst, wenn eine Person der Kreditorenbuchhaltung die Bindung des "
    "Portalkontos an den Kreditor erfasst und eine zweite sie bestätigt (Seite „Bindungen von "
    "Portalkonten“ oder einvoice suppliers bind / decide-binding). Sonst lehnt das Amt die "
    "Rechnung ab.",
}

#: Actions the holds block.
BLOCKED_ACTIONS_DE = "Zahlung anordnen und an die Kasse übergeben"


@dataclass(frozen=True, slots=True)
class Placement:
    """A hold to place: its code and the German reason for this invoice."""

    code: HoldCode
    message_de: str


@dataclass(frozen=True, slots=True)
class Hold:
    """A hold on an invoice (open while ``cleared_at`` is None)."""

    code: HoldCode
    message_de: str
    since: datetime
    cleared_by: str | None = None
    cleared_at: datetime | None = None
    clear_reason: str | None = None

    @property
    def open(self) -> bool:
        return self.cleared_at is None

    @property
    def title_de(self) -> str:
        return HOLD_TITLES_DE[self.code]


@dataclass(frozen=True, slots=True)
class SupplierFacts:
    """What :func:`assess` needs to know about an incoming invoice."""

    creditor_id: int | None  # the matched creditor (None: none, or only a proposal)
    creditor_label: str | None  # "K-10001 Muster GmbH", for the messages
    proposal_label: str | None  # a name + post code proposal, if any
    seller_name: str  # BT-27
    ibans: tuple[str, ...]  # BT-84 of every credit transfer (normal form)
    verified_ibans: frozenset[str]  # verified accounts of the matched creditor
    portal_account: str | None  # the uploading portal account; None: not uploaded
    bound_creditors: frozenset[int]  # creditors the portal account is bound to (confirmed)


@dataclass(frozen=True, slots=True)
class EarlierInvoice:
    """An earlier invoice compared for :data:`HoldCode.POSSIBLE_DUPLICATE`."""

    invoice_id: int
    creditor_id: int | None
    seller_key: str
    number: str
    amount: Decimal
    received_on: date
    sha256: str


@dataclass(frozen=True, slots=True)
class ThisInvoice:
    creditor_id: int | None
    seller_key: str
    number: str
    amount: Decimal
    received_on: date
    sha256: str


def assess(facts: SupplierFacts) -> tuple[Placement, ...]:
    """The supplier holds an invoice gets on entering the workflow (duplicates aside)."""
    placed: list[Placement] = []
    if facts.creditor_id is None:
        hint = (
            f" Vorschlag nach Name und Postleitzahl: {facts.proposal_label} (bitte bestätigen)."
            if facts.proposal_label
            else ""
        )
        placed.append(
            Placement(
                HoldCode.UNKNOWN_SUPPLIER,
                f"Zum Verkäufer „{facts.seller_name or '–'}“ gibt es keinen Kreditor in den "
                f"Stammdaten (keine passende USt-IdNr., Steuernummer, Registernummer oder GLN)."
                f"{hint}",
            )
        )
    else:
        unknown = [i for i in facts.ibans if i not in facts.verified_ibans]
        if unknown:
            placed.append(
                Placement(
                    HoldCode.BANK_ACCOUNT_UNVERIFIED,
                    f"Die Bankverbindung {', '.join(grouped_iban(i) for i in unknown)} (BT-84) ist "
                    f"keine geprüfte Bankverbindung des Kreditors {facts.creditor_label}. "
                    "Geänderte Bankdaten sind der häufigste Rechnungsbetrug.",
                )
            )
    if facts.portal_account is not None and (
        facts.creditor_id is None or facts.creditor_id not in facts.bound_creditors
    ):
        who = facts.creditor_label or f"„{facts.seller_name or '–'}“"
        placed.append(
            Placement(
                HoldCode.UPLOADER_NOT_SELLER,
                f"Eingereicht vom Portalkonto „{facts.portal_account}“; dieses Konto ist "
                f"(noch) nicht bestätigt, für den Verkäufer {who} einzureichen.",
            )
        )
    return tuple(placed)


def _which(other: EarlierInvoice) -> str:
    """The earlier invoice as a clerk finds it: its number (BT-1) and the internal id."""
    number = other.number.strip()
    if not number:
        return f"Rechnung interne Nr. {other.invoice_id}"
    return f"Rechnung {number} (interne Nr. {other.invoice_id})"


def duplicate_of(
    invoice: ThisInvoice, earlier: Iterable[EarlierInvoice], window_days: int
) -> Placement | None:
    """:data:`HoldCode.POSSIBLE_DUPLICATE` when an earlier invoice looks like this one."""
    reasons: list[str] = []
    for other in earlier:
        which = _which(other)
        same_supplier = (
            invoice.creditor_id is not None and invoice.creditor_id == other.creditor_id
        ) or (invoice.seller_key != "" and invoice.seller_key == other.seller_key)
        if other.sha256 == invoice.sha256:
            reasons.append(f"dieselbe Datei wie {which}")
        elif same_supplier and other.number == invoice.number and other.amount != invoice.amount:
            reasons.append(
                f"dieselbe Rechnungsnummer {invoice.number} wie {which}, "
                f"aber ein anderer Betrag ({_money(other.amount)})"
            )
        elif (
            same_supplier
            and other.amount == invoice.amount
            and abs((invoice.received_on - other.received_on).days) <= window_days
        ):
            reasons.append(
                f"derselbe Lieferant und Betrag ({_money(invoice.amount)}) wie {which} "
                f"innerhalb von {window_days} Tagen"
            )
    if not reasons:
        return None
    return Placement(
        HoldCode.POSSIBLE_DUPLICATE,
        "Mögliche Doppelzahlung: " + "; ".join(reasons[:5]) + ".",
    )


@dataclass(frozen=True, slots=True)
class ClearRefusal:
    code: str  # cleared, four_eyes, role, comment
    reason_de: str


def may_clear(
    hold: Hold,
    actor_id: str,
    signed_by: Iterable[str | None],
    reason: str | None,
    *,
    creditor_accounting: bool,
    department_clerk: bool,
    by_hand: bool = True,
) -> ClearRefusal | None:
    """None when ``actor_id`` may clear ``hold``; else why not (German).

    ``signed_by``: who confirmed sachlich / rechnerisch richtig or ordered the
    invoice. ``creditor_accounting``: the actor works in creditor accounting;
    ``department_clerk``: the actor belongs to the invoice's department (clerk,
    approver or department admin). ``by_hand``: a person clears it with a reason
    (refused for :data:`ANSWERED_BY_MASTER_DATA`); False when the master data
    answered it (a binding or an account confirmed by a second person, a creditor named).
    """
    if not hold.open:
        return ClearRefusal(
            "cleared", f"Die Sperre „{hold.title_de}“ ist bereits aufgehoben (bereits entschieden)."
        )
    if by_hand and hold.code in ANSWERED_BY_MASTER_DATA:
        return ClearRefusal("master_data", NOT_BY_HAND_DE[hold.code])
    if actor_id in {s for s in signed_by if s}:
        return ClearRefusal(
            "four_eyes",
            "Vier-Augen-Prinzip: wer die Rechnung gezeichnet hat, darf ihre Sperre "
            f"„{hold.title_de}“ nicht selbst aufheben.",
        )
    allowed = creditor_accounting or (department_clerk and hold.code not in MASTER_DATA_HOLDS)
    if not allowed:
        who = (
            "die Kreditorenbuchhaltung"
            if hold.code in MASTER_DATA_HOLDS
            else "die Sachbearbeitung des Amts oder die Kreditorenbuchhaltung"
        )
        return ClearRefusal("role", f"Die Sperre „{hold.title_de}“ hebt {who} auf.")
    if not (reason or "").strip():
        return ClearRefusal("comment", "Zum Aufheben einer Sperre ist eine Begründung nötig.")
    return None


def blocked_reason_de(open_codes: Iterable[str]) -> str:
    """Why the payment cannot be ordered or exported (for refusals and the approver's page)."""
    titles = [HOLD_TITLES_DE[HoldCode(c)] for c in sorted(set(open_codes)) if c in _CODES]
    return (
        "Die Zahlung ist gesperrt, bis jemand die Sperre aufhebt: "
        + ", ".join(titles or sorted(set(open_codes)))
        + "."
    )


def _money(amount: Decimal) -> str:
    text = f"{amount:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"{text} €"


_CODES = frozenset(c.value for c in HoldCode)

__all__ = [
    "ANSWERED_BY_MASTER_DATA",
    "BLOCKED_ACTIONS_DE",
    "HOLD_REMEDIES_DE",
    "HOLD_TITLES_DE",
    "MASTER_DATA_HOLDS",
    "NOT_BY_HAND_DE",
    "ClearRefusal",
    "EarlierInvoice",
    "Hold",
    "HoldCode",
    "Placement",
    "SupplierFacts",
    "ThisInvoice",
    "assess",
    "blocked_reason_de",
    "duplicate_of",
    "may_clear",
]
