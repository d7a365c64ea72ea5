"""A private Dovecot with TLS from a throwaway CA, optionally OAuth2 log-in.

``tls_dovecot(...)`` starts Dovecot with an imaps port and an imap port offering
STARTTLS, a server certificate for 127.0.0.1 signed by a fresh CA (``trustme``),
password users, and - given ``oauth2_introspection`` - an ``oauth2`` passdb that
validates XOAUTH2 / OAUTHBEARER tokens at a real OpenID provider (see oidc.py).
``StrippingProxy`` sits between client and server and removes STARTTLS from what
the server says, as an attacker on the path would.
"""

from __future__ import annotations

import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from tests.integration.services import dovecot_folder, free_port, running_dovecot

CONF = """\
protocols = imap
listen = 127.0.0.1
base_dir = {base}/run
state_dir = {base}/state
log_path = {base}/dovecot.log
info_log_path = {base}/dovecot.log
auth_verbose = yes
ssl = yes
ssl_cert = <{base}/server.pem
ssl_key = <{base}/server.key
ssl_min_protocol = TLSv1.2
{client_cert_conf}disable_plaintext_auth = no
auth_mechanisms = {mechanisms}
mail_location = maildir:{base}/mail/%u
first_valid_uid = 8
mail_uid = mail
mail_gid = mail
default_internal_user = mail
default_login_user = mail
passdb {{
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN {base}/passwd
}}
{oauth2_passdb}
userdb {{
  driver = static
  args = uid=mail gid=mail home={base}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps_port}
  }}
}}
service anvil {{
  chroot =
}}
namespace inbox {{
  inbox = yes
  separator = /
}}
"""

OAUTH2_PASSDB = """\
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {base}/oauth2.conf
}}
"""

OAUTH2_CONF = """\
introspection_mode = post
introspection_url = {url}
username_attribute = {username_attribute}
active_attribute = active
active_value = true
force_introspection = yes
"""


@dataclass(frozen=True)
class TlsImap:
    host: str
    imaps_port: int
    imap_port: int
    users: dict[str, str]  # user -> password
    ca_file: Path  # the throwaway CA (PEM) that signed the server certificate
    base: Path
    client_ca: object = field(repr=False, default=None)

    @property
    def user(self) -> str:
        return next(iter(self.users))

    @property
    def password(self) -> str:
        return self.users[self.user]

    def url(self, folder: str = "INBOX", user: str | None = None, starttls: bool = False) -> str:
        scheme, port = ("imap", self.imap_port) if starttls else ("imaps", self.imaps_port)
        return f"{scheme}://{user or self.user}@{self.host}:{port}/{folder}"

    def log(self) -> str:
        path = self.base / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""


@contextmanager
def tls_dovecot(
    users: tuple[str, ...] = ("rechnung",),
    oauth2_introspection: str | None = None,
    username_attribute: str = "email",
    require_client_cert: bool = False,
) -> Iterator[TlsImap]:
    import trustme

    binary, base = dovecot_folder("einvoice-dovecot-tls-")
    ca = trustme.CA(organization_name="Throwaway test CA of the city")
    server = ca.issue_cert("127.0.0.1", "localhost")
    server.private_key_pem.write_to_path(str(base / "server.key"))
    server.cert_chain_pems[0].write_to_path(str(base / "server.pem"))
    for extra in server.cert_chain_pems[1:]:
        with (base / "server.pem").open("ab") as out:
            out.write(extra.bytes())
    ca.cert_pem.write_to_path(str(base / "ca.pem"))
    passwords = {user: "geheim-" + uuid.uuid4().hex[:8] for user in users}
    (base / "passwd").write_text(
        "".join(f"{user}:{{PLAIN}}{password}\n" for user, password in passwords.items())
    )
    mechanisms = "plain login"
    oauth2_passdb = ""
    if oauth2_introspection:
        mechanisms += " xoauth2 oauthbearer"
        oauth2_passdb = OAUTH2_PASSDB.format(base=base)
        (base / "oauth2.conf").write_text(
            OAUTH2_CONF.format(url=oauth2_introspection, username_attribute=username_attribute)
        )
    client_cert_conf = ""
    if require_client_cert:  # log-in only with a certificate from the same CA
        client_cert_conf = (
            f"ssl_ca = <{base}/ca.pem\nssl_verify_client_cert = yes\n"
            "ssl_require_crl = no\nauth_ssl_require_client_cert = yes\n"
        )
    imap_port, imaps_port = free_port(), free_port()
    conf = base / "dovecot.conf"
    conf.write_text(
        CONF.format(
            base=base,
            mechanisms=mechanisms,
            client_cert_conf=client_cert_conf,
            oauth2_passdb=oauth2_passdb,
            imap_port=imap_port,
            imaps_port=imaps_port,
        )
    )
    with running_dovecot(binary, base, conf, (imap_port, imaps_port)):
        yield TlsImap("127.0.0.1", imaps_port, imap_port, passwords, base / "ca.pem", base, ca)


class StrippingProxy:
    """A man in the middle that removes STARTTLS from the server's capabilities.

    ``sent`` holds everything the client sent (to check no password crossed).
    """

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.sent = bytearray()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listener.getsockname()[1])
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> StrippingProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._listener.close()
        self._thread.join(timeout=5)

    def _serve(self) -> None:
        self._listener.settimeout(0.2)
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                continue
            server = socket.create_connection(("127.0.0.1", self.target_port))
            threading.Thread(target=self._pipe, args=(server, client, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(client, server, False), daemon=True).start()

    def _pipe(self, source: socket.socket, target: socket.socket, strip: bool) -> None:
        try:
            while data := source.recv(65536):
                if strip:
                    data = data.replace(b" STARTTLS", b"")
                else:
                    self.sent.extend(data)
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
