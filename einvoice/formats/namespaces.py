"""XML namespaces of the two EN 16931 syntaxes and their neighbours."""

UBL_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
UBL_CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
EXT = "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"

CII_RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
CII_RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
CII_UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
CII_QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"

# Legacy and neighbouring formats that are not EN 16931 invoices.
ZUGFERD_1_RSM = "urn:ferd:CrossIndustryDocument:invoice:1p0"
ORDER_X_RSM = "urn:un:unece:uncefact:data:standard:SCRDMCCBDACIOMessageStructure:100"

UBL_NS = {"ubl": UBL_INVOICE, "cn": UBL_CREDIT_NOTE, "cac": CAC, "cbc": CBC, "ext": EXT}
CII_NS = {"rsm": CII_RSM, "ram": CII_RAM, "udt": CII_UDT, "qdt": CII_QDT}
