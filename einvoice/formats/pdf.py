"""ZUGFeRD / Factur-X PDFs: find the embedded invoice XML, check the container.

Container problems that still leave exactly one readable invoice XML are
warnings (attachment relationship, XMP profile, PDF/A identification); no
readable XML, several candidates or encryption are errors.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field

from lxml import etree

from einvoice.domain.findings import Finding, Layer, Severity
from einvoice.formats import namespaces as ns
from einvoice.formats.safexml import parse

log = logging.getLogger(__name__)

# File names under which the standards embed the invoice XML, in the order of
# preference (Factur-X / ZUGFeRD 2.x, ZUGFeRD 2.x XRechnung profile, ZUGFeRD 1.0).
INVOICE_NAMES = ("factur-x.xml", "xrechnung.xml", "zugferd-invoice.xml")
ALLOWED_RELATIONSHIPS = ("/Data", "/Alternative", "/Source")
MAX_ATTACHMENTS = 200

XMP_LEVELS = {
    "MINIMUM": "MINIMUM",
    "BASIC WL": "BASIC WL",
    "BASICWL": "BASIC WL",
    "BASIC": "BASIC",
    "EN 16931": "EN 16931",
    "EN16931": "EN 16931",
    "COMFORT": "EN 16931",
    "EXTENDED": "EXTENDED",
    "XRECHNUNG": "XRECHNUNG",
}


def _error(rule: str, de: str, en: str, location: str = "") -> Finding:
    return Finding(rule, Severity.ERROR, Layer.CONTAINER, de, en, location)


def _warning(rule: str, de: str, en: str, location: str = "") -> Finding:
    return Finding(rule, Severity.WARNING, Layer.CONTAINER, de, en, location)


@dataclass(slots=True)
class PdfExtraction:
    xml: bytes | None = None
    xml_name: str | None = None
    xmp_level: str | None = None  # normalised fx:ConformanceLevel, if declared
    findings: list[Finding] = field(default_factory=list)


def extract(data: bytes) -> PdfExtraction:
    """Open the PDF and return its one invoice XML, with container findings."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    result = PdfExtraction()
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
    except (PdfReadError, ValueError, TypeError, KeyError, AttributeError, OSError) as exc:
        result.findings.append(_broken(exc))
        return result
    except Exception as exc:  # pypdf raises many kinds on garbage; none may escape
        result.findings.append(_broken(exc))
        return result
    if encrypted:
        result.findings.append(
            _error(
                "PDF-ENCRYPTED",
                "Die PDF-Datei ist verschlüsselt. Eine E-Rechnung darf nicht verschlüsselt "
                "oder kennwortgeschützt sein; bitte ohne Verschlüsselung senden.",
                "The PDF is encrypted. An e-invoice must not be encrypted or password "
                "protected; send it unencrypted.",
            )
        )
        return result
    try:
        attachments = _attachments(reader)
    except Exception as exc:
        result.findings.append(_broken(exc))
        return result
    _pick_invoice_xml(attachments, result)
    _check_active_content(reader, attachments, result)
    try:
        _check_xmp(reader, result)
    except Exception as exc:
        result.findings.append(
            _warning(
                "PDF-XMP",
                f"Die XMP-Metadaten der PDF-Datei sind nicht lesbar: {exc}",
                f"The PDF's XMP metadata cannot be read: {exc}",
            )
        )
    return result


def _check_active_content(
    reader: object, attachments: list[Attachment], result: PdfExtraction
) -> None:
    from einvoice.formats import pdf_active

    try:
        found = pdf_active.findings(reader, [(a.name, a.content) for a in attachments])
    except Exception as exc:  # never a silent pass: the clerk is told it was not checked
        log.warning("PDF active-content check failed", exc_info=True)
        found = [pdf_active.unchecked(exc)]
    result.findings.extend(found)


def _broken(exc: Exception) -> Finding:
    return _error(
        "PDF-BROKEN",
        f"Die PDF-Datei ist beschädigt oder unvollständig und kann nicht gelesen werden "
        f"({type(exc).__name__}: {exc}).",
        f"The PDF is damaged or incomplete and cannot be read ({type(exc).__name__}: {exc}).",
    )


@dataclass(frozen=True, slots=True)
class Attachment:
    name: str
    content: bytes
    relationship: str | None


def _attachments(reader: object) -> list[Attachment]:
    found: list[Attachment] = []
    for item in reader.attachment_list:  # type: ignore[attr-defined]
        if len(found) >= MAX_ATTACHMENTS:
            break
        relationship = None
        spec = getattr(item, "pdf_object", None)
        if spec is not None and hasattr(spec, "get"):
            value = spec.get("/AFRelationship")
            relationship = str(value) if value is not None else None
        found.append(Attachment(str(item.name), bytes(item.content), relationship))
    return found


def _is_invoice_xml(content: bytes) -> bool:
    parsed = parse(content)
    if parsed.root is None:
        return False
    namespace = etree.QName(parsed.root).namespace
    return namespace in (ns.CII_RSM, ns.UBL_INVOICE, ns.UBL_CREDIT_NOTE, ns.ZUGFERD_1_RSM)


def _namespace(content: bytes) -> str | None:
    parsed = parse(content)
    return None if parsed.root is None else etree.QName(parsed.root).namespace


def _prefer_en16931(named: list[Attachment], result: PdfExtraction) -> list[Attachment]:
    """A ZUGFeRD 1.0 XML beside one EN 16931 invoice (CII/UBL): the EN 16931 one counts."""
    spaces = [_namespace(a.content) for a in named]
    current = [a for a, space in zip(named, spaces, strict=True) if space in EN16931_NAMESPACES]
    old = [a for a, space in zip(named, spaces, strict=True) if space == ns.ZUGFERD_1_RSM]
    if len(current) != 1 or len(current) + len(old) != len(named):
        return named
    ignored = ", ".join(a.name for a in old)
    result.findings.append(
        _warning(
            "PDF-ZUGFERD1-IGNORED",
            f"Die PDF-Datei enthält neben der Rechnung '{current[0].name}' eine ZUGFeRD-1.0-XML "
            f"({ignored}); gelesen wird '{current[0].name}'.",
            f"Besides the invoice '{current[0].name}' the PDF contains a ZUGFeRD 1.0 XML "
            f"({ignored}); '{current[0].name}' is read.",
        )
    )
    return current


EN16931_NAMESPACES = (ns.CII_RSM, ns.UBL_INVOICE, ns.UBL_CREDIT_NOTE)


def _pick_invoice_xml(attachments: list[Attachment], result: PdfExtraction) -> None:
    named = [a for a in attachments if a.name.lower() in INVOICE_NAMES]
    if not named:
        # Not under a standard name: accept an embedded XML that is an invoice.
        named = [
            a for a in attachments if a.name.lower().endswith(".xml") and _is_invoice_xml(a.content)
        ]
        if named:
            result.findings.append(
                _warning(
                    "PDF-XML-NAME",
                    f"Die Rechnungs-XML ist als '{named[0].name}' eingebettet; der Standard "
                    f"verlangt den Namen 'factur-x.xml' (bzw. 'xrechnung.xml').",
                    f"The invoice XML is embedded as '{named[0].name}'; the standard requires "
                    f"the name 'factur-x.xml' (or 'xrechnung.xml').",
                )
            )
    if not named:
        listed = ", ".join(a.name for a in attachments) or "keine"
        result.findings.append(
            _error(
                "PDF-NO-XML",
                "Die PDF-Datei enthält keine eingebettete Rechnungs-XML (factur-x.xml, "
                f"xrechnung.xml oder zugferd-invoice.xml); Anhänge: {listed}. Eine reine "
                "PDF-Rechnung ist keine E-Rechnung.",
                "The PDF contains no embedded invoice XML (factur-x.xml, xrechnung.xml or "
                f"zugferd-invoice.xml); attachments: {listed}. A plain PDF invoice is not an "
                "e-invoice.",
            )
        )
        return
    if len(named) > 1:
        named = _prefer_en16931(named, result)
    if len(named) > 1:
        names = ", ".join(a.name for a in named)
        result.findings.append(
            _error(
                "PDF-SEVERAL-XML",
                f"Die PDF-Datei enthält mehrere Rechnungs-XML-Dateien ({names}); es ist nicht "
                "eindeutig, welche gilt. Bitte genau eine einbetten.",
                f"The PDF contains several invoice XML files ({names}); it is ambiguous which "
                "one applies. Embed exactly one.",
            )
        )
        return
    chosen = named[0]
    result.xml = chosen.content
    result.xml_name = chosen.name
    if chosen.relationship not in ALLOWED_RELATIONSHIPS:
        result.findings.append(
            _warning(
                "PDF-AFRELATIONSHIP",
                f"Die eingebettete Datei '{chosen.name}' hat die Beziehung "
                f"/AFRelationship {chosen.relationship or '(fehlt)'}; erlaubt sind Data, "
                "Alternative oder Source.",
                f"The embedded file '{chosen.name}' has /AFRelationship "
                f"{chosen.relationship or '(missing)'}; allowed are Data, Alternative or Source.",
            )
        )


def _check_xmp(reader: object, result: PdfExtraction) -> None:
    xmp = reader.xmp_metadata  # type: ignore[attr-defined]
    if xmp is None:
        result.findings.append(
            _warning(
                "PDF-XMP",
                "Die PDF-Datei hat keine XMP-Metadaten; PDF/A-3-Kennung und Profil "
                "(fx:ConformanceLevel) fehlen.",
                "The PDF has no XMP metadata; PDF/A-3 identification and profile "
                "(fx:ConformanceLevel) are missing.",
            )
        )
        return
    parsed = parse(xmp.stream.get_data())
    if parsed.root is None:
        result.findings.append(
            _warning(
                "PDF-XMP",
                "Die XMP-Metadaten der PDF-Datei sind kein lesbares XML.",
                "The PDF's XMP metadata is not readable XML.",
            )
        )
        return
    values = _xmp_values(parsed.root)
    part = values.get("part")
    if part != "3":
        result.findings.append(
            _warning(
                "PDF-PDFA3",
                f"Die PDF-Datei ist nicht als PDF/A-3 gekennzeichnet (pdfaid:part = "
                f"{part or 'fehlt'}). ZUGFeRD/Factur-X verlangt PDF/A-3.",
                f"The PDF is not identified as PDF/A-3 (pdfaid:part = {part or 'missing'}). "
                "ZUGFeRD/Factur-X requires PDF/A-3.",
            )
        )
    level = values.get("ConformanceLevel")
    if level is None:
        result.findings.append(
            _warning(
                "PDF-XMP-PROFILE",
                "Die XMP-Metadaten nennen kein Profil (fx:ConformanceLevel).",
                "The XMP metadata names no profile (fx:ConformanceLevel).",
            )
        )
    else:
        result.xmp_level = XMP_LEVELS.get(level.strip().upper(), level.strip().upper())


def _xmp_values(root: etree._Element) -> dict[str, str]:
    """Collect pdfaid:part and the ZUGFeRD/Factur-X properties (element or attribute)."""
    wanted = {"part", "ConformanceLevel", "DocumentFileName", "DocumentType"}
    values: dict[str, str] = {}
    for element in root.iter(etree.Element):
        for key, value in element.attrib.items():
            local = etree.QName(key).localname
            if local in wanted and local not in values:
                values[local] = value.strip()
        if not isinstance(element.tag, str):
            continue
        local = etree.QName(element).localname
        if local in wanted and local not in values and element.text and element.text.strip():
            values[local] = element.text.strip()
    return values


def profile_matches(xmp_level: str, scenario_profile: str | None, bt24: str | None) -> bool:
    """Does the XMP ConformanceLevel agree with the profile declared in BT-24?"""
    if bt24 is None:
        return False
    lowered = bt24.lower()
    if xmp_level == "XRECHNUNG":
        return "xrechnung" in lowered
    if xmp_level == "EN 16931":
        return scenario_profile == "EN 16931" and "xrechnung" not in lowered
    return scenario_profile == xmp_level
