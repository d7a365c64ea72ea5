"""One mapping of internal keys to the German words users read (states, events, roles).

Every page, e-mail and terminal output takes its labels from here (or from the
domain's own tables this module re-exports), so "received", "routed" or
"skonto_lost" never reach a user.
"""

from __future__ import annotations

from einvoice.domain.approval import ACTION_LABELS_DE, STATUS_LABELS_DE, ActionKind, Status
from einvoice.services import notifications, states

#: approval workflow states (domain)
WORKFLOW_STATES_DE: dict[str, str] = {s.value: label for s, label in STATUS_LABELS_DE.items()}

#: audit events: what happened (past tense, for histories)
EVENTS_DE: dict[str, str] = {
    "receive": "eingegangen",
    ActionKind.VALIDATE.value: "geprüft",
    ActionKind.ROUTE.value: "dem Amt zugeordnet",
    ActionKind.REASSIGN.value: "an ein anderes Amt weitergeleitet",
    ActionKind.CONFIRM_SACHLICH.value: "sachlich richtig gezeichnet",
    ActionKind.CONFIRM_RECHNERISCH.value: "rechnerisch richtig gezeichnet",
    ActionKind.ORDER.value: "Zahlung angeordnet",
    ActionKind.EXPORT.value: "an die Stadtkasse übergeben",
    ActionKind.REJECT.value: "abgelehnt",
    ActionKind.RETURN_TO_SUPPLIER.value: "an den Lieferanten zurückgegeben",
    ActionKind.REPLACE.value: "durch eine korrigierte Fassung ersetzt",
    "comment": "kommentiert",
    # payment holds (issue 12) on the invoice; master data events of creditors and bindings
    "hold": "Zahlung gesperrt",
    "clear_hold": "Zahlungssperre aufgehoben",
    "propose_creditor": "Kreditor vorgeschlagen (wartet auf zweite Person)",
    "assign_creditor": "Kreditor zugeordnet",
    "creditor_created": "Kreditor angelegt",
    "creditor_changed": "Kreditor geändert",
    "account_added": "Bankverbindung erfasst (ungeprüft)",
    "account_verified": "Bankverbindung geprüft",
    "paid": "bezahlt (Zahlungsrückmeldung)",  # issue 24
    "payment": "Teilzahlung zugeordnet",
    "payment_decide": "Zahlung entschieden",
    "binding_pending": "Bindung eines Portalkontos beantragt",
    "binding_entered": "Bindung eines Portalkontos erfasst (wartet auf zweite Person)",
    "binding_proposed": "Kreditor einer Bindung benannt (wartet auf zweite Person)",
    "binding_confirmed": "Bindung eines Portalkontos bestätigt",
    "binding_refused": "Bindung eines Portalkontos abgelehnt",
}

#: pipeline states of messages and documents
PIPELINE_STATES_DE: dict[str, str] = {
    states.RECEIVED: "eingegangen",
    states.SPLIT: "zerlegt",
    states.NO_INVOICE: "keine Rechnung",
    states.REFUSED: "abgewiesen (Grenze überschritten)",
    states.STORED: "gespeichert, wartet auf Prüfung",
    states.PROCESSED: "geprüft",
    states.DUPLICATE: "Duplikat",
    states.TOO_LARGE: "zu groß",
    states.FAILED: "fehlgeschlagen",
    states.VALIDATED: "angenommen",
    states.REJECTED: "abgelehnt",
    states.UNREADABLE: "unlesbar",
}

#: e-mails to suppliers and staff (the outbox)
MAIL_STATES_DE: dict[str, str] = dict(notifications.STATUS_LABELS)

#: deadline stages
DEADLINES_DE: dict[str, str] = {
    "ok": "in Ordnung",
    "soon": "bald fällig",
    "overdue": "überschritten",
    "none": "keine Frist",
}

#: events of the Skonto and deadline reminders
REMINDERS_DE: dict[str, str] = {
    "skonto_soon": "Skonto-Frist läuft bald ab",
    "skonto_lost": "Skonto verloren",
    "skonto_used": "Skonto genutzt",
    "due_soon": "Zahlungsfrist läuft bald ab",
    "overdue": "Zahlungsfrist überschritten",
}


def workflow_state_de(status: str | None) -> str:
    if status is None:
        return "nicht im Freigabeverfahren"
    return WORKFLOW_STATES_DE.get(status, status)


def event_de(action: str) -> str:
    return EVENTS_DE.get(action, REMINDERS_DE.get(action, action))


def any_state_de(state: str | None) -> str:
    """A state of any kind (workflow first, then pipeline, deadline, reminder)."""
    if state is None:
        return ""
    for table in (WORKFLOW_STATES_DE, PIPELINE_STATES_DE, DEADLINES_DE, REMINDERS_DE):
        if state in table:
            return table[state]
    return state


def mail_state_de(state: str | None) -> str:
    """An e-mail's state in the outbox (pending, sent, failed ...)."""
    if state is None:
        return ""
    return MAIL_STATES_DE.get(state, state)


def action_de(action: str) -> str:
    """An action a person can take (imperative, for buttons)."""
    if action == "comment":
        return "kommentieren"
    try:
        return ACTION_LABELS_DE[ActionKind(action)]
    except ValueError:
        return action


__all__ = [
    "DEADLINES_DE",
    "EVENTS_DE",
    "MAIL_STATES_DE",
    "PIPELINE_STATES_DE",
    "REMINDERS_DE",
    "WORKFLOW_STATES_DE",
    "Status",
    "action_de",
    "any_state_de",
    "event_de",
    "mail_state_de",
    "workflow_state_de",
]
