"""Creditor master data as services: add, list, show, verify bank accounts, bind portal accounts.

Every change is an event in the master data's hash chain (``master_data``);
each fact on the money path is entered by one person and confirmed by a second
(a bank account: entered, then verified; a portal binding: entered - a
supplier's own registration counts as entered by nobody - then confirmed).
Verifying a bank account releases the ``bank-account-unverified`` holds it
answers, and confirming a portal binding the ``uploader-not-seller`` holds
(``holds.release_answered``), unless the person signed that invoice (four eyes).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from einvoice.domain.audit import AuditEvent
from einvoice.domain.creditors import (
    Creditor,
    MatchedBy,
    email_domain,
    iban_valid,
    normal_iban,
    normal_id,
    normal_name,
)
from einvoice.services import holds, master_data
from einvoice.services.creditor_records import (
    EMAIL,
    AccountInput,
    CreditorError,
    CreditorInput,
    Released,
    account_rows,
    find,
    input_of,
    key_rows,
    load,
)
from einvoice.services.ports import Pipeline
from einvoice.services.workflow_base import BadRequest, NotFound
from einvoice.storage.accounts import Account
from einvoice.storage.creditor_tables import (
    CreditorAccountRow,
    CreditorKeyRow,
    CreditorRow,
    PortalBindingRow,
)

#: Key kinds stored in ``creditor_keys``.
KINDS = (*(k.value for k in MatchedBy if k not in (MatchedBy.NAME_ADDRESS, MatchedBy.ASSIGNED)),)


def _keys(data: CreditorInput) -> list[tuple[str, str, str]]:
    """(kind, normal value, as written) of every identifier and e-mail of ``data``."""
    found: list[tuple[str, str, str]] = []
    found += [(MatchedBy.VAT_ID.value, normal_id(v), v) for v in data.vat_ids]
    if data.tax_number:
        found.append((MatchedBy.TAX_NUMBER.value, normal_id(data.tax_number), data.tax_number))
    if data.registration:
        found.append(
            (MatchedBy.REGISTRATION.value, normal_id(data.registration), data.registration)
        )
    found += [(MatchedBy.SELLER_ID.value, normal_id(v), v) for v in data.seller_ids]
    found += [(EMAIL, e.strip().lower(), e.strip()) for e in data.emails]
    return [k for k in dict.fromkeys(found) if k[1]]


def _snapshot(data: CreditorInput) -> dict[str, str]:
    return {
        "number": data.number,
        "name": data.name,
        "address": " ".join(x for x in (data.street, data.post_code, data.city) if x),
        "ids": ",".join(f"{k}={v}" for k, v, _ in _keys(data)),
        "ibans": ",".join(normal_iban(a.iban) for a in data.accounts),
    }


FOUR_EYES_ACCOUNT_DE = (
    "Vier-Augen-Prinzip: Wer eine Bankverbindung erfasst, kann sie nicht selbst als geprüft "
    "festhalten. Bitte eine zweite Person der Kreditorenbuchhaltung prüfen lassen."
)
FOUR_EYES_BINDING_DE = (
    "Vier-Augen-Prinzip: Wer eine Bindung erfasst oder ihren Kreditor benannt hat ({who}), "
    "kann sie nicht selbst bestätigen. Bitte eine zweite Person der Kreditorenbuchhaltung "
    "bestätigen lassen."
)


def check_verifier(actor: str, verified_how: str | None, verified_by: str | None) -> None:
    """Bank accounts entered as verified need a second person who vouches for them."""
    if verified_how is None or not verified_how.strip():
        return
    if not (verified_by or "").strip() or verified_by == actor:
        raise CreditorError(FOUR_EYES_ACCOUNT_DE)


def save_creditor(
    session: Session,
    data: CreditorInput,
    actor: str,
    at: datetime,
    *,
    verified_how: str | None,
    verified_by: str | None = None,
) -> tuple[int, str]:
    """Create or update (by Kreditorennummer) in ``session``: (id, created|changed|unchanged).

    New bank accounts are unverified unless ``verified_how`` says how ``verified_by``
    (a second person, not ``actor``) checked them.
    """
    check_verifier(actor, verified_how, verified_by)
    data = data.checked()
    number = data.number.strip()
    row = session.scalars(select(CreditorRow).where(CreditorRow.number == number)).first()
    action = "created"
    if row is None:
        row = CreditorRow(number=number, created_at=at.astimezone(UTC))
        session.add(row)
    else:
        before = input_of(session, row)
        if _snapshot(before) == _snapshot(data):
            return row.id, "unchanged"
        action = "changed"
    row.name = data.name.strip()[:512]
    row.name_key = normal_name(data.name)[:512]
    row.street, row.post_code, row.city = data.street, data.post_code, data.city
    row.country = (data.country or "").strip().upper()[:2] or None
    row.updated_at = at.astimezone(UTC)
    session.flush()
    existing = {(k.kind, k.value): k for k in key_rows(session, row.id)}
    wanted = {(k, v): w for k, v, w in _keys(data)}
    for key, stale in existing.items():
        if key not in wanted:
            session.delete(stale)
    for (kind, value), written in wanted.items():
        if (kind, value) not in existing:
            session.add(
                CreditorKeyRow(creditor_id=row.id, kind=kind, value=value, written=written[:255])
            )
    accounts = {a.iban: a for a in account_rows(session, row.id)}
    for account in data.accounts:
        iban = normal_iban(account.iban)
        if iban in accounts:
            continue
        accounts[iban] = CreditorAccountRow(
            creditor_id=row.id,
            iban=iban,
            bic=normal_id(account.bic) or None,
            holder=account.holder,
            added_by=actor,
            added_at=at.astimezone(UTC),
            verified_by=verified_by if verified_how else None,
            verified_at=at.astimezone(UTC) if verified_how else None,
            verified_how=verified_how,
        )
        session.add(accounts[iban])
    master_data.record(
        session,
        f"creditor:{row.id}",
        f"creditor_{action}",
        actor,
        at,
        details=_snapshot(data)
        | ({"verified_how": verified_how, "verified_by": str(verified_by)} if verified_how else {}),
    )
    return row.id, action


def add_creditor(
    pipeline: Pipeline,
    data: CreditorInput,
    actor: str,
    *,
    verified_how: str | None = None,
    verified_by: str | None = None,
) -> Creditor:
    check_verifier(actor, verified_how, verified_by)
    at = pipeline.clock()
    with pipeline.sessions() as session:
        if session.scalars(
            select(CreditorRow.id).where(CreditorRow.number == data.number.strip())
        ).first():
            raise CreditorError(f"Den Kreditor {data.number.strip()} gibt es bereits.")
        creditor_id, _ = save_creditor(
            session, data, actor, at, verified_how=verified_how, verified_by=verified_by
        )
        session.commit()
        return load(session, creditor_id)


@dataclass(frozen=True, slots=True)
class CreditorListing:
    total: int
    creditors: tuple[Creditor, ...]


def list_creditors(
    pipeline: Pipeline, search: str | None = None, limit: int = 50, offset: int = 0
) -> CreditorListing:
    """Creditors by number; with ``search``: whose name, number or an identifier contains it."""
    with pipeline.sessions() as session:
        query = select(CreditorRow.id)
        if search and search.strip():
            text = search.strip()
            keyed = select(CreditorKeyRow.creditor_id).where(
                CreditorKeyRow.value.contains(normal_id(text) or text.lower())
            )
            query = query.where(
                or_(
                    CreditorRow.name_key.contains(normal_name(text) or text.lower()),
                    CreditorRow.number.contains(text),
                    CreditorRow.id.in_(keyed),
                )
            )
        total = int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)
        ids = session.scalars(
            query.order_by(CreditorRow.number).limit(max(1, min(limit, 500))).offset(offset)
        ).all()
        return CreditorListing(total, tuple(load(session, i) for i in ids))


def history(pipeline: Pipeline, creditor_id: int) -> list[AuditEvent]:
    with pipeline.sessions() as session:
        return master_data.history(session, f"creditor:{creditor_id}")


# --- bank accounts -----------------------------------------------------------------------------


def add_account(
    pipeline: Pipeline, creditor_id: int, account: AccountInput, actor: str
) -> Creditor:
    """A further bank account (unverified)."""
    if not iban_valid(account.iban):
        raise CreditorError(f"Die IBAN {account.iban!r} ist ungültig (Prüfziffer).")
    at = pipeline.clock()
    iban = normal_iban(account.iban)
    with pipeline.sessions() as session:
        creditor = load(session, creditor_id)
        if creditor.account(iban) is not None:
            raise CreditorError(f"Die IBAN {iban} ist bei {creditor.number} schon erfasst.")
        session.add(
            CreditorAccountRow(
                creditor_id=creditor_id,
                iban=iban,
                bic=normal_id(account.bic) or None,
                holder=account.holder,
                added_by=actor,
                added_at=at.astimezone(UTC),
            )
        )
        master_data.record(
            session, f"creditor:{creditor_id}", "account_added", actor, at, details={"iban": iban}
        )
        session.commit()
        return load(session, creditor_id)


def verify_account(
    pipeline: Pipeline, creditor_id: int, iban: str, actor: str, how: str
) -> tuple[Creditor, Released]:
    """Record that ``actor`` verified the account and how; release the holds it answers."""
    if not how.strip():
        raise BadRequest("Bitte festhalten, wie die Bankverbindung geprüft wurde.")
    at = pipeline.clock()
    wanted = normal_iban(iban)
    with pipeline.sessions() as session:
        row = session.scalars(
            select(CreditorAccountRow).where(
                CreditorAccountRow.creditor_id == creditor_id, CreditorAccountRow.iban == wanted
            )
        ).first()
        if row is None:
            load(session, creditor_id)  # NotFound for an unknown creditor
            raise NotFound(f"Die IBAN {wanted} ist bei diesem Kreditor nicht erfasst.")
        if row.verified_at is not None:
            raise CreditorError(
                f"Die Bankverbindung {wanted} wurde bereits von {row.verified_by} geprüft."
            )
        if not row.added_by or row.added_by == actor:
            # four eyes on bank details: whoever typed the IBAN in cannot also vouch for it
            raise CreditorError(FOUR_EYES_ACCOUNT_DE)
        done = session.execute(  # two people at the same moment: the second is refused
            update(CreditorAccountRow)
            .where(CreditorAccountRow.id == row.id, CreditorAccountRow.verified_at.is_(None))
            .values(verified_by=actor, verified_at=at.astimezone(UTC), verified_how=how.strip())
            .execution_options(synchronize_session=False)
        )
        if getattr(done, "rowcount", 0) != 1:
            session.rollback()
            raise CreditorError(
                f"Die Bankverbindung {wanted} wurde gerade von jemand anderem geprüft "
                "(bereits entschieden). Bitte die Seite neu laden."
            )
        session.expire(row)
        master_data.record(
            session,
            f"creditor:{creditor_id}",
            "account_verified",
            actor,
            at,
            reason=how.strip(),
            details={"iban": wanted},
        )
        released = holds.release_answered(session, pipeline, actor, how.strip(), at)
        session.commit()
        return load(session, creditor_id), released


# --- portal bindings ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Binding:
    id: int
    account_id: int
    account: str  # user name
    creditor_id: int | None
    creditor_number: str | None
    creditor_name: str | None
    company: str
    vat_id: str
    state: str  # pending, confirmed, refused
    entered_by: str | None  # who of creditor accounting entered it / named its creditor
    decided_by: str | None
    how: str | None


def request_binding(
    session: Session, account_id: int, company: str, vat_id: str, email: str | None, at: datetime
) -> PortalBindingRow:
    """At registration: ask to bind the account to the creditor with this VAT id (in ``session``).

    Always pending: a supplier's own registration counts as entered by nobody, so two
    people of creditor accounting confirm it (the first enters it, the second confirms;
    :func:`decide_binding`). An e-mail domain recorded for the creditor is only a hint.
    """
    key = normal_id(vat_id)
    creditor_id = session.scalars(
        select(CreditorKeyRow.creditor_id).where(
            CreditorKeyRow.kind == MatchedBy.VAT_ID.value, CreditorKeyRow.value == key
        )
    ).first()
    row = PortalBindingRow(
        account_id=account_id,
        creditor_id=creditor_id,
        company=company.strip()[:255],
        vat_id=vat_id.strip()[:64],
        state="pending",
        requested_at=at.astimezone(UTC),
    )
    hint = None
    domain = email_domain(email)
    if creditor_id is not None and domain:
        known = session.scalars(
            select(CreditorKeyRow.value).where(
                CreditorKeyRow.creditor_id == creditor_id, CreditorKeyRow.kind == EMAIL
            )
        ).all()
        if domain in known or (email or "").strip().lower() in known:
            hint = (
                f"Hinweis: die E-Mail-Domain {domain} ist für den Kreditor erfasst "
                "(bestätigen müssen trotzdem zwei Personen der Kreditorenbuchhaltung)."
            )
    session.add(row)
    session.flush()
    master_data.record(
        session,
        f"binding:{row.id}",
        "binding_pending",
        "system",
        at,
        reason=hint,
        details={"account_id": str(account_id), "vat_id": row.vat_id, "company": row.company}
        | ({"creditor_id": str(creditor_id)} if creditor_id else {}),
    )
    return row


def bindings(
    pipeline: Pipeline, state: str | None = None, creditor_id: int | None = None
) -> list[Binding]:
    """Bindings in the order entered; only ``state``'s, only ``creditor_id``'s when given."""
    with pipeline.sessions() as session:
        query = select(PortalBindingRow).order_by(PortalBindingRow.id)
        if state:
            query = query.where(PortalBindingRow.state == state)
        if creditor_id is not None:
            query = query.where(PortalBindingRow.creditor_id == creditor_id)
        return [_binding(session, r) for r in session.scalars(query)]


def binding(pipeline: Pipeline, binding_id: int) -> Binding:
    with pipeline.sessions() as session:
        row = session.get(PortalBindingRow, binding_id)
        if row is None:
            raise NotFound(f"Die Bindung {binding_id} gibt es nicht.")
        return _binding(session, row)


def _binding(session: Session, row: PortalBindingRow) -> Binding:
    account = session.get(Account, row.account_id)
    creditor = session.get(CreditorRow, row.creditor_id) if row.creditor_id else None
    return Binding(
        id=row.id,
        account_id=row.account_id,
        account=account.username if account else str(row.account_id),
        creditor_id=row.creditor_id,
        creditor_number=creditor.number if creditor else None,
        creditor_name=creditor.name if creditor else None,
        company=row.company,
        vat_id=row.vat_id,
        state=row.state,
        entered_by=row.entered_by,
        decided_by=row.decided_by,
        how=row.how,
    )


ALREADY_DECIDED_BINDING_DE = (
    "Die Bindung {id} wurde gerade von jemand anderem entschieden (bereits entschieden). "
    "Bitte die Seite neu laden."
)


def _guarded(session: Session, binding_id: int, seen: str | None, **values: Any) -> None:
    """Change the pending binding only if nobody decided or entered it since it was read
    (two people at the same moment: the second is refused, never a 500)."""
    done = session.execute(
        update(PortalBindingRow)
        .where(
            PortalBindingRow.id == binding_id,
            PortalBindingRow.state == "pending",
            PortalBindingRow.entered_by.is_(None)
            if seen is None
            else PortalBindingRow.entered_by == seen,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if getattr(done, "rowcount", 0) != 1:
        session.rollback()
        raise CreditorError(ALREADY_DECIDED_BINDING_DE.format(id=binding_id))


def decide_binding(
    pipeline: Pipeline,
    binding_id: int,
    actor: str,
    *,
    confirm: bool,
    how: str,
    creditor_id: int | None = None,
) -> tuple[Binding, Released]:
    """Creditor accounting confirms or refuses a binding (four eyes: not who entered it).

    A binding nobody of creditor accounting entered yet (a supplier's own registration)
    is entered by the first person who confirms it; it stays pending for a second one.
    Confirming while naming a creditor other than the binding's is a proposal: the
    binding stays pending with ``actor`` as who entered it, for a second person to confirm.
    """
    if not how.strip():
        raise BadRequest("Bitte eine Begründung angeben (z. B. wie die Firma bestätigt hat).")
    at = pipeline.clock()
    with pipeline.sessions() as session:
        row = session.get(PortalBindingRow, binding_id)
        if row is None:
            raise NotFound(f"Die Bindung {binding_id} gibt es nicht.")
        if row.state != "pending":
            raise CreditorError(f"Die Bindung {binding_id} ist bereits entschieden.")
        seen = row.entered_by
        if confirm and creditor_id is not None and creditor_id != row.creditor_id:
            load(session, creditor_id)
            _check_not_bound(session, row.account_id, creditor_id, row.id)
            return _enter(session, row, seen, actor, at, how, "binding_proposed", creditor_id)
        if creditor_id is not None:
            load(session, creditor_id)
        wanted = creditor_id if creditor_id is not None else row.creditor_id
        if confirm and wanted is None:
            raise CreditorError(
                "Zu dieser Bindung ist kein Kreditor bekannt: bitte einen Kreditor angeben."
            )
        if confirm and seen == actor:
            raise CreditorError(FOUR_EYES_BINDING_DE.format(who=actor))
        if confirm and wanted is not None:
            _check_not_bound(session, row.account_id, wanted, row.id)
        if confirm and seen is None:  # asked by the supplier: this person enters it
            return _enter(session, row, seen, actor, at, how, "binding_entered", wanted)
        state = "confirmed" if confirm else "refused"
        _guarded(
            session,
            row.id,
            seen,
            creditor_id=wanted,
            state=state,
            decided_by=actor,
            decided_at=at.astimezone(UTC),
            how=how.strip(),
        )
        master_data.record(
            session,
            f"binding:{row.id}",
            f"binding_{state}",
            actor,
            at,
            reason=how.strip(),
            details={"account_id": str(row.account_id), "creditor_id": str(wanted)},
        )
        session.expire(row)
        released = (
            holds.release_answered(session, pipeline, actor, how.strip(), at)
            if confirm
            else Released()
        )
        session.commit()
        return _binding(session, row), released


def _enter(
    session: Session,
    row: PortalBindingRow,
    seen: str | None,
    actor: str,
    at: datetime,
    how: str,
    action: str,
    creditor_id: int | None,
) -> tuple[Binding, Released]:
    """``actor`` enters the pending binding (or names its creditor): a second person confirms."""
    _guarded(session, row.id, seen, creditor_id=creditor_id, entered_by=actor)
    master_data.record(
        session,
        f"binding:{row.id}",
        action,
        actor,
        at,
        reason=how.strip(),
        details={"account_id": str(row.account_id), "creditor_id": str(creditor_id)},
    )
    session.commit()
    session.expire(row)
    return _binding(session, row), Released()


def _check_not_bound(session: Session, account_id: int, creditor_id: int, binding_id: int) -> None:
    if session.scalars(
        select(PortalBindingRow.id).where(
            PortalBindingRow.account_id == account_id,
            PortalBindingRow.creditor_id == creditor_id,
            PortalBindingRow.id != binding_id,
        )
    ).first():
        raise CreditorError("Das Konto ist an diesen Kreditor bereits gebunden.")


def _entered(
    session: Session, row: PortalBindingRow, actor: str, at: datetime, how: str
) -> tuple[Binding, Released]:
    """``actor`` entered the binding ``row`` (pending for a second person): audited, committed."""
    master_data.record(
        session,
        f"binding:{row.id}",
        "binding_entered",
        actor,
        at,
        reason=how.strip(),
        details={"account_id": str(row.account_id), "creditor_id": str(row.creditor_id)},
    )
    session.commit()
    return _binding(session, row), Released()


def bind(
    pipeline: Pipeline,
    account_name: str,
    creditor_ref: str,
    actor: str,
    how: str,
    *,
    confirm_pending: bool = True,
) -> tuple[Binding, Released]:
    """Bind an existing portal account to a creditor (four eyes).

    The first person enters the binding (it stays pending); a second one confirms it,
    here or with :func:`decide_binding`. Who entered it cannot confirm it. With
    ``confirm_pending=False`` (the creditor page's form) a pending binding is not confirmed
    here: :class:`CreditorError` says it waits for its decision on the bindings page.
    """
    if not how.strip():
        raise BadRequest("Bitte eine Begründung angeben (z. B. wie die Firma bestätigt hat).")
    creditor = find(pipeline, creditor_ref)
    at = pipeline.clock()
    with pipeline.sessions() as session:
        account = session.scalars(
            select(Account).where(Account.username == account_name.strip().lower())
        ).first()
        if account is None or account.role != "supplier":
            raise NotFound(f"Ein Lieferantenkonto „{account_name}“ gibt es nicht.")
        existing = session.scalars(
            select(PortalBindingRow).where(
                PortalBindingRow.account_id == account.id,
                PortalBindingRow.creditor_id == creditor.id,
            )
        ).first()
        if existing is None:
            existing = PortalBindingRow(
                account_id=account.id,
                creditor_id=creditor.id,
                company=account.organisation or creditor.name,
                vat_id=next(iter(creditor.vat_ids), ""),
                state="pending",
                requested_at=at.astimezone(UTC),
                entered_by=actor,
            )
            session.add(existing)
            session.flush()
            return _entered(session, existing, actor, at, how)
        if existing.state == "confirmed":
            raise CreditorError(
                f"Das Konto {account.username} ist an {creditor.number} bereits gebunden."
            )
        if existing.state == "refused":  # entered again: pending for a second person
            existing.state, existing.entered_by = "pending", actor
            existing.decided_by = existing.decided_at = existing.how = None
            return _entered(session, existing, actor, at, how)
        if not confirm_pending:
            raise CreditorError(
                f"Die Bindung {existing.id} von {account.username} an {creditor.number} ist "
                "bereits erfasst und wartet auf die Bestätigung durch eine zweite Person "
                "(Seite „Bindungen von Portalkonten“)."
            )
        binding_id = existing.id
    return decide_binding(pipeline, binding_id, actor, confirm=True, how=how)


def labels(session: Session, creditor_ids: Iterable[int]) -> dict[int, str]:
    """``{id: "K-10001 Muster GmbH"}`` for messages."""
    ids = list(set(creditor_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(CreditorRow.id, CreditorRow.number, CreditorRow.name).where(CreditorRow.id.in_(ids))
    )
    return {r.id: f"{r.number} {r.name}" for r in rows}


__all__ = [
    "AccountInput",
    "Binding",
    "CreditorError",
    "CreditorInput",
    "CreditorListing",
    "Released",
    "add_account",
    "add_creditor",
    "bind",
    "binding",
    "bindings",
    "decide_binding",
    "find",
    "history",
    "list_creditors",
    "load",
    "request_binding",
    "save_creditor",
    "verify_account",
]
