"""The invoice as a German HTML page (or a fragment for the web app's own page).

Every template is rendered with autoescaping on: whatever the invoice's own
text contains (``<script>``, tags, quotes) is shown as text, never as markup.
The page loads nothing from outside: inline CSS, no scripts, no images, no
fonts from the web, and a Content-Security-Policy that forbids all of it.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from jinja2 import Environment

from einvoice.domain.invoice import Invoice
from einvoice.domain.terms import TERMS
from einvoice.presentation.jinja import new_environment
from einvoice.presentation.render import codes, german, view

PAGE_TEMPLATE = "invoice.html"
FRAGMENT_TEMPLATE = "invoice_body.html"
CSS_TEMPLATE = "invoice_css.html"


@cache
def environment() -> Environment:
    """The Jinja environment for invoice templates (autoescape always on)."""
    env = new_environment(keep_trailing_newline=True)
    env.filters.update(
        number=german.number,
        amount=german.amount,
        percent=german.percent,
        date=german.german_date,
        iban=german.iban,
        filesize=german.file_size,
    )
    env.globals.update(
        term_name=_term_name,
        vat_category=lambda code: codes.name_of(codes.VAT_CATEGORIES, code),
        payment_means=lambda code: codes.name_of(codes.PAYMENT_MEANS, code),
        unit_name=lambda code: codes.name_of(codes.UNITS, code),
        note_subject=lambda code: codes.name_of(codes.NOTE_SUBJECTS, code),
        country=lambda code: codes.name_of(codes.COUNTRIES, code),
        line_status=lambda code: view.LINE_STATUS.get((code or "").strip().upper(), code or ""),
        syntax_name=lambda value: SYNTAX_NAMES.get(value, value),
    )
    return env


#: The syntaxes as people name them (the footer said "Syntax ubl-invoice").
SYNTAX_NAMES = {
    "ubl-invoice": "UBL-Rechnung (XML)",
    "ubl-creditnote": "UBL-Gutschrift (XML)",
    "cii": "UN/CEFACT CII (XML)",
    "unknown": "unbekannt",
}


def _term_name(term_id: str) -> str:
    """The German name of a business term for a tooltip (``""`` when unknown)."""
    term = TERMS.get(term_id)
    return f"{term.id} {term.name_de}" if term is not None else term_id


def render_html(
    invoice: Invoice,
    *,
    title: str | None = None,
    embed: bool = False,
    inline_css: bool = True,
    today: date | None = None,
    deadline_shift: view.DeadlineShift = view.unshifted,
) -> str:
    """The invoice as a complete standalone page; ``embed=True``: a fragment (no html/head).

    ``today``: the day the page is looked at (the web app's invoice page): a Skonto whose
    deadline has passed is then shown as expired, not as possible. Without it (a printed or
    archived rendering) the Skonto is shown as offered, with its deadline.

    ``deadline_shift``: where a payment or Skonto deadline really ends (moved past a weekend
    or holiday of the city's Land, § 193 BGB) and why; the page then shows that day with
    its reason, the same day as everywhere else in the application.

    The fragment is one ``<article class="einvoice-render">`` with its own ``<style>``
    scoped to that class. A page whose Content-Security-Policy forbids inline styles
    passes ``inline_css=False`` and links :func:`invoice_css` as a stylesheet instead.
    """
    template = environment().get_template(FRAGMENT_TEMPLATE if embed else PAGE_TEMPLATE)
    context = _context(invoice, title, embed=embed, inline_css=inline_css)
    context["skonto_state"] = view.skonto_state(context["skonto"], today, deadline_shift)
    context["ends_on"] = lambda day: deadline_shift(day)[0]
    context["moved_why"] = lambda day: deadline_shift(day)[1] or ""
    return template.render(context)


def invoice_css() -> str:
    """The rendering's CSS (scoped to ``.einvoice-render``) for serving as a stylesheet."""
    return environment().get_template(CSS_TEMPLATE).render().strip() + "\n"


def _context(
    invoice: Invoice, title: str | None, *, embed: bool, inline_css: bool
) -> dict[str, Any]:
    currency = invoice.currency_code

    def money(value: Any) -> str:
        return german.money(value, currency)

    return {
        "inv": invoice,
        "embed": embed,
        "inline_css": inline_css,
        "title": title if title is not None else view.default_title(invoice),
        "kind": codes.document_kind(invoice.type_code, invoice.is_credit_note),
        "money": money,
        "rows": view.line_rows(invoice),
        "terms_text": view.payment_terms_text(invoice.payment_terms),
        "skonto": invoice.skonto_offers(),
        "attachments": view.attachment_rows(invoice),
    }
