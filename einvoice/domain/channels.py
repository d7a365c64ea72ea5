"""The ways an invoice reaches the city (channels) and their German names: the one list.

``upload`` and ``weberfassung`` are the supplier portal's channels: their messages carry the
source ``upload:<account id>:<file name>``, so ownership, holds and notifications treat them
alike; ``weberfassung`` is an invoice the supplier typed into the portal's form (issue 26).
"""

from __future__ import annotations

MAIL = "mail"
UPLOAD = "upload"
DROP = "drop"
WEBERFASSUNG = "weberfassung"

#: Every channel a message may have (``messages.channel``).
CHANNELS: tuple[str, ...] = (MAIL, UPLOAD, DROP, WEBERFASSUNG)
#: The supplier portal's channels: a message of one of them belongs to a portal account.
PORTAL_CHANNELS = frozenset({UPLOAD, WEBERFASSUNG})

CHANNEL_LABELS_DE: dict[str, str] = {
    MAIL: "E-Mail",
    UPLOAD: "Upload-Portal",
    DROP: "Ablageordner",
    WEBERFASSUNG: "Weberfassung",
}


def channel_label(channel: str) -> str:
    """The channel's German name (``upload`` -> ``Upload-Portal``); an unknown one as given."""
    return CHANNEL_LABELS_DE.get(channel, channel)


def is_portal(channel: str, source: str) -> bool:
    """A message of a portal account (``upload:<account>:...``), by upload or Weberfassung."""
    return channel in PORTAL_CHANNELS and source.startswith("upload:")


def portal_account_id(channel: str, source: str) -> int | None:
    """The portal account's id of a portal message, else None."""
    if not is_portal(channel, source):
        return None
    account = source.split(":", 2)[1]
    return int(account) if account.isdigit() else None
