"""Portal bindings (a supplier account may submit for a creditor) as services, four eyes.

Each binding is entered by one person of creditor accounting and confirmed by a second;
a supplier's own registration (:func:`request_binding`) counts as entered by nobody, so
two people still confirm it. Two decisions at the same moment: the second is refused
("bereits entschieden", a guarded update), never a 500. Confirming releases the
``uploader-not-seller`` holds it answers (``holds.release_answered``).
Re-exported by ``creditors``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from einvoice.domain.creditors import MatchedBy, email_domain, normal_id
from einvoice.services import holds, master_data
from einvoice.services.creditor_records import EMAIL, CreditorError, Released, find, load
from einvoice.services.ports import Pipeline
from einvoice.services.workflow_base import BadRequest, NotFound
from einvoice.storage.accounts import Account
from einvoice.storage.creditor_tables import CreditorKeyRow, CreditorRow, PortalBindingRow

FOUR_EYES_BINDING_DE = (
    "Vier-Augen-Prinzip: Wer eine Bindung erfasst oder ihren Kreditor benannt hat ({who}), "
    "kann sie nicht selbst bestätigen. Bitte eine zweite Person der Kreditorenbuchhaltung "
    "bestätigen lassen."
)


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


__all__ = [
    "FOUR_EYES_BINDING_DE",
    "Binding",
    "bind",
    "binding",
    "bindings",
    "decide_binding",
    "request_binding",
]
