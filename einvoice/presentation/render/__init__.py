"""Invoices for people: a German HTML rendering and a PDF printed from it.

``render_html(invoice)`` is what the web app shows (``embed=True`` for a
fragment inside its own page, ``invoice_css()`` for its stylesheet when inline
styles are not allowed); ``render_pdf(invoice)`` prints that page with the
system's headless Chromium.
"""

from __future__ import annotations

from einvoice.presentation.render.html import invoice_css, render_html
from einvoice.presentation.render.pdf import ChromiumNotFoundError, RenderError, render_pdf

__all__ = [
    "ChromiumNotFoundError",
    "RenderError",
    "invoice_css",
    "render_html",
    "render_pdf",
]
