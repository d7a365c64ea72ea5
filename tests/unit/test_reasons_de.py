"""Low-level errors in German (einvoice.reasons_de)."""

from __future__ import annotations

import errno
import socket

from einvoice.reasons_de import reason_de


def test_os_errors_by_number_with_their_path() -> None:
    denied = PermissionError(errno.EPERM, "Operation not permitted", "/daten")
    assert reason_de(denied) == "keine Berechtigung (Vorgang nicht erlaubt): /daten"
    assert reason_de(OSError(errno.ENOSPC, "No space left on device")) == "Speicher voll"
    assert reason_de(ConnectionRefusedError(errno.ECONNREFUSED, "x")).startswith(
        "Verbindung abgelehnt"
    )
    assert reason_de(socket.gaierror(-2, "Name or service not known")) == "Rechnername unbekannt"


def test_a_drivers_text_and_its_cause() -> None:
    class DriverError(Exception):
        pass

    try:
        try:
            raise ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused")
        except OSError as inner:
            raise DriverError("Error 111 connecting to 127.0.0.1:6379.") from inner
    except DriverError as outer:
        assert reason_de(outer).startswith("Verbindung abgelehnt")
    assert reason_de(DriverError('FATAL: password authentication failed for user "x"')) == (
        "Anmeldung abgelehnt (Benutzer oder Passwort falsch)"
    )


def test_an_unknown_error_keeps_its_text_behind_a_german_lead_in() -> None:
    assert reason_de(ValueError("seltsam")) == "unerwarteter Fehler (ValueError: seltsam)"
