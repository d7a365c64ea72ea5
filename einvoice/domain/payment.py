"""Payment instructions (EN 16931 BG-16 to BG-19) and third-party payments."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class CreditTransfer:
    """BG-17 CREDIT TRANSFER: an account the buyer pays to."""

    account_identifier: str | None = None  # BT-84: IBAN for SEPA transfers
    account_name: str | None = None  # BT-85
    service_provider_identifier: str | None = None  # BT-86: BIC

    @property
    def iban(self) -> str | None:
        """BT-84 without the spaces a printed IBAN may carry."""
        if self.account_identifier is None:
            return None
        return "".join(self.account_identifier.split()).upper()


@dataclass(frozen=True, slots=True)
class PaymentCard:
    """BG-18 PAYMENT CARD INFORMATION."""

    primary_account_number: str | None = None  # BT-87 (usually masked)
    holder_name: str | None = None  # BT-88


@dataclass(frozen=True, slots=True)
class DirectDebit:
    """BG-19 DIRECT DEBIT."""

    mandate_reference: str | None = None  # BT-89
    creditor_identifier: str | None = None  # BT-90: SEPA creditor id
    debited_account: str | None = None  # BT-91


@dataclass(frozen=True, slots=True)
class PaymentInstructions:
    """BG-16 PAYMENT INSTRUCTIONS (one per invoice).

    Both syntaxes allow several payment means elements; their accounts all
    become credit transfers (BG-17), while BT-81, BT-82 and BT-83 come from the
    first element that states them.
    """

    means_code: str | None = None  # BT-81 (UNTDID 4461: 58 SEPA transfer, 59 direct debit)
    means_text: str | None = None  # BT-82
    remittance_information: str | None = None  # BT-83
    credit_transfers: tuple[CreditTransfer, ...] = ()  # BG-17
    card: PaymentCard | None = None  # BG-18
    direct_debit: DirectDebit | None = None  # BG-19


@dataclass(frozen=True, slots=True)
class ThirdPartyPayment:
    """BG-DEX-09 THIRD PARTY PAYMENT (XRechnung extension, UBL only)."""

    type: str | None = None  # BT-DEX-001
    amount: Decimal | None = None  # BT-DEX-002
    description: str | None = None  # BT-DEX-003
