"""Low-level errors (operating system, network, drivers) said in German for operators.

Drivers and the standard library speak English ("Error 111 connecting to ...
Connection refused.", "[Errno 1] Operation not permitted"). :func:`reason_de`
finds the cause behind an exception (its chain, a driver's ``orig``) and says it
in German, with the address or path it concerns; an error it does not know keeps
its own text behind a German lead-in, so nothing is lost.
"""

from __future__ import annotations

import errno
import re
import socket

_ERRNO_DE: dict[int, str] = {
    errno.ECONNREFUSED: "Verbindung abgelehnt (läuft der Dienst, stimmen Rechner und Port?)",
    errno.ETIMEDOUT: "keine Antwort (Zeitüberschreitung)",
    errno.EHOSTUNREACH: "Rechner nicht erreichbar",
    errno.ENETUNREACH: "Netz nicht erreichbar",
    errno.ECONNRESET: "Verbindung von der Gegenseite abgebrochen",
    errno.EPERM: "keine Berechtigung (Vorgang nicht erlaubt)",
    errno.EACCES: "keine Schreib- oder Leseberechtigung",
    errno.EROFS: "nur lesbar eingehängt",
    errno.ENOSPC: "Speicher voll",
    errno.EDQUOT: "Speicherkontingent erschöpft",
    errno.ENOENT: "nicht vorhanden",
    errno.ENOTDIR: "ein Teil des Pfades ist kein Ordner",
    errno.EISDIR: "ist ein Ordner",
    errno.EEXIST: "gibt es schon",
    errno.EADDRINUSE: "Port schon belegt",
}

#: Texts of drivers that carry no errno (psycopg, redis, smtplib), first match wins.
_TEXTS_DE: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), text)
    for pattern, text in (
        (r"connection refused", _ERRNO_DE[errno.ECONNREFUSED]),
        (r"timed? ?out", _ERRNO_DE[errno.ETIMEDOUT]),
        (
            r"password authentication failed|authentication failed|auth.*(fail|denied)|"
            r"invalid password|WRONGPASS",
            "Anmeldung abgelehnt (Benutzer oder Passwort falsch)",
        ),
        (
            r"could not translate host name|name or service not known|"
            r"nodename nor servname|getaddrinfo failed|temporary failure in name resolution",
            "Rechnername unbekannt",
        ),
        (r'database ".*" does not exist', "die Datenbank gibt es auf dem Server nicht"),
        (r'role ".*" does not exist', "den Benutzer gibt es auf dem Datenbankserver nicht"),
        (r"permission denied", _ERRNO_DE[errno.EACCES]),
        (r"operation not permitted", _ERRNO_DE[errno.EPERM]),
        (r"no space left", _ERRNO_DE[errno.ENOSPC]),
        (r"read-only file system", _ERRNO_DE[errno.EROFS]),
        (
            r"certificate verify failed|CERTIFICATE_VERIFY_FAILED",
            "TLS-Zertifikat nicht vertrauenswürdig (CA-Datei angeben?)",
        ),
        (
            r"connection (reset|closed|aborted)|server closed the connection",
            _ERRNO_DE[errno.ECONNRESET],
        ),
    )
)


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and what is behind it (``__cause__``, ``__context__``, ``orig``)."""
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo and len(seen) < 10:
        current = todo.pop(0)
        if current is None or any(current is s for s in seen):
            continue
        seen.append(current)
        todo += [current.__cause__, current.__context__, getattr(current, "orig", None)]
    return seen


def reason_de(exc: BaseException) -> str:
    """Why it failed, in German (``Verbindung abgelehnt ...``, ``keine Berechtigung ...``)."""
    causes = _causes(exc)
    for cause in causes:
        if isinstance(cause, socket.gaierror):
            return "Rechnername unbekannt"
        if isinstance(cause, TimeoutError | socket.timeout):
            return _ERRNO_DE[errno.ETIMEDOUT]
        if isinstance(cause, OSError) and cause.errno in _ERRNO_DE:
            text = _ERRNO_DE[cause.errno]
            where = cause.filename
            return f"{text}: {where}" if where else text
    for cause in causes:
        message = str(cause)
        for pattern, text in _TEXTS_DE:
            if pattern.search(message):
                return text
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return f"unerwarteter Fehler ({type(exc).__name__}: {first})"
