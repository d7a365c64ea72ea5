"""Supplier self-registration with e-mail verification, password reset and change.

Registration never tells whether an address is taken: the page always says "we sent
you an e-mail"; the owner of a taken address gets a note pointing to "forgot password"
instead of a verification link. Suppliers sign in with their e-mail address; staff
names never contain ``@``, so the two namespaces cannot meet.
"""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from einvoice.domain.creditors import normal_id, vat_id_problem
from einvoice.services import notifications, passwords, tokens, web_sessions
from einvoice.services import security_log as sec
from einvoice.services.accounts import (
    USERNAME,
    AccountError,
    Role,
    User,
    _user,
    create_account,
    hash_password,
    verify_password,
)
from einvoice.services.creditors import request_binding
from einvoice.services.ports import Mailer, OutgoingMail, Pipeline, utcnow
from einvoice.storage.accounts import Account
from einvoice.storage.tables import Notification

log = logging.getLogger(__name__)

# An address a mail server accepts: one @, a dot in the domain, no spaces or controls.
ACCOUNT_MAIL = "account"  # outbox kind of registration, verification and reset e-mails
SENT_BODY = "(gesendet; der Text mit dem Link wird nicht aufbewahrt)"
EMAIL = re.compile(r"^[^@\s\x00-\x1f\x7f]{1,64}@[a-z0-9](?:[a-z0-9-]{0,62}\.)+[a-z]{2,63}$")


@dataclass(frozen=True, slots=True)
class MailLinks:
    """What the e-mails need: the mailer, the signer and the app's public address.

    With ``sessions`` an e-mail is only recorded in the outbox (``notifications``, kind
    ``account``) and its id kept in ``queued``: the web app sends it after the response
    (:func:`deliver_queued`), so the time of a request does not tell whether an address
    is registered (issue 21, finding 6), and an SMTP server that is down loses nothing.
    """

    mailer: Mailer | None
    signer: tokens.Signer
    base_url: str  # e.g. https://rechnung.stadt.example (no trailing slash)
    sessions: sessionmaker[Session] | None = None  # the outbox (None: send at once)
    queued: list[int] = field(default_factory=list)  # outbox ids, to send after the response

    def send(self, mail: OutgoingMail) -> None:
        mailer = self.require_mailer()
        if self.sessions is None:
            mailer.send(mail)
            return
        with self.sessions() as session:
            row = Notification(
                invoice_id=None,
                document_id=None,
                kind=ACCOUNT_MAIL,
                key=f"{ACCOUNT_MAIL}:{secrets.token_hex(12)}",
                recipient=mail.to,
                subject=mail.subject[:1000],
                body=mail.body,
                status=notifications.PENDING,
                attempts=0,
                created_at=utcnow(),
            )
            session.add(row)
            session.commit()
            self.queued.append(row.id)

    def require_mailer(self) -> Mailer:
        """The mailer; refused (before anything is stored) when no SMTP is set up."""
        if self.mailer is None:
            log.error("e-mail to a user cannot be sent: EINVOICE_SMTP_URL is not set")
            raise AccountError(
                "Der E-Mail-Versand ist nicht eingerichtet. Bitte wenden Sie sich an den "
                "Rechnungseingang der Stadt."
            )
        return self.mailer


def deliver_queued(pipeline: Pipeline, mailer: Mailer | None, ids: list[int]) -> None:
    """Send the recorded account e-mails (after the response); a link in a sent e-mail is
    not kept in the outbox. What cannot go out now stays pending for the next delivery."""
    try:
        notifications.deliver(pipeline, ids=ids, mailer=mailer)
    except Exception:  # after the response nobody can be told: the outbox keeps it
        log.exception("account e-mails %s not sent now (they stay in the outbox)", ids)
    with pipeline.sessions() as session:
        session.execute(
            update(Notification)
            .where(
                Notification.id.in_(ids),
                Notification.kind == ACCOUNT_MAIL,
                Notification.status == notifications.SENT,
            )
            .values(body=SENT_BODY)
        )
        session.commit()


def normalise_email(text: str) -> str:
    email = text.strip().lower()
    if not EMAIL.match(email) or len(email) > 254:
        raise AccountError("Bitte eine gültige E-Mail-Adresse angeben (z. B. name@firma.de).")
    return email


def check_registration(
    links: MailLinks,
    *,
    email: str,
    password: str,
    organisation: str,
    display_name: str,
    vat_id: str,
) -> str:
    """What a registration can be told at once - the same for any address, registered or
    not: the normalised address, or AccountError (German)."""
    email = normalise_email(email)
    if not USERNAME.match(email):  # the address is the sign-in name
        raise AccountError(
            "Diese E-Mail-Adresse kann nicht als Anmeldename dienen: vor dem @ bitte nur "
            "Buchstaben, Ziffern und . _ - (z. B. name@firma.de)."
        )
    if not organisation.strip():
        raise AccountError("Bitte den Namen Ihrer Firma angeben.")
    vat_problem = vat_id_problem(vat_id)
    if vat_problem:
        raise AccountError(vat_problem)
    reason = passwords.problem(password, username=email, email=email, names=(display_name,))
    if reason:
        raise AccountError(reason)
    links.require_mailer()
    return email


def register_later(pipeline: Pipeline, links: MailLinks, address: str, **form: str) -> None:
    """The registration itself, after the response (the page says the same either way):
    the account or the note to a taken address, then its e-mail."""
    try:
        register_supplier(pipeline.sessions, links, address=address, **form)
    except AccountError as exc:  # e.g. the address was taken a moment ago: nobody to tell
        log.info("registration after the response not done: %s", exc)
    if links.queued:
        deliver_queued(pipeline, links.mailer, list(links.queued))


def reset_later(pipeline: Pipeline, links: MailLinks, email: str, address: str) -> None:
    """A password reset asked for, done after the response: whether the address has an
    account changes nothing in the request's time."""
    request_reset(pipeline.sessions, links, email, address)
    if links.queued:
        deliver_queued(pipeline, links.mailer, list(links.queued))


def register_supplier(
    sessions: sessionmaker[Session],
    links: MailLinks,
    *,
    email: str,
    password: str,
    organisation: str,
    display_name: str,
    vat_id: str,
    address: str = "",
) -> None:
    """Register (unverified) and send the link; for a taken address send a note instead.
    The caller shows the same page either way.

    The account asks to be bound to the creditor with ``vat_id`` (USt-IdNr.)
    (:func:`creditors.request_binding`): confirmed at once when the e-mail's domain is
    recorded for that creditor - the address is proven by the link, and nobody signs
    in before following it -, else pending until creditor accounting decides. Until
    then the account's uploads are held (``uploader-not-seller``).
    """
    email = check_registration(
        links,
        email=email,
        password=password,
        organisation=organisation,
        display_name=display_name,
        vat_id=vat_id,
    )
    with sessions() as session:
        taken = session.scalars(select(Account).where(Account.username == email)).first()
    if taken is not None:
        hash_password(password)  # the same work as a new registration
        sec.record(
            sessions,
            sec.Kind.REGISTRATION,
            username=email,
            address=address,
            account_id=taken.id,
            detail="address already registered: note sent",
        )
        links.send(
            OutgoingMail(
                to=email,
                subject="Ihre Registrierung beim Rechnungseingang",
                body=(
                    "Guten Tag,\n\nfür diese E-Mail-Adresse besteht bereits ein Zugang zum "
                    "Rechnungseingang der Stadt. Falls Sie Ihr Passwort vergessen haben, "
                    f"setzen Sie es hier zurück:\n\n{links.base_url}/passwort-vergessen\n\n"
                    "Wenn Sie sich nicht registrieren wollten, können Sie diese E-Mail "
                    "ignorieren.\n"
                ),
            )
        )
        return
    # without a mailer the link could never arrive: no half-registered, unverified account
    # (and no binding for creditor accounting to decide) that blocks the address for good
    links.require_mailer()
    user = create_account(
        sessions,
        email,
        password,
        Role.SUPPLIER,
        display_name or organisation,
        organisation=organisation,
        email=email,
        verified=False,
    )
    with sessions() as session:
        request_binding(session, user.id, organisation, normal_id(vat_id), email, utcnow())
        session.commit()
    sec.record(sessions, sec.Kind.REGISTRATION, username=email, address=address, account_id=user.id)
    send_verification(sessions, links, user.id)


def send_verification(sessions: sessionmaker[Session], links: MailLinks, account_id: int) -> None:
    with sessions() as session:
        account = session.get(Account, account_id)
        if account is None or not account.email:
            raise AccountError("Dieser Zugang hat keine E-Mail-Adresse.")
        email = account.email
    token = links.signer.make(tokens.VERIFY_EMAIL, {"a": account_id, "e": email})
    links.send(
        OutgoingMail(
            to=email,
            subject="Bitte bestätigen Sie Ihre E-Mail-Adresse",
            body=(
                "Guten Tag,\n\nbitte bestätigen Sie Ihre E-Mail-Adresse für den "
                "Rechnungseingang der Stadt mit diesem Link (gültig 3 Tage):\n\n"
                f"{links.base_url}/email-bestaetigen?token={token}\n\n"
                "Wenn Sie sich nicht registriert haben, ignorieren Sie diese E-Mail.\n"
            ),
        )
    )


def verify_email(sessions: sessionmaker[Session], signer: tokens.Signer, token: str) -> User:
    payload = signer.read(tokens.VERIFY_EMAIL, token)
    with sessions() as session:
        account = session.get(Account, int(payload.get("a", 0)))
        if account is None or account.email != payload.get("e") or not account.active:
            raise tokens.TokenError("Der Link ist ungültig.")
        if account.email_verified_at is None:
            account.email_verified_at = utcnow()
            session.commit()
            sec.record(
                sessions, sec.Kind.EMAIL_VERIFIED, username=account.username, account_id=account.id
            )
        return _user(account)


def request_reset(
    sessions: sessionmaker[Session], links: MailLinks, email: str, address: str = ""
) -> None:
    """Send a reset link if the address belongs to an active local account; the caller
    always shows the same page."""
    try:
        email = normalise_email(email)
    except AccountError:
        return
    with sessions() as session:
        account = session.scalars(
            select(Account).where(Account.email == email, Account.active.is_(True))
        ).first()
        if account is None or not account.password_hash:
            sec.record(
                sessions,
                sec.Kind.PASSWORD_RESET_REQUESTED,
                username=email,
                address=address,
                detail="no such local account: nothing sent",
            )
            return
        account_id, fp = account.id, tokens.fingerprint(account.password_hash)
    token = links.signer.make(tokens.RESET_PASSWORD, {"a": account_id, "p": fp})
    sec.record(
        sessions,
        sec.Kind.PASSWORD_RESET_REQUESTED,
        username=email,
        address=address,
        account_id=account_id,
    )
    links.send(
        OutgoingMail(
            to=email,
            subject="Passwort zurücksetzen",
            body=(
                "Guten Tag,\n\nSie können Ihr Passwort für den Rechnungseingang der Stadt mit "
                "diesem Link neu setzen (gültig 1 Stunde, nur einmal verwendbar):\n\n"
                f"{links.base_url}/passwort-neu?token={token}\n\n"
                "Wenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail; Ihr "
                "Passwort bleibt unverändert.\n"
            ),
        )
    )


SET_PASSWORD_LINKS = (tokens.RESET_PASSWORD, tokens.INVITATION)


def send_invitation(sessions: sessionmaker[Session], links: MailLinks, account_id: int) -> str:
    """E-mail a new staff account a link to set its first password (valid 7 days, once);
    the administrator never sees a password. Returns the address written to."""
    with sessions() as session:
        account = session.get(Account, account_id)
        if account is None or not account.email or not account.password_hash:
            raise AccountError("Dieser Zugang hat keine E-Mail-Adresse.")
        email, name = account.email, account.display_name or account.username
        username, fp = account.username, tokens.fingerprint(account.password_hash)
    token = links.signer.make(tokens.INVITATION, {"a": account_id, "p": fp})
    links.send(
        OutgoingMail(
            to=email,
            subject="Ihr Zugang zum Rechnungseingang der Stadt",
            body=(
                f"Guten Tag {name},\n\nfür Sie wurde ein Zugang zum Rechnungseingang der Stadt "
                f"angelegt (Benutzername: {username}). Bitte legen Sie mit diesem Link Ihr "
                "Passwort fest (gültig 7 Tage, nur einmal verwendbar):\n\n"
                f"{links.base_url}/passwort-neu?token={token}\n\n"
                "Wenn Sie keinen Zugang erwartet haben, wenden Sie sich bitte an die "
                "Verwaltung der Anwendung.\n"
            ),
        )
    )
    return email


def check_reset_token(sessions: sessionmaker[Session], signer: tokens.Signer, token: str) -> int:
    payload = signer.read_any(SET_PASSWORD_LINKS, token)
    with sessions() as session:
        account = session.get(Account, int(payload.get("a", 0)))
        if (
            account is None
            or not account.active
            or tokens.fingerprint(account.password_hash) != payload.get("p")
        ):
            raise tokens.TokenError(
                "Der Link wurde schon verwendet oder ist ungültig. Bitte fordern Sie einen "
                "neuen an."
            )
        return account.id


def reset_password(
    sessions: sessionmaker[Session], signer: tokens.Signer, token: str, new_password: str
) -> User:
    """Set the new password, mark the address verified, end every session."""
    account_id = check_reset_token(sessions, signer, token)
    user = _set_password(sessions, account_id, new_password, reason="password_reset")
    with sessions() as session:
        account = session.get(Account, account_id)
        if account is not None and account.email_verified_at is None:
            account.email_verified_at = utcnow()  # the link reached the mailbox
            session.commit()
    return user


def change_password(
    sessions: sessionmaker[Session],
    account_id: int,
    current: str,
    new_password: str,
    *,
    keep_session: str | None = None,
) -> User:
    with sessions() as session:
        account = session.get(Account, account_id)
        if account is None or not account.password_hash:
            raise AccountError("Für diesen Zugang gibt es kein lokales Passwort.")
        known = account.password_hash
    if not verify_password(known, current):
        raise AccountError("Das bisherige Passwort ist nicht richtig.")
    return _set_password(
        sessions, account_id, new_password, reason="password_changed", keep=keep_session
    )


def _set_password(
    sessions: sessionmaker[Session],
    account_id: int,
    new_password: str,
    *,
    reason: str,
    keep: str | None = None,
) -> User:
    with sessions() as session:
        account = session.get(Account, account_id)
        if account is None:
            raise AccountError("Diesen Zugang gibt es nicht.")
        problem = passwords.problem(
            new_password,
            username=account.username,
            email=account.email or "",
            names=(account.display_name,),
        )
        if problem:
            raise AccountError(problem)
        account.password_hash = hash_password(new_password)
        account.password_changed_at = utcnow()
        session.commit()
        user = _user(account)
    ended = web_sessions.revoke_all(sessions, account_id, reason, keep=keep)
    sec.record(
        sessions,
        sec.Kind.PASSWORD_CHANGED,
        username=user.username,
        account_id=user.id,
        detail=f"{reason}; {ended} other session(s) ended",
    )
    return user
