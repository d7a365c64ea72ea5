"""The sample files the project ships in ``samples/``, and how to (re)write them.

Everything here is deterministic: the same code writes the same bytes, so
the committed files can be compared with a fresh run (see the unit tests).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from einvoice.samplegen.cii import to_cii
from einvoice.samplegen.pdf import to_zugferd_pdf
from einvoice.samplegen.spec import SampleInvoice, example
from einvoice.samplegen.ubl import to_ubl
from einvoice.samplegen.variants import all_variants

README = "README.md"


@dataclass(frozen=True, slots=True)
class Sample:
    path: str  # relative to the samples folder, with "/" separators
    description_de: str
    recommendation: str  # "accept" or "reject"
    rule: str | None  # the rule that must be reported, if any
    severity: str | None  # that rule's severity ("error" / "warning")
    build: Callable[[], bytes]

    @property
    def verdict_de(self) -> str:
        if self.rule is None:
            return "annehmen (accept), keine Fehler"
        if self.recommendation == "reject":
            return f"ablehnen (reject), Fehler {self.rule}"
        return f"annehmen (accept), Warnung {self.rule}"


def base_invoice() -> SampleInvoice:
    """The main sample: office supplies to the city, five lines, 19 % and 7 %."""
    return example(n_lines=5, seed=0)


def pdf_invoice() -> SampleInvoice:
    """The PDF sample: a print shop's invoice, four lines."""
    return example(n_lines=4, seed=3)


def samples() -> list[Sample]:
    base = base_invoice()
    found = [
        Sample(
            "xrechnung-ubl.xml",
            f"XRechnung 3.0, UBL 2.1 Invoice: {base.seller.name}, {len(base.lines)} Positionen, "
            "USt 19 % und 7 %, SEPA-Überweisung, Skonto 2 % in 14 Tagen",
            "accept",
            None,
            None,
            lambda: to_ubl(base),
        ),
        Sample(
            "xrechnung-cii.xml",
            "dieselbe Rechnung als XRechnung 3.0 in UN/CEFACT CII D16B",
            "accept",
            None,
            None,
            lambda: to_cii(base),
        ),
    ]
    pdf = pdf_invoice()
    found.append(
        Sample(
            "zugferd-en16931.pdf",
            f"ZUGFeRD 2 / Factur-X 1.0 PDF, Profil EN 16931 (BT-24 urn:cen.eu:en16931:2017): "
            f"{pdf.seller.name}, eingebettete factur-x.xml",
            "accept",
            None,
            None,
            lambda: to_zugferd_pdf(pdf),
        )
    )
    for variant in all_variants(base):
        found.append(
            Sample(
                f"invalid/{variant.file_name}",
                f"Hauptbeispiel als {variant.syntax.value.upper()} mit Fehler: "
                f"{variant.description_de}",
                variant.recommendation,
                variant.rule,
                variant.severity,
                _constant(variant.data),
            )
        )
    return found


def _constant(data: bytes) -> Callable[[], bytes]:
    return lambda: data


def readme(items: list[Sample]) -> str:
    lines = [
        "# Beispielrechnungen",
        "",
        "Vom Projekt selbst erzeugt (`python -m einvoice.samplegen samples`), byte-genau "
        "reproduzierbar; nicht von Hand ändern. Alle Personen, Firmen, Adressen, IBANs und "
        "USt-IdNrn. sind erfunden (IBAN- und USt-IdNr.-Prüfziffern sind korrekt berechnet). "
        "Leitweg-ID der Stadt: `04011000-1234512345-06`.",
        "",
        "Prüfen: `einvoice validate --format json samples/...`",
        "",
        "| Datei | Was sie zeigt | Erwartetes Ergebnis |",
        "|---|---|---|",
    ]
    lines += [f"| `{s.path}` | {s.description_de} | {s.verdict_de} |" for s in items]
    lines += [
        "",
        "Hinweise: BR-DE-19 (IBAN-Prüfziffer) ist in XRechnung 3.0 eine Soll-Regel (Warnung); "
        "die Rechnung wird deshalb nicht abgelehnt. `SCENARIO` ist die Kennung des Projekts für "
        "eine Spezifikationskennung (BT-24), zu der kein Prüfszenario passt. Die PDF ist in "
        "ihren XMP-Metadaten als PDF/A-3 gekennzeichnet, bettet aber ihre Schrift nicht ein und "
        "hat keinen OutputIntent; eine PDF/A-Prüfung (veraPDF) würde das beanstanden.",
        "",
    ]
    return "\n".join(lines)


def write_samples(folder: Path) -> list[Path]:
    """Write every sample and the README into ``folder``; return the paths written."""
    items = samples()
    written: list[Path] = []
    for item in items:
        target = folder / item.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(item.build())
        written.append(target)
    target = folder / README
    target.write_bytes(readme(items).encode("utf-8"))
    written.append(target)
    return written
