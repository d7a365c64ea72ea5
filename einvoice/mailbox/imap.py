"""An IMAP mailbox as invoice source (IMAPClient underneath).

- ``imaps://`` (TLS from the start) or ``imap://`` with STARTTLS, which is required:
  a server that does not offer it (or an attacker who strips it) gets no log-in.
  ``imap+plain://`` only on loopback (tests).
- Certificates are always checked, against the system store plus the mailbox's
  ``ca_file`` / ``ca_dir``; optional client certificate; minimum TLS version.
- Log-in with password (``LOGIN``) or OAuth2 (SASL ``XOAUTH2`` / ``OAUTHBEARER``)
  with client-credentials tokens.
- Folder names in UTF-8 (``Eingangsrechnungen/Geprüft``) go over the wire as IMAP
  modified UTF-7 with the server's hierarchy separator; the processed and failed
  folders are created when missing.
Every failure is a :class:`~einvoice.mailbox.errors.MailboxError` with a German text.
"""

from __future__ import annotations

import logging
import ssl
from collections.abc import Iterator

from imapclient import IMAPClient
from imapclient.exceptions import CapabilityError, IMAPClientError, LoginError

from einvoice.mailbox import errors, tls
from einvoice.mailbox.base import RawItem
from einvoice.mailbox.errors import MailboxCause, MailboxError
from einvoice.mailbox.oauth2 import TOKENS, TokenCache
from einvoice.mailbox.settings import PASSWORD_ENV, MailboxSettings, parse

log = logging.getLogger(__name__)
# IMAPClient warns on every non-ASCII server text (Dovecot names UTF-8 folders in errors)
logging.getLogger("imapclient.util").setLevel(logging.ERROR)


class ImapSource:
    """Yields each message of the folder; ``done`` moves it to processed / failed."""

    def __init__(
        self,
        mailbox: MailboxSettings | str,
        password: str | None = None,
        tokens: TokenCache = TOKENS,
    ) -> None:
        if isinstance(mailbox, str):  # a bare URL; the password as EINVOICE_IMAP_PASSWORD
            mailbox = parse({"url": mailbox}, {PASSWORD_ENV: password} if password else {})
        self.mailbox = mailbox
        self.name = mailbox.name
        self.tokens = tokens
        self._client: IMAPClient | None = None
        self._separator = "/"

    # --- connecting -------------------------------------------------------------------

    def _connect(self) -> IMAPClient:
        if self._client is not None:
            return self._client
        try:
            client = self._login(retry_with_fresh_token=True)
        except ssl.SSLError as exc:
            raise errors.from_network(exc, self.mailbox.address) from exc
        try:
            self._prepare_folders(client)
        except BaseException:
            _shutdown(client)
            raise
        self._client = client
        return client

    def _open(self) -> IMAPClient:
        """TCP (+ TLS) connection, STARTTLS enforced on ``imap://``; not logged in yet."""
        box, where = self.mailbox, self.mailbox.address
        context = tls.context(box) if box.scheme != "imap+plain" else None
        try:
            client = IMAPClient(
                box.host,
                box.port,
                ssl=box.scheme == "imaps",
                ssl_context=context,
                timeout=box.timeout,
            )
        except OSError as exc:
            raise errors.from_network(exc, where) from exc
        except IMAPClientError as exc:
            raise errors.protocol(where, exc) from exc
        if box.scheme == "imap":
            try:
                client.starttls(context)
            except CapabilityError as exc:
                _shutdown(client)
                raise errors.starttls_missing(where) from exc
            except OSError as exc:
                _shutdown(client)
                raise errors.from_network(exc, where) from exc
            except IMAPClientError as exc:  # the server answered NO/BAD to STARTTLS
                _shutdown(client)
                raise errors.starttls_missing(where) from exc
        return client

    def _login(self, retry_with_fresh_token: bool) -> IMAPClient:
        box = self.mailbox
        client = self._open()
        mechanism = "LOGIN" if box.auth == "password" else box.auth.upper()
        reused = False
        try:
            if box.auth == "password":
                assert box.password is not None
                client.login(box.user, box.password)
            else:
                assert box.oauth2 is not None
                held = self.tokens.peek(box.oauth2)
                token = self.tokens.token(box.oauth2, tls.context(box, client_certificate=False))
                reused = retry_with_fresh_token and token is held
                if box.auth == "xoauth2":
                    client.oauth2_login(box.user, token.value, mech="XOAUTH2")
                else:
                    client.oauthbearer_login(box.user, token.value)
        except LoginError as exc:
            _shutdown(client)
            if box.oauth2 is not None and reused:
                # the server refused a token we still held (revoked, clock skew): once more
                log.info("mailbox %s refused the OAuth2 token: fetching a new one", box.name)
                self.tokens.forget(box.oauth2)
                return self._login(retry_with_fresh_token=False)
            raise errors.login_refused(box.user, box.address, mechanism, exc) from exc
        except OSError as exc:
            _shutdown(client)
            raise errors.from_network(exc, box.address) from exc
        except MailboxError:
            _shutdown(client)
            raise
        except IMAPClientError as exc:
            _shutdown(client)
            raise errors.login_refused(box.user, box.address, mechanism, exc) from exc
        return client

    def _prepare_folders(self, client: IMAPClient) -> None:
        box = self.mailbox
        try:
            listing = client.list_folders("", "")
            if listing and listing[0][1]:
                delimiter = listing[0][1]
                self._separator = delimiter.decode() if isinstance(delimiter, bytes) else delimiter
            for folder in (box.processed_folder, box.failed_folder):
                self._ensure(client, folder)
            try:
                client.select_folder(self._wire(box.folder))
            except IMAPClientError as exc:
                raise MailboxError(
                    MailboxCause.FOLDER,
                    f"Den Ordner „{box.folder}“ gibt es im Postfach {box.user}@{box.address} "
                    f"nicht (Server: {_text(exc)}). Ordnernamen in der Adresse prüfen "
                    "(in UTF-8, Ebenen mit /).",
                ) from exc
        except OSError as exc:
            raise errors.from_network(exc, box.address) from exc
        except MailboxError:
            raise
        except IMAPClientError as exc:
            raise errors.protocol(box.address, exc) from exc

    def _ensure(self, client: IMAPClient, folder: str) -> None:
        wire = self._wire(folder)
        if client.folder_exists(wire):
            return
        try:
            client.create_folder(wire)
        except IMAPClientError as exc:
            if client.folder_exists(wire):  # another poller created it meanwhile
                return
            raise MailboxError(
                MailboxCause.FOLDER,
                f"Der Ordner „{folder}“ fehlt im Postfach {self.mailbox.user}@"
                f"{self.mailbox.address} und darf nicht angelegt werden (Server: {_text(exc)}). "
                "Ordner anlegen lassen oder processed_folder / failed_folder ändern.",
            ) from exc
        log.info("mailbox %s: created folder %s", self.name, folder)

    def _wire(self, folder: str) -> str:
        """UTF-8 name with ``/`` levels -> the server's separator (IMAPClient encodes UTF-7)."""
        return folder.replace("/", self._separator) if self._separator != "/" else folder

    # --- the Source interface -----------------------------------------------------------

    def fetch(self, limit: int | None = None) -> Iterator[RawItem]:
        client = self._connect()
        try:
            uids = sorted(client.search("ALL"))
            for count, uid in enumerate(uids):
                if limit is not None and count >= limit:
                    return
                answer = client.fetch([uid], ["BODY.PEEK[]"])
                raw = answer.get(uid, {}).get(b"BODY[]")
                if not raw:  # gone since SEARCH: another poller (machine) took it
                    continue
                yield RawItem(str(uid), bytes(raw), "mail", f"imap uid {uid}")
        except OSError as exc:
            self.close()
            raise errors.from_network(exc, self.mailbox.address) from exc
        except IMAPClientError as exc:
            self.close()
            raise errors.protocol(self.mailbox.address, exc) from exc

    def done(self, item: RawItem, ok: bool) -> None:
        client = self._connect()
        target = self._wire(self.mailbox.processed_folder if ok else self.mailbox.failed_folder)
        uid = int(item.key)
        try:
            if client.has_capability("MOVE"):
                client.move([uid], target)
            else:
                client.copy([uid], target)
                client.add_flags([uid], [b"\\Deleted"])
                if client.has_capability("UIDPLUS"):
                    client.uid_expunge([uid])
                else:
                    client.expunge()
        except OSError as exc:
            self.close()
            raise errors.from_network(exc, self.mailbox.address) from exc
        except IMAPClientError as exc:
            if _gone(exc):  # another poller (machine) moved it meanwhile: nothing left to do
                log.info("mailbox %s: uid %s already moved by another poller", self.name, uid)
                return
            self.close()
            raise errors.protocol(self.mailbox.address, exc) from exc

    def close(self) -> None:
        if self._client is not None:
            try:
                self._client.logout()
            except Exception:
                log.debug("IMAP logout failed", exc_info=True)
                _shutdown(self._client)
            self._client = None


def _shutdown(client: IMAPClient) -> None:
    try:
        client.shutdown()
    except Exception:
        log.debug("closing the IMAP connection failed", exc_info=True)


def _gone(exc: BaseException) -> bool:
    text = errors.server_text(exc).upper()
    return "EXPUNGEISSUED" in text or "NONEXISTENT" in text or "NO LONGER EXIST" in text


def _text(exc: BaseException) -> str:
    # e.g. "Mailbox doesn't exist" (the name after it is the wire form: left out)
    return errors.server_text(exc).split(": ", 1)[0]
