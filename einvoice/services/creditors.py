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

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from einvoice.domain.audit import AuditEvent
from einvoice.domain.creditors import (
    Creditor,
    MatchedBy,
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
from einvoice.services.portal_bindings import (
    FOUR_EYES_BINDING_DE,
    Binding,
    bind,
    binding,
    bindings,
    decide_binding,
    request_binding,
)
from einvoice.services.ports import Pipeline
from einvoice.services.workflow_base import BadRequest, NotFound
from einvoice.storage.creditor_tables import (
    CreditorAccountRow,
    CreditorKeyRow,
    CreditorRow,
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
    "FOUR_EYES_BINDING_DE",
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
