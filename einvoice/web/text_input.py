"""Control characters in text input: refused in one place for every page and the API.

A NUL byte in a search (``/eingang?q=%00``) or a login name made PostgreSQL fail
("string literal cannot contain NUL characters") and the user got a 500; other control
characters (bell, escape, ...) never belong in a name, a comment or a search either.
The app-wide dependency :func:`refuse_control_characters` looks at everything a client
can type - the address (path and query), form fields (and uploaded files' names) and
JSON bodies - before any route runs, and answers a German 400 naming the field.
Tab, line feed and carriage return stay allowed (multi-line comments); file *contents*
are not text input and are not looked at.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from fastapi import HTTPException, Request
from starlette.datastructures import UploadFile

from einvoice.services.invoice_entry import MAX_FORM_FIELDS as ENTRY_FORM_FIELDS

#: C0 controls except tab, line feed, carriage return; DEL; C1 controls.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
MAX_JSON_DEPTH = 64
#: The most fields one form post may have (Starlette's default is 1000): the largest form
#: is the Weberfassung's, every row of it posted by each of its buttons. The form is parsed
#: here first and cached, so this is the limit of every route.
MAX_FORM_FIELDS = max(1000, ENTRY_FORM_FIELDS)

#: What people call the fields they can meet (the rest are named by their own name).
_NAMES_DE = {
    "q": "Suche",
    "username": "Benutzername",
    "password": "Passwort",
    "email": "E-Mail-Adresse",
    "comment": "Kommentar",
    "reason": "Begründung",
    "display_name": "Name",
    "organisation": "Firma",
}


def has_control(text: str) -> bool:
    return CONTROL.search(text) is not None


def refusal(field: str) -> HTTPException:
    name = _NAMES_DE.get(field, field[:40])
    where = f"im Feld „{name}“" if name else "in der Adresse"
    return HTTPException(
        400,
        f"Die Eingabe enthält ein unzulässiges Steuerzeichen (z. B. ein Nullbyte) {where}. "
        "Bitte geben Sie nur normalen Text ein und senden Sie erneut.",
    )


def _strings(value: Any, key: str = "", depth: int = 0) -> Iterator[tuple[str, str]]:
    """(field, text) of every string in a JSON value, keys included."""
    if depth > MAX_JSON_DEPTH:
        return
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k), str(k)
            yield from _strings(v, str(k), depth + 1)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, key, depth + 1)


async def refuse_control_characters(request: Request) -> None:
    """The app-wide dependency: a German 400 for a control character in any text input."""
    if has_control(request.url.path):
        raise refusal("")
    for key, value in request.query_params.multi_items():
        if has_control(key) or has_control(value):
            raise refusal(key if not has_control(key) else "")
    if request.method in ("GET", "HEAD", "OPTIONS", "DELETE"):
        return
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.form(max_fields=MAX_FORM_FIELDS)  # cached for the route
        for key, item in form.multi_items():
            text = (item.filename or "") if isinstance(item, UploadFile) else str(item)
            if has_control(key) or has_control(text):
                raise refusal(key if not has_control(key) else "")
    elif kind == "application/json" or kind.endswith("+json"):
        try:
            body = await request.json()  # cached as well
        except (ValueError, UnicodeDecodeError):
            return  # not JSON: the route's own validation answers
        for key, text in _strings(body):
            if has_control(text):
                raise refusal(key if not has_control(key) else "")
