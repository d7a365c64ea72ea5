"""Recorded states of messages and documents (every one ends in a final state)."""

from __future__ import annotations

# messages
RECEIVED = "received"  # original stored, not yet split into documents
SPLIT = "split"  # documents created
NO_INVOICE = "no_invoice"  # nothing that could be an invoice (reason recorded)
REFUSED = "refused"  # over a limit (reason recorded)

# documents
STORED = "stored"  # original stored, waiting for validation
PROCESSED = "processed"  # validated and extracted (invoice row, if readable)
DUPLICATE = "duplicate"  # same invoice already received
UNREADABLE = "unreadable"  # no invoice could be read (reason and findings recorded)
TOO_LARGE = "too_large"  # over the attachment size limit (reason recorded)
FAILED = "failed"  # dead letter: attempts exhausted or a permanent error

PENDING_MESSAGE_STATES = (RECEIVED,)
PENDING_DOCUMENT_STATES = (STORED,)

# invoices
VALIDATED = "validated"
REJECTED = "rejected"
