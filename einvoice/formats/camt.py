"""ISO 20022 bank-to-customer messages -> payment entries: camt.053 and camt.054.

* **camt.053** (Kontoauszug, ``BkToCstmrStmt/Stmt``) and **camt.054**
  (Soll-/Haben-Avis, ``BkToCstmrDbtCdtNtfctn/Ntfctn``), every message version
  (``camt.053.001.02`` as German banks send under the DK rules up to
  ``.001.13``): elements are found by local name, so the versions' differing
  namespaces and the moved party names (``Cdtr/Nm`` in .02, ``Cdtr/Pty/Nm``
  from .08) are both read.
* Parsed with :mod:`einvoice.formats.safexml` (no DTD, no entities, no
  network) and a size limit. No official camt schema ships with any installed
  package and nothing is fetched, so the structure is checked here: root,
  account, amounts, dates and the control sums the message carries.
* Only **booked** entries count (``Sts`` BOOK). Debits (``DBIT``) are payments
  out; a credit that reverses a debit (``RvslInd`` true) is a payment that came
  back; other credits are no payments of the city and are left aside.
* One entry with several transactions (a batch) gives one payment per
  transaction (``NtryDtls/TxDtls``); their amounts must add up to the entry's.
* Refused with file, line and element: another account than the city's,
  amounts or dates that are not, control sums that do not add up.

The entry's key (for importing the same payment twice: once from the camt.054
of the day, once from the statement) is the bank's reference of the
transaction (``TxDtls/Refs/AcctSvcrRef``), else the entry's (``AcctSvcrRef``,
with the transaction's position), else the end-to-end reference with date and
amount.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from lxml import etree

from einvoice.domain.creditors import normal_iban
from einvoice.domain.payment_matching import PaymentEntry
from einvoice.formats import safexml
from einvoice.formats.payment_files import (
    MAX_BYTES,
    MAX_ENTRIES,
    FileProblem,
    PaymentFileError,
)

_NS = re.compile(r"^urn:iso:std:iso:20022:tech:xsd:(camt\.05[34])\.001\.\d{2}$")
_AMOUNT = re.compile(r"\d{1,13}(\.\d{1,5})?")
_KINDS = {"camt.053": ("BkToCstmrStmt", "Stmt"), "camt.054": ("BkToCstmrDbtCdtNtfctn", "Ntfctn")}


@dataclass(frozen=True, slots=True)
class CamtFile:
    kind: str  # camt.053 or camt.054
    accounts: tuple[str, ...]  # the IBANs of its statements / notifications
    entries: tuple[PaymentEntry, ...]
    left_aside: int  # booked credits, pending entries: no payments of the city


def is_camt(data: bytes) -> bool:
    """Does ``data`` look like a camt message (cheap check of the first bytes)?"""
    head = data[:2048]
    return b"<" in head and b"urn:iso:std:iso:20022:tech:xsd:camt.05" in head


def _local(element: etree._Element) -> str:
    return str(etree.QName(element).localname)


@lru_cache(maxsize=512)
def _steps(namespace: str, path: str) -> tuple[str, ...]:
    return tuple(f"{{{namespace}}}{p}" if namespace else p for p in path.split("/"))


@lru_cache(maxsize=512)
def _string_at(namespace: str, path: str) -> etree.XPath:
    """``string(c:A/c:B)``: the text of the first element at ``path`` ('' when there is none)."""
    steps = "/".join(f"c:{p}" for p in path.split("/"))
    return etree.XPath(f"string({steps})", namespaces={"c": namespace} if namespace else None)


@lru_cache(maxsize=256)
def _path(path: str) -> str:
    """``Acct/Id/IBAN`` in any namespace (the camt versions differ in theirs)."""
    return "/".join(f"{{*}}{p}" for p in path.split("/"))


def _find(element: etree._Element, path: str) -> etree._Element | None:
    return element.find(_path(path))


def _text(element: etree._Element, path: str) -> str:
    return (element.findtext(_path(path)) or "").strip()


def _all(element: etree._Element, path: str) -> list[etree._Element]:
    return list(element.iterfind(_path(path)))


class _Reader:
    def __init__(self, filename: str, accounts: frozenset[str]) -> None:
        self.filename = filename
        self.accounts = accounts
        self.problems: list[FileProblem] = []
        self.entries: list[PaymentEntry] = []
        self.left_aside = 0
        self.namespace = ""  # the message's namespace (set by read_camt)

    def _steps(self, path: str) -> tuple[str, ...]:
        return _steps(self.namespace, path)

    def find(self, element: etree._Element, path: str) -> etree._Element | None:
        """The first element at ``path`` below ``element`` (lxml's C child iteration per
        step: a camt.054 of 10,000 bookings asks each booking a dozen questions)."""
        node = element
        for step in self._steps(path):
            found = next(node.iterchildren(step), None)
            if found is None:
                return None
            node = found
        return node

    def text(self, element: etree._Element, path: str) -> str:
        if "/" in path:  # one compiled XPath costs what one step of find costs
            return str(_string_at(self.namespace, path)(element)).strip()
        hit = self.find(element, path)
        return (hit.text or "").strip() if hit is not None else ""

    def all(self, element: etree._Element, path: str) -> list[etree._Element]:
        nodes = [element]
        for step in self._steps(path):
            nodes = [child for node in nodes for child in node.iterchildren(step)]
        return nodes

    def problem(self, element: etree._Element | None, where: str, message: str) -> None:
        line = element.sourceline if element is not None and element.sourceline else 0
        self.problems.append(FileProblem(line, where, message))

    def amount(self, element: etree._Element | None, where: str) -> Decimal | None:
        if element is None:
            return None
        text = (element.text or "").strip()
        if not _AMOUNT.fullmatch(text):
            self.problem(element, where, f"„{text}“ ist kein Betrag (erwartet z. B. 1234.56).")
            return None
        try:
            return Decimal(text)
        except InvalidOperation:  # pragma: no cover - the pattern only lets decimals through
            self.problem(element, where, f"„{text}“ ist kein Betrag.")
            return None

    def day(self, parent: etree._Element, where: str) -> date | None:
        holder = self.find(parent, where)
        text = self.text(parent, f"{where}/Dt") or self.text(parent, f"{where}/DtTm")[:10]
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.problem(
                holder if holder is not None else parent,
                f"{where}/Dt",
                (f"„{text}“ ist kein Datum (erwartet JJJJ-MM-TT)." if text else "Datum fehlt."),
            )
            return None

    def report(self, report: etree._Element, container: str) -> str | None:
        iban_element = _find(report, "Acct/Id/IBAN")
        iban = normal_iban(iban_element.text if iban_element is not None else "")
        if not iban:
            self.problem(report, f"{container}/Acct/Id/IBAN", "Kontonummer (IBAN) fehlt.")
            return None
        if iban not in self.accounts:
            self.problem(
                iban_element,
                f"{container}/Acct/Id/IBAN",
                f"Die Datei gehört zum Konto {iban}, das keines der Konten der Stadt ist "
                f"({', '.join(sorted(self.accounts)) or 'keine eingestellt: [konten] iban'}).",
            )
            return None
        entries = _all(report, "Ntry")
        debits = Decimal(0)
        for position, entry in enumerate(entries, start=1):
            debits += self.entry(entry, iban, position)
            if len(self.entries) > MAX_ENTRIES:
                self.problem(entry, "Ntry", f"mehr als {MAX_ENTRIES} Zahlungen")
                return iban
        self.control_sums(report, container, entries, debits)
        return iban

    def control_sums(
        self, report: etree._Element, container: str, entries: list[etree._Element], debits: Decimal
    ) -> None:
        count = _find(report, "TxsSummry/TtlNtries/NbOfNtries")
        if count is not None and (count.text or "").strip() != str(len(entries)):
            self.problem(
                count,
                f"{container}/TxsSummry/TtlNtries/NbOfNtries",
                f"Die Datei nennt {(count.text or '').strip()} Buchungen, enthält aber "
                f"{len(entries)}.",
            )
        total = _find(report, "TxsSummry/TtlDbtNtries/Sum")
        stated = self.amount(total, f"{container}/TxsSummry/TtlDbtNtries/Sum")
        if stated is not None and stated != debits:
            self.problem(
                total,
                f"{container}/TxsSummry/TtlDbtNtries/Sum",
                f"Die Summe der Belastungen ist mit {stated} angegeben, die Buchungen ergeben "
                f"{debits}: die Beträge passen nicht zusammen.",
            )

    def entry(self, entry: etree._Element, account: str, position: int) -> Decimal:
        """Read one Ntry; returns its amount when it is a booked debit (for the control sum)."""
        status = self.text(entry, "Sts/Cd") or self.text(entry, "Sts")
        amount_element = self.find(entry, "Amt")
        amount = self.amount(amount_element, "Ntry/Amt")
        if amount_element is None:
            self.problem(entry, "Ntry/Amt", "Betrag fehlt.")
        indicator = self.text(entry, "CdtDbtInd")
        if indicator not in ("DBIT", "CRDT"):
            self.problem(entry, "Ntry/CdtDbtInd", f"„{indicator}“: erwartet DBIT oder CRDT.")
            return Decimal(0)
        debit_total = amount if indicator == "DBIT" and amount is not None else Decimal(0)
        reversal = self.text(entry, "RvslInd").lower() == "true"
        if status != "BOOK" or (indicator == "CRDT" and not reversal):
            self.left_aside += 1
            return debit_total
        if indicator == "DBIT" and reversal:
            self.left_aside += 1  # a returned credit: no payment of the city
            return debit_total
        booked = self.day(entry, "BookgDt")
        currency = amount_element.get("Ccy", "") if amount_element is not None else ""
        if amount is None or booked is None:
            return debit_total
        transactions = self.all(entry, "NtryDtls/TxDtls") or [None]
        amounts = [self.transaction_amount(tx, amount, len(transactions)) for tx in transactions]
        known = [a for a in amounts if a is not None]
        if len(transactions) > 1 and len(known) == len(amounts) and sum(known) != amount:
            self.problem(
                amount_element,
                "Ntry/Amt",
                f"Die Buchung über {amount} besteht aus Einzelzahlungen über zusammen "
                f"{sum(known)}: die Beträge passen nicht zusammen.",
            )
            return debit_total
        batch = self.find(entry, "NtryDtls/Btch/TtlAmt")
        batch_total = self.amount(batch, "Ntry/NtryDtls/Btch/TtlAmt")
        if batch_total is not None and batch_total != amount:
            self.problem(
                batch,
                "Ntry/NtryDtls/Btch/TtlAmt",
                f"Sammelbetrag {batch_total} passt nicht zum Buchungsbetrag {amount}.",
            )
        for index, (tx, tx_amount) in enumerate(zip(transactions, amounts, strict=True), 1):
            if tx_amount is None:
                continue
            self.entries.append(
                self.payment(
                    entry,
                    tx,
                    account,
                    position,
                    index,
                    tx_amount,
                    currency,
                    booked,
                    returned=indicator == "CRDT",
                )
            )
        return debit_total

    def transaction_amount(
        self, tx: etree._Element | None, entry_amount: Decimal, count: int
    ) -> Decimal | None:
        if tx is None:
            return entry_amount
        element = self.find(tx, "Amt")
        if element is None:
            element = self.find(tx, "AmtDtls/TxAmt/Amt")
        if element is None:
            if count == 1:
                return entry_amount
            self.problem(tx, "TxDtls/Amt", "Betrag der Einzelzahlung fehlt (Sammelbuchung).")
            return None
        return self.amount(element, "TxDtls/Amt")

    def payment(
        self,
        entry: etree._Element,
        tx: etree._Element | None,
        account: str,
        position: int,
        index: int,
        amount: Decimal,
        currency: str,
        booked: date,
        *,
        returned: bool,
    ) -> PaymentEntry:
        source = tx if tx is not None else entry
        parts = [self.text(source, "RmtInf/Strd/CdtrRefInf/Ref")]
        parts += [(u.text or "").strip() for u in self.all(source, "RmtInf/Ustrd")]
        parts += [(u.text or "").strip() for u in self.all(source, "RmtInf/Strd/AddtlRmtInf")]
        remittance = " ".join(p for p in parts if p)
        if not remittance:
            remittance = self.text(entry, "AddtlNtryInf")
        party = "Dbtr" if returned else "Cdtr"  # a returned payment comes from the payee
        name = (
            self.text(source, f"RltdPties/{party}/Pty/Nm")
            or self.text(source, f"RltdPties/{party}/Nm")
            or None
        )
        iban = normal_iban(self.text(source, f"RltdPties/{party}Acct/Id/IBAN")) or None
        tx_ref = self.text(tx, "Refs/AcctSvcrRef") if tx is not None else ""
        entry_ref = self.text(entry, "AcctSvcrRef")
        end_to_end = self.text(tx, "Refs/EndToEndId") if tx is not None else ""
        if tx_ref:
            key = f"camt:{account}:{tx_ref}"
        elif entry_ref:
            key = f"camt:{account}:{entry_ref}/{index}"
        else:
            basis = end_to_end if end_to_end and end_to_end != "NOTPROVIDED" else remittance
            digest = hashlib.sha256(
                f"{basis}|{amount}|{booked}|{iban}|{position}/{index}".encode()
            ).hexdigest()[:32]
            key = f"camt:{account}:#{digest}"
        return PaymentEntry(
            key=key,
            line=source.sourceline or 0,
            booked_on=booked,
            amount=amount,
            currency=currency or "EUR",
            remittance=remittance,
            order_text=f"{remittance} {end_to_end}".strip(),
            order_column="RmtInf/Ustrd",
            creditor_iban=iban,
            creditor_name=name,
            returned=returned,
            end_to_end=end_to_end[:64] if end_to_end and end_to_end != "NOTPROVIDED" else None,
        )


def read_camt(data: bytes, filename: str, accounts: frozenset[str]) -> CamtFile:
    """The payments of a camt.053 / camt.054 file of one of ``accounts``, or PaymentFileError."""
    if len(data) > MAX_BYTES:
        raise PaymentFileError(
            filename, [FileProblem(0, "", f"größer als {MAX_BYTES // (1024 * 1024)} MB")]
        )
    parsed = safexml.parse(data)
    if parsed.root is None:
        raise PaymentFileError(
            filename, [FileProblem(0, "", f.message_de) for f in parsed.findings]
        )
    root = parsed.root
    namespace = etree.QName(root).namespace or ""
    found = _NS.match(namespace)
    if _local(root) != "Document" or found is None:
        raise PaymentFileError(
            filename,
            [
                FileProblem(
                    root.sourceline or 1,
                    _local(root),
                    "keine camt.053- oder camt.054-Nachricht (Wurzel Document im Namensraum "
                    f"urn:iso:std:iso:20022:tech:xsd:camt.053/054…, gefunden: {namespace or '–'}).",
                )
            ],
        )
    kind = found.group(1)
    message, container = _KINDS[kind]
    body = _find(root, message)
    if body is None:
        raise PaymentFileError(
            filename, [FileProblem(root.sourceline or 1, message, f"{message} fehlt ({kind}).")]
        )
    reader = _Reader(filename, accounts)
    reader.namespace = namespace
    reports = _all(body, container)
    if not reports:
        reader.problem(body, container, f"keine Kontoinformation ({container}) in der Datei.")
    ibans = [reader.report(r, container) for r in reports]
    if reader.problems:
        raise PaymentFileError(filename, reader.problems)
    return CamtFile(
        kind,
        tuple(dict.fromkeys(i for i in ibans if i)),
        tuple(reader.entries),
        reader.left_aside,
    )
