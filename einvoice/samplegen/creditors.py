"""Creditor master data for demos, tests and benchmarks (the sample suppliers, a big file).

:func:`sample_creditors`: the suppliers of ``spec.example`` invoices as
creditors, with their bank accounts (verified by the caller's choice);
:func:`creditor_file`: a finance system's creditor CSV of ``count`` creditors
(deterministic), the sample suppliers first.
"""

from __future__ import annotations

import csv
import io
import random

from einvoice.samplegen.spec import german_vat_id, iban, sample_suppliers
from einvoice.services.creditor_import import COLUMNS
from einvoice.services.creditor_records import AccountInput, CreditorInput


def sample_creditors() -> tuple[CreditorInput, ...]:
    """The sample suppliers as creditors K-70001, K-70002, ... (e-mail domains recorded)."""
    found: list[CreditorInput] = []
    for index, (party, account, bic) in enumerate(sample_suppliers(), 1):
        domain = party.electronic_address.rpartition("@")[2]
        found.append(
            CreditorInput(
                number=f"K-{70000 + index}",
                name=party.name,
                street=party.address.street,
                post_code=party.address.postcode,
                city=party.address.city,
                country=party.address.country,
                vat_ids=(party.vat_id,) if party.vat_id else (),
                registration=party.registration,
                emails=(domain,),
                accounts=(AccountInput(account, bic, party.name),),
            )
        )
    return tuple(found)


_STREETS = ("Hauptstraße", "Bahnhofstraße", "Gartenweg", "Industriestraße", "Marktplatz", "Am Ring")
_CITIES = (("28195", "Bremen"), ("24103", "Kiel"), ("20095", "Hamburg"), ("30159", "Hannover"))
_KINDS = ("Bau", "Reinigung", "Büro", "IT", "Garten", "Druck", "Elektro", "Sanitär", "Catering")
_FORMS = ("GmbH", "GmbH & Co. KG", "e.K.", "AG", "UG (haftungsbeschränkt)")


def _row(creditor: CreditorInput) -> dict[str, str]:
    account = creditor.accounts[0] if creditor.accounts else None
    return {
        "kreditorennummer": creditor.number,
        "name": creditor.name,
        "strasse": creditor.street or "",
        "plz": creditor.post_code or "",
        "ort": creditor.city or "",
        "land": creditor.country or "",
        "ust_idnr": ",".join(creditor.vat_ids),
        "steuernummer": creditor.tax_number or "",
        "registernummer": creditor.registration or "",
        "gln": ",".join(creditor.seller_ids),
        "email": ",".join(creditor.emails),
        "iban": account.iban if account else "",
        "bic": account.bic or "" if account else "",
        "kontoinhaber": account.holder or "" if account else "",
    }


def synthetic_creditor(index: int, rng: random.Random) -> CreditorInput:
    post_code, city = _CITIES[rng.randrange(len(_CITIES))]
    name = f"{_KINDS[index % len(_KINDS)]} {index:05d} {_FORMS[index % len(_FORMS)]}"
    return CreditorInput(
        number=f"K-{10000 + index}",
        name=name,
        street=f"{_STREETS[index % len(_STREETS)]} {1 + index % 120}",
        post_code=post_code,
        city=city,
        country="DE",
        vat_ids=(german_vat_id(f"{30000000 + index:08d}"),),
        tax_number=f"{20 + index % 70}/{index % 1000:03d}/{index:05d}" if index % 3 == 0 else None,
        registration=f"HRB {40000 + index}" if index % 2 == 0 else None,
        seller_ids=(f"40{index:011d}",) if index % 5 == 0 else (),
        emails=(f"k{index}.example.org",) if index % 4 == 0 else (),
        accounts=(AccountInput(iban("DE", f"{20050000 + index % 9000:08d}{index:010d}")),),
    )


def creditor_file(
    count: int, seed: int = 0, extra: tuple[CreditorInput, ...] | None = None
) -> bytes:
    """A creditor CSV of ``count`` creditors: ``extra`` (default: the sample suppliers) first."""
    rng = random.Random(seed)
    creditors = list(sample_creditors() if extra is None else extra)
    index = 1
    while len(creditors) < count:
        creditors.append(synthetic_creditor(index, rng))
        index += 1
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    for creditor in creditors[:count]:
        writer.writerow(_row(creditor))
    return out.getvalue().encode("utf-8")
