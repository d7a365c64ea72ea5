"""Hypothesis strategies for raw Weberfassung form values (issue 26).

They produce what a browser could send: mostly plausible input (German and
point decimals, ISO and German dates, spare rows, every VAT choice, credit
notes, allowances and charges, Skonto, periods, attachments) and, now and
then, a bad value in any field (empty, malformed, too long, control
characters, wrong check digits, impossible dates, unknown codes), so that
both sides of the form's rules are walked: about half of the examples are
accepted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from einvoice.domain.invoice_entry import UNITS, VAT_CHOICES, EntryAttachment, EntryParty
from tests.invoice_entry_sample import BUYER, BUYER_WITHOUT_VAT_ID, PDF, TODAY

BAD_ONE_IN = 150  # how rare a bad value is in a single field

LEITWEG_IDS = ("05315000-KAEM-62", "991-33333TEST-33", "04011000-1234512345-06")
IBANS = ("DE89 3704 0044 0532 0130 00", "DE02120300000000202051", "AT611904300234573201")
VAT_IDS = ("DE123456788", "DE 136 695 976", "ATU13585627", "FR40303265045", "de811569869")
UNIT_CODES = tuple(code for code, _ in UNITS)
VAT_VALUES = tuple(value for value, _ in VAT_CHOICES)

_SAFE_TEXT = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Cn", "Zl", "Zp")), min_size=1, max_size=40
)
_WORDS = st.sampled_from(
    (
        "Malerarbeiten",
        "Büromaterial",
        "Reinigung Rathaus, 2. OG",
        "Beratung & Planung <Los 3>",
        "Fahrtkosten „Außentermin“",
        "Straßenreinigung Müller-Lüdenscheidt",
        "Ölwechsel",
        "Zuschnitt 2 × 3 m",
    )
)
_BAD_TEXT = st.one_of(
    st.just(""),
    st.just("   "),
    st.text(st.characters(codec="utf-8"), min_size=1, max_size=8),  # control characters
    st.text(min_size=260, max_size=300, alphabet="ab"),
    st.just("Zeile\nUmbruch"),
)


def one_in(n: int) -> Any:
    """True one time in ``n`` (a value in the middle: Hypothesis favours the ends of a range)."""
    return st.integers(0, n - 1).map(lambda k: k == n // 2)


def maybe_bad(good: st.SearchStrategy[str], bad: st.SearchStrategy[str]) -> Any:
    """``good``, and one time in BAD_ONE_IN ``bad``."""
    return one_in(BAD_ONE_IN).flatmap(lambda is_bad: bad if is_bad else good)


def text(good: st.SearchStrategy[str] | None = None) -> Any:
    return maybe_bad(st.one_of(_WORDS, _SAFE_TEXT) if good is None else good, _BAD_TEXT)


def _decimal_text(places: int, low: int, high: int) -> Any:
    """A number as people type it: ``12``, ``12,5``, ``12.50``, ``1.234,56``."""

    def render(cents: int, style: int) -> str:
        whole, frac = divmod(cents, 10**places)
        frac_text = f"{frac:0{places}d}".rstrip("0") if style != 2 else f"{frac:0{places}d}"
        if style == 3 and whole >= 1000:
            grouped = f"{whole:,}".replace(",", ".")
            return grouped + ("," + frac_text if frac_text else ",00")
        # a point before three decimals reads as a thousands group: the form asks (see _BAD_NUMBER)
        separator = "." if style == 1 and len(frac_text) != 3 else ","
        return f"{whole}{separator}{frac_text}" if frac_text else str(whole)

    return st.builds(render, st.integers(low, high), st.integers(0, 3))


_BAD_NUMBER = st.sampled_from(
    ("", "abc", "1,2,3", "1.234", "-5", "0", "1e5", "NaN", "12,345678", "Infinity", "٣")
)


def number(places: int, low: int, high: int) -> Any:
    return maybe_bad(_decimal_text(places, low, high), _BAD_NUMBER)


_BAD_DATE = st.sampled_from(("2025-02-30", "31.02.2025", "gestern", "2025-13-01", "1999-12-31"))


def day(base: date, low: int, high: int) -> Any:
    """A day ``low`` to ``high`` days after ``base``, ISO or (one time in 5) German."""

    def render(offset: int, german: bool) -> str:
        d = base + timedelta(days=offset)
        return d.strftime("%d.%m.%Y") if german else d.isoformat()

    return maybe_bad(st.builds(render, st.integers(low, high), one_in(5)), _BAD_DATE)


def choice(values: tuple[str, ...], bad: tuple[str, ...]) -> Any:
    return maybe_bad(st.sampled_from(values), st.sampled_from(bad))


@st.composite
def line_rows(draw: Any, count: int, spare: int) -> dict[str, str]:
    values: dict[str, str] = {}
    for i in range(1, count + spare + 1):
        p = f"zeile-{i}-"
        if i > count:  # a spare row: only the selects have a value
            values[p + "einheit"] = "H87"
            values[p + "ust"] = "S:19"
            continue
        values[p + "beschreibung"] = draw(text())
        values[p + "menge"] = draw(number(3, 500, 50_000))
        values[p + "einheit"] = draw(choice(UNIT_CODES, ("", "XYZ", "Stück")))
        values[p + "preis"] = draw(number(4, 10_000, 5_000_000))
        values[p + "ust"] = draw(choice(VAT_VALUES, ("", "S:16", "O:0", "S")))
        if draw(one_in(4)):
            values[p + "nachlass"] = draw(number(2, 1, 100))
            values[p + "nachlass_grund"] = draw(text(st.sampled_from(("Rabatt", "Mengenrabatt"))))
    return values


@st.composite
def allowance_rows(draw: Any, kind: str, used: tuple[str, ...]) -> dict[str, str]:
    """Allowances or charges; their VAT mostly one the lines use (an allowance at a rate no
    line has leaves a negative taxable amount, which the form refuses)."""
    values: dict[str, str] = {}
    for i in range(1, draw(st.integers(0, 2)) + 1):
        p = f"{kind}-{i}-"
        values[p + "betrag"] = draw(number(2, 1, 3000))
        values[p + "grund"] = draw(text(st.sampled_from(("Rabatt", "Fracht", "Verpackung"))))
        pool = VAT_VALUES if draw(one_in(6)) or not used else used
        values[p + "ust"] = draw(choice(pool, ("", "X:1")))
    return values


_PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(40))
_JPEG = b"\xff\xd8\xff\xe0" + b"JFIF" + bytes(30)
_CSV = b"Datum;Stunden\n07.03.2025;12,5\n"
GOOD_ATTACHMENTS = (
    EntryAttachment("stundenzettel.pdf", "application/pdf", PDF, "Stundenzettel"),
    EntryAttachment("foto.png", "image/png", _PNG, ""),
    EntryAttachment("Aufmaß Flur.jpg", "image/jpeg", _JPEG, "Aufmaß"),
    EntryAttachment("stunden.csv", "text/csv", _CSV, "Stunden"),
)
BAD_ATTACHMENTS = (
    EntryAttachment("virus.exe", "application/octet-stream", b"MZ", ""),
    EntryAttachment("leer.pdf", "application/pdf", b"", ""),
    EntryAttachment("falsch.pdf", "application/pdf", _PNG, ""),
    EntryAttachment("", "image/png", _PNG, ""),
)


@dataclass(frozen=True)
class FormCase:
    values: dict[str, str]
    buyer: EntryParty
    attachments: tuple[EntryAttachment, ...]


@st.composite
def form_cases(draw: Any) -> FormCase:
    d: dict[str, str] = {}
    d["art"] = draw(choice(("380", "380", "381"), ("", "384", "Rechnung")))
    d["nummer"] = draw(text(st.from_regex(r"[A-Z]{1,3}-20[0-9]{2}-[0-9]{1,5}", fullmatch=True)))
    issue = draw(st.dates(min_value=date(2024, 1, 1), max_value=TODAY))
    d["datum"] = draw(day(issue, 0, 0))
    if not draw(one_in(4)):
        d["faellig"] = draw(day(issue, 0, 60))
    d["leitweg_id"] = draw(choice(LEITWEG_IDS, ("", "05315000-KAEM-63", "0531-KAEM", "99-ABC-1")))
    if draw(one_in(4)):
        d["bestellnummer"] = draw(text())
    if d["art"] == "381" or draw(one_in(6)):
        if not draw(one_in(20)):
            d["vorherige_nummer"] = draw(text(st.sampled_from(("R-2024-7", "4711"))))
        if draw(st.booleans()):
            d["vorherige_datum"] = draw(day(issue, -90, 0))
    delivery = draw(st.sampled_from(("date", "period", "both", "date", "period") * 3 + ("none",)))
    if delivery in ("date", "both"):
        d["lieferdatum"] = draw(day(issue, -30, 0))
    if delivery in ("period", "both"):
        start = draw(st.integers(-60, 0))
        d["zeitraum_von"] = draw(day(issue, start, start))
        d["zeitraum_bis"] = draw(day(issue, start, 0))
    if draw(one_in(3)):
        d["hinweis"] = draw(
            maybe_bad(
                st.sampled_from(("Danke!", "Zeile 1\nZeile 2")), _BAD_TEXT | st.just("#AAI#x")
            )
        )
    if draw(st.booleans()):
        d["zahlungsbedingungen"] = draw(
            maybe_bad(
                st.sampled_from(("Zahlbar in 30 Tagen.", "Netto 30 Tage\nohne Abzug")),
                st.just("Skonto #SKONTO#TAGE=3#"),
            )
        )
    if draw(st.booleans()):
        d["skonto_tage"] = draw(choice(("7", "10", "14", "30"), ("0", "abc", "400", "")))
        d["skonto_prozent"] = draw(choice(("2", "2,00", "3,5", "1.5"), ("100", "2,555", "-1")))
    d.update(_seller(draw))
    d.update(draw(line_rows(draw(st.integers(1, 4)), draw(st.integers(0, 1)))))
    used = tuple(sorted({v for k, v in d.items() if k.endswith("-ust") and v in VAT_VALUES}))
    d.update(draw(allowance_rows("abzug", used)))
    d.update(draw(allowance_rows("zuschlag", used)))
    if any(v == "E:0" for k, v in d.items() if k.endswith("-ust")) or draw(st.booleans()):
        d["befreiung"] = draw(
            maybe_bad(
                st.just("Kein Ausweis von Umsatzsteuer, da Kleinunternehmer (§ 19 UStG)"),
                st.just(""),
            )
        )
    buyer = BUYER_WITHOUT_VAT_ID if draw(one_in(10)) else BUYER
    attachments = draw(
        st.lists(
            maybe_bad(st.sampled_from(GOOD_ATTACHMENTS), st.sampled_from(BAD_ATTACHMENTS)),
            max_size=2,
            unique_by=lambda a: a.filename,
        )
    )
    return FormCase(d, buyer, tuple(attachments))


def _seller(draw: Any) -> dict[str, str]:
    d = {
        "verkaeufer_name": draw(
            text(st.sampled_from(("Malerbetrieb Schmidt", "Büro Öztürk & Co. KG")))
        ),
        "verkaeufer_strasse": draw(text(st.sampled_from(("Hauptstraße 5", "Am Markt 1a")))),
        "verkaeufer_plz": draw(choice(("50667", "01067"), ("", "5066", "ABCDE"))),
        "verkaeufer_ort": draw(text(st.sampled_from(("Köln", "Dresden")))),
        "verkaeufer_land": draw(choice(("DE", "", "de"), ("XX", "Deutschland"))),
        "verkaeufer_email": draw(
            choice(
                ("rechnung@schmidt.example", "info@maler.example.de"),
                ("", "kein-at", "a@b", "büro@öztürk.example"),
            )
        ),
        "kontakt_name": draw(text(st.sampled_from(("Anna Schmidt", "Herr Öztürk")))),
        "kontakt_telefon": draw(choice(("0221 12345", "+49 351 987654"), ("", "12", "keine"))),
        "kontakt_email": draw(choice(("anna@schmidt.example",), ("", "anna@", "@x.de"))),
        "iban": draw(choice(IBANS, ("", "DE89370400440532013001", "DE00", "IBAN"))),
    }
    if not draw(one_in(10)):
        d["verkaeufer_ustid"] = draw(choice(VAT_IDS, ("DE123456789", "XX123", "DE12")))
    if draw(st.booleans()):
        d["verkaeufer_steuernummer"] = draw(choice(("21/815/08150", "2181508150"), ("abc",)))
    if draw(one_in(3)):
        d["verkaeufer_kennung"] = draw(text(st.sampled_from(("K-70001", "70001"))))
    if draw(one_in(5)):
        d["verkaeufer_register"] = draw(text(st.sampled_from(("HRB 12345", "HRA 99"))))
    if draw(st.booleans()):
        d["kontoinhaber"] = draw(text())
    if draw(one_in(3)):
        d["bic"] = draw(choice(("COBADEFFXXX", "GENODEF1S04"), ("XYZ",)))
    return d
