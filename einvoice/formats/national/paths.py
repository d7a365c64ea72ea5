"""XPath building blocks for the two syntaxes (kept in one place for readability).

UBL paths start at ``/*`` so that Invoice and CreditNote share them; line
paths use ``cac:InvoiceLine | cac:CreditNoteLine``.
"""

from __future__ import annotations

# ---- UBL (Invoice and CreditNote) ----
U_ROOT = "/*"
U_SELLER = "/*/cac:AccountingSupplierParty"
U_SELLER_PARTY = "/*/cac:AccountingSupplierParty/cac:Party"
U_BUYER_PARTY = "/*/cac:AccountingCustomerParty/cac:Party"
U_LINES = "/*/cac:InvoiceLine | /*/cac:CreditNoteLine"
U_ITEMS = "/*/cac:InvoiceLine/cac:Item | /*/cac:CreditNoteLine/cac:Item"
U_PAYMENT_MEANS = "/*/cac:PaymentMeans"
U_DOC_AND_LINE_ALLOWANCES = (
    "/*/cac:AllowanceCharge | /*/cac:InvoiceLine/cac:AllowanceCharge"
    " | /*/cac:CreditNoteLine/cac:AllowanceCharge"
)

# ---- CII ----
C_ROOT = "/rsm:CrossIndustryInvoice"
C_TRANSACTION = "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction"
C_AGREEMENT = C_TRANSACTION + "/ram:ApplicableHeaderTradeAgreement"
# Relative to the CII root element.
C_AGREEMENT_REL = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement"
C_LINES_REL = "rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem"
C_DELIVERY = C_TRANSACTION + "/ram:ApplicableHeaderTradeDelivery"
C_SETTLEMENT = C_TRANSACTION + "/ram:ApplicableHeaderTradeSettlement"
C_SELLER = C_AGREEMENT + "/ram:SellerTradeParty"
C_BUYER = C_AGREEMENT + "/ram:BuyerTradeParty"
C_LINES = C_TRANSACTION + "/ram:IncludedSupplyChainTradeLineItem"
C_PAYMENT_MEANS = C_SETTLEMENT + "/ram:SpecifiedTradeSettlementPaymentMeans"

# Relative to the CII root element: the three parts of BG-19 "DIRECT DEBIT".
C_BT89_REL = (
    "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement"
    "/ram:SpecifiedTradePaymentTerms/ram:DirectDebitMandateID"
)
C_BT90_REL = (
    "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:CreditorReferenceID"
)
C_BT91_REL = (
    "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement"
    "/ram:SpecifiedTradeSettlementPaymentMeans/ram:PayerPartyDebtorFinancialAccount/ram:IBANID"
)
# Absolute versions for use inside predicates of a payment means context.
C_BG19_ANY = f"/rsm:CrossIndustryInvoice/{C_BT89_REL} or /rsm:CrossIndustryInvoice/{C_BT90_REL}"


def codes_predicate(expression: str, codes: str) -> str:
    """``normalize-space(expression)`` equals one of the space-separated ``codes``."""
    return " or ".join(f"normalize-space({expression}) = '{code}'" for code in codes.split())
