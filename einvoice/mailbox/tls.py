"""The TLS context of one mailbox: the system's trust store plus the city's CA.

Certificates are always checked (host name and chain); ``ca_file`` / ``ca_dir`` add
certificate authorities to the system store instead of replacing it, so an
internal server and a hosted one can be read by the same process.
"""

from __future__ import annotations

import ssl
from pathlib import Path

from einvoice.errors import ConfigurationError
from einvoice.mailbox.settings import MailboxSettings

_VERSIONS = {"1.2": ssl.TLSVersion.TLSv1_2, "1.3": ssl.TLSVersion.TLSv1_3}
_CA_SUFFIXES = (".pem", ".crt", ".cer")


def context(mailbox: MailboxSettings, client_certificate: bool = True) -> ssl.SSLContext:
    """A verifying client context; a broken CA or certificate file is a clear error."""
    ctx = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)
    ctx.minimum_version = _VERSIONS[mailbox.min_tls]
    where = f"Postfach {mailbox.name!r}"
    for ca in _ca_files(mailbox):
        try:
            ctx.load_verify_locations(cafile=str(ca))
        except (ssl.SSLError, OSError) as exc:
            raise ConfigurationError(
                f"{where}: Zertifizierungsstelle {str(ca)!r} nicht lesbar (PEM erwartet): {exc}"
            ) from exc
    if client_certificate and mailbox.client_cert is not None:
        try:
            ctx.load_cert_chain(
                str(mailbox.client_cert),
                str(mailbox.client_key) if mailbox.client_key else None,
            )
        except (ssl.SSLError, OSError) as exc:
            raise ConfigurationError(
                f"{where}: Client-Zertifikat {str(mailbox.client_cert)!r} bzw. Schlüssel nicht "
                f"lesbar oder passen nicht zusammen: {exc}"
            ) from exc
    return ctx


def _ca_files(mailbox: MailboxSettings) -> list[Path]:
    files = [mailbox.ca_file] if mailbox.ca_file is not None else []
    if mailbox.ca_dir is not None:
        # every PEM file in the folder (no c_rehash links needed)
        found = sorted(
            p for p in mailbox.ca_dir.iterdir() if p.is_file() and p.suffix.lower() in _CA_SUFFIXES
        )
        if not found:
            raise ConfigurationError(
                f"Postfach {mailbox.name!r}: ca_dir {str(mailbox.ca_dir)!r} enthält keine "
                ".pem/.crt-Dateien"
            )
        files.extend(found)
    return files
