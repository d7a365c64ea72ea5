"""Payment holds as services: placed when an invoice is routed, cleared by a second person.

* :func:`place_on_route` (called by ``workflow.route`` in its transaction):
  match the seller to a creditor, record channel and sender, place the holds
  the domain asks for (``holds.assess``, ``holds.duplicate_of``), each an audit
  event in the invoice's chain, and keep the open codes on the workflow row
  (``workflows.holds``: the queue filters by it, the state machine refuses to
  order or export while it is not empty).
* :func:`clear` - a person clears a ``possible-duplicate`` hold with a reason (four
  eyes: not who signed the invoice); the other holds are never cleared by hand.
* :func:`release_answered` - after a bank account was verified or a portal
  binding confirmed by a second person, the holds that this answers are cleared;
  naming the creditor of an unknown supplier is ``creditor_assignment``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from einvoice.domain import holds as rules
from einvoice.domain.audit import AuditEntry, AuditEvent
from einvoice.domain.channels import portal_account_id
from einvoice.domain.creditors import (
    MATCHED_BY_LABELS_DE,
    Creditor,
    Match,
    MatchedBy,
    build_index,
    match,
    normal_iban,
    seller_keys,
)
from einvoice.domain.holds import Hold, HoldCode, Placement
from einvoice.domain.invoice import Invoice as InvoiceModel
from einvoice.services import creditor_records as creditors
from einvoice.services import duplicates
from einvoice.services.ports import Pipeline
from einvoice.services.workflow_base import (
    NotFound,
    Refused,
    append_event,
    aware,
    conflicts_refused,
    last_event,
    now_local,
    ports_of,
    workflow_row,
)
from einvoice.storage.accounts import Account
from einvoice.storage.creditor_tables import (
    CreditorKeyRow,
    CreditorRow,
    HoldRow,
    InvoiceSupplierRow,
)
from einvoice.storage.tables import Document, Invoice, Message, Workflow

HOLD = "hold"
CLEAR_HOLD = "clear_hold"
CLOSED_STATES = duplicates.CLOSED_STATES
FOUR_EYES_ASSIGNMENT_DE = (
    "Vier-Augen-Prinzip: Wer den Kreditor einer Rechnung mit unbekanntem Lieferanten "
    "vorgeschlagen hat, kann die Zuordnung nicht selbst bestätigen und die Sperre "
    "„Lieferant unbekannt“ nicht selbst aufheben. Bitte eine zweite Person der "
    "Kreditorenbuchhaltung bestätigen lassen (einvoice hold assign)."
)


@dataclass(frozen=True, slots=True)
class SupplierView:
    """Who an invoice is from (for the invoice page and JSON)."""

    creditor_id: int | None
    creditor_number: str | None
    creditor_name: str | None
    matched_by: str | None  # creditors.MatchedBy value
    matched_by_label_de: str | None
    proposal_id: int | None
    proposal_label: str | None
    channel: str
    sender: str | None  # the mail address or the portal account that submitted it

    def as_json(self) -> dict[str, object]:
        """``supplier`` in the JSON outputs (CLI, queue list, API): :data:`SUPPLIER_KEYS`."""
        return {
            "creditor_id": self.creditor_id,
            "creditor_number": self.creditor_number,
            "creditor_name": self.creditor_name,
            "matched_by": self.matched_by,
            "channel": self.channel,
            "sender": self.sender,
        }


#: The keys of ``supplier`` and of each of ``holds`` wherever an invoice is JSON (one shape).
SUPPLIER_KEYS = (
    "creditor_id",
    "creditor_number",
    "creditor_name",
    "matched_by",
    "channel",
    "sender",
)
HOLD_KEYS = ("code", "title", "message", "since", "cleared_by", "cleared_at", "clear_reason")


@dataclass(frozen=True, slots=True)
class HoldView:
    """A hold as pages and JSON show it (``code``, ``message``, ``since``, ``cleared_*``)."""

    code: str  # holds.HoldCode value
    message: str  # German: why this invoice is held
    since: datetime
    cleared_by: str | None
    cleared_at: datetime | None
    clear_reason: str | None
    title: str  # German short name (queue marker)
    remedy: str  # German: what clears it

    @property
    def open(self) -> bool:
        return self.cleared_at is None

    def as_json(self) -> dict[str, object]:
        """One of ``holds`` in the JSON outputs: :data:`HOLD_KEYS`, times in ISO 8601."""
        return {
            "code": self.code,
            "title": self.title,
            "message": self.message,
            "since": self.since.isoformat(),
            "cleared_by": self.cleared_by,
            "cleared_at": self.cleared_at.isoformat() if self.cleared_at else None,
            "clear_reason": self.clear_reason,
        }


def view(hold: Hold) -> HoldView:
    return HoldView(
        code=hold.code.value,
        message=hold.message_de,
        since=hold.since,
        cleared_by=hold.cleared_by,
        cleared_at=hold.cleared_at,
        clear_reason=hold.clear_reason,
        title=rules.HOLD_TITLES_DE[hold.code],
        remedy=rules.HOLD_REMEDIES_DE[hold.code],
    )


def views_in(
    session: Session, invoice_ids: Sequence[int], *, open_only: bool
) -> dict[int, tuple[HoldView, ...]]:
    """The holds of several invoices (for lists: ``open_only``)."""
    found: dict[int, list[HoldView]] = {}
    for start in range(0, len(invoice_ids), 500):
        query = select(HoldRow).where(
            HoldRow.invoice_id.in_(list(invoice_ids[start : start + 500]))
        )
        if open_only:
            query = query.where(HoldRow.cleared_at.is_(None))
        for row in session.scalars(query.order_by(HoldRow.id)):
            found.setdefault(row.invoice_id, []).append(view(hold_of(row)))
    return {k: tuple(v) for k, v in found.items()}


def supplier_json(
    data: dict[str, object], holds: Sequence[HoldView], supplier: SupplierView | None
) -> dict[str, object]:
    """A queue item / invoice detail (``dataclasses.asdict``) as JSON: ``supplier`` is the
    matched creditor (:data:`SUPPLIER_KEYS`, all ``null`` when none), ``holds`` have
    :data:`HOLD_KEYS`, the seller's name (BT-27) moves to ``seller_name``."""
    out = dict(data)
    out["seller_name"] = out.pop("supplier", None)
    out.pop("creditor", None)
    out["supplier"] = supplier.as_json() if supplier else dict.fromkeys(SUPPLIER_KEYS)
    out["holds"] = [h.as_json() for h in holds]
    return out


# --- matching ------------------------------------------------------------------------------------


def match_seller(session: Session, model: InvoiceModel) -> tuple[Match | None, dict[int, Creditor]]:
    """The creditor of the invoice's seller (indexed look-ups, never the whole file)."""
    keys = seller_keys(model.seller)
    pairs = [(k.value, v) for k, v in keys.by_kind()]
    ids: set[int] = set()
    if pairs:
        condition = or_(
            *((CreditorKeyRow.kind == k) & (CreditorKeyRow.value == v) for k, v in pairs)
        )
        ids |= set(session.scalars(select(CreditorKeyRow.creditor_id).where(condition)))
    if keys.name:
        ids |= set(
            session.scalars(
                select(CreditorRow.id).where(CreditorRow.name_key == keys.name).limit(20)
            )
        )
    found = {i: creditors.load(session, i) for i in sorted(ids)}
    return match(keys, build_index(found.values())), found


def ibans_of(model: InvoiceModel) -> tuple[str, ...]:
    """BT-84 of every credit transfer (normal form), in order, without repeats."""
    instructions = model.payment_instructions
    if instructions is None:
        return ()
    return tuple(
        dict.fromkeys(
            normal_iban(t.account_identifier)
            for t in instructions.credit_transfers
            if t.account_identifier
        )
    )


def _portal_account(session: Session, message: Message) -> Account | None:
    account_id = portal_account_id(message.channel, message.source)
    return session.get(Account, account_id) if account_id is not None else None


# --- placing -------------------------------------------------------------------------------------


def place_on_route(
    session: Session,
    pipeline: Pipeline,
    row: Workflow,
    model: InvoiceModel,
    previous: AuditEvent | None,
    at: datetime,
) -> AuditEvent | None:
    """Match the seller and place the holds (in the caller's transaction); the last event."""
    invoice = session.get(Invoice, row.invoice_id)
    assert invoice is not None
    document = session.get(Document, invoice.document_id)
    assert document is not None
    message = session.get(Message, document.message_id)
    assert message is not None
    found, candidates = match_seller(session, model)
    account = _portal_account(session, message)
    creditor = candidates[found.creditor_id] if found is not None and not found.proposal else None
    ibans = ibans_of(model)
    session.add(
        InvoiceSupplierRow(
            invoice_id=row.invoice_id,
            creditor_id=creditor.id if creditor else None,
            matched_by=found.matched_by.value if found and not found.proposal else None,
            proposal_id=found.creditor_id if found and found.proposal else None,
            channel=message.channel,
            sender=account.username if account else message.sender,
            portal_account_id=account.id if account else None,
            ibans=",".join(ibans)[:512],
        )
    )
    facts = rules.SupplierFacts(
        creditor_id=creditor.id if creditor else None,
        creditor_label=f"{creditor.number} {creditor.name}" if creditor else None,
        proposal_label=(
            f"{candidates[found.creditor_id].number} {candidates[found.creditor_id].name}"
            if found and found.proposal
            else None
        ),
        seller_name=model.seller.name or "",
        ibans=ibans,
        verified_ibans=frozenset(a.iban for a in creditor.accounts if creditor.payable_to(a.iban))
        if creditor
        else frozenset(),
        portal_account=account.username if account else None,
        bound_creditors=creditors.bound_creditors(session, account.id) if account else frozenset(),
    )
    placements = list(rules.assess(facts))
    window = ports_of(pipeline).duplicate_window_days
    found_now = duplicates.suspect(
        session, invoice, document, row, creditor.id if creditor else None, window
    )
    if found_now.here is not None:
        placements.append(found_now.here)
    for placement in placements:
        previous = place_hold(session, row, placement, previous, at)
    for other_id, placement in found_now.later:  # both directions (issue 21, finding 8)
        other = session.get(Workflow, other_id)
        if other is not None:
            hold_again(session, other, placement, at)
    return previous


def place_hold(
    session: Session, row: Workflow, placement: Placement, previous: AuditEvent | None, at: datetime
) -> AuditEvent:
    session.add(
        HoldRow(
            invoice_id=row.invoice_id,
            code=placement.code.value,
            message_de=placement.message_de,
            since=at.astimezone(UTC),
        )
    )
    _set_open(row, _open_codes(row) | {placement.code.value}, at)
    return append_event(session, row, _entry(row, HOLD, "system", at, placement), previous)


def hold_again(session: Session, row: Workflow, placement: Placement, at: datetime) -> None:
    """Place ``placement`` on the invoice; an open hold of that code gets the new reason
    added, a cleared one is opened again (one row per invoice and code; the earlier
    clearing stays in the audit chain). Each is a ``hold`` event."""
    existing = session.scalars(
        select(HoldRow).where(
            HoldRow.invoice_id == row.invoice_id, HoldRow.code == placement.code.value
        )
    ).first()
    if existing is None:
        place_hold(session, row, placement, last_event(session, row), at)
        return
    if existing.cleared_at is None:
        if placement.message_de in existing.message_de:
            return
        existing.message_de = f"{existing.message_de} {placement.message_de}"
    else:
        existing.message_de, existing.since = placement.message_de, at.astimezone(UTC)
        existing.cleared_by = existing.cleared_at = existing.clear_reason = None
    _set_open(row, _open_codes(row) | {placement.code.value}, at)
    append_event(session, row, _entry(row, HOLD, "system", at, placement), last_event(session, row))


def _entry(
    row: Workflow, action: str, actor: str, at: datetime, placement: Placement, reason: str = ""
) -> AuditEntry:
    return AuditEntry(
        invoice_id=str(row.invoice_id),
        action=action,
        actor=actor,
        at=at,
        from_state=row.status,
        to_state=row.status,
        reason=reason or placement.message_de,
        department=row.department,
        details=(("code", placement.code.value),),
    )


def _open_codes(row: Workflow) -> set[str]:
    return {c for c in (row.holds or "").split(",") if c}


def _set_open(row: Workflow, codes: set[str], at: datetime) -> None:
    row.holds = ",".join(sorted(codes))
    row.updated_at = at.astimezone(UTC)


# --- reading -------------------------------------------------------------------------------------


def hold_of(row: HoldRow) -> Hold:
    return Hold(
        code=HoldCode(row.code),
        message_de=row.message_de,
        since=aware(row.since),
        cleared_by=row.cleared_by,
        cleared_at=aware(row.cleared_at) if row.cleared_at else None,
        clear_reason=row.clear_reason,
    )


def holds_in(session: Session, invoice_id: int) -> list[Hold]:
    rows = session.scalars(
        select(HoldRow).where(HoldRow.invoice_id == invoice_id).order_by(HoldRow.id)
    )
    return [hold_of(r) for r in rows]


def holds_of(pipeline: Pipeline, invoice_id: int) -> list[Hold]:
    with pipeline.sessions() as session:
        return holds_in(session, invoice_id)


def supplier_in(session: Session, invoice_id: int) -> SupplierView | None:
    row = session.get(InvoiceSupplierRow, invoice_id)
    if row is None:
        return None
    creditor = session.get(CreditorRow, row.creditor_id) if row.creditor_id else None
    proposal = session.get(CreditorRow, row.proposal_id) if row.proposal_id else None
    matched = MatchedBy(row.matched_by) if row.matched_by else None
    return SupplierView(
        creditor_id=row.creditor_id,
        creditor_number=creditor.number if creditor else None,
        creditor_name=creditor.name if creditor else None,
        matched_by=matched.value if matched else None,
        matched_by_label_de=MATCHED_BY_LABELS_DE[matched] if matched else None,
        proposal_id=row.proposal_id,
        proposal_label=f"{proposal.number} {proposal.name}" if proposal else None,
        channel=row.channel,
        sender=row.sender,
    )


def supplier_of(pipeline: Pipeline, invoice_id: int) -> SupplierView | None:
    with pipeline.sessions() as session:
        return supplier_in(session, invoice_id)


# --- clearing ------------------------------------------------------------------------------------


def clear_row(
    session: Session,
    row: Workflow,
    hold: HoldRow,
    actor: str,
    reason: str,
    at: datetime,
    *,
    creditor_accounting: bool,
    department_clerk: bool,
    by_hand: bool = True,
) -> rules.ClearRefusal | None:
    """Clear ``hold`` in ``session`` (the caller commits), or why not (``holds.may_clear``).

    ``by_hand=False``: the master data answered the hold (``release_answered``, a creditor
    named by two people); a person clearing it with a reason is ``by_hand``."""
    refusal = rules.may_clear(
        hold_of(hold),
        actor,
        (row.sachlich_by, row.rechnerisch_by, row.ordered_by),
        reason,
        creditor_accounting=creditor_accounting,
        department_clerk=department_clerk,
        by_hand=by_hand,
    )
    if refusal is not None:
        return refusal
    hold.cleared_by, hold.cleared_at, hold.clear_reason = actor, at.astimezone(UTC), reason.strip()
    placement = Placement(HoldCode(hold.code), hold.message_de)
    _set_open(row, _open_codes(row) - {hold.code}, at)
    append_event(
        session,
        row,
        _entry(row, CLEAR_HOLD, actor, at, placement, reason.strip()),
        last_event(session, row),
    )
    return None


ALREADY_DECIDED_DE = (
    "Die Sperre „{title}“ wurde gerade von jemand anderem entschieden (bereits entschieden). "
    "Bitte die Seite neu laden."
)


def clear(
    pipeline: Pipeline,
    invoice_id: int,
    code: str,
    actor: str,
    reason: str,
    *,
    creditor_accounting: bool,
) -> list[Hold]:
    """``actor`` clears the open hold ``code`` of the invoice (Refused with the German reason).

    By hand only ``possible-duplicate``. The holds of ``holds.ANSWERED_BY_MASTER_DATA`` end
    only by the master data (two people): here only when it already answers them (a hold
    kept because the person who verified had signed the invoice), else refused."""
    config = ports_of(pipeline).routing()
    at = now_local(pipeline)
    known = _code(code)
    decided = ALREADY_DECIDED_DE.format(title=rules.HOLD_TITLES_DE[known] if known else code)
    with pipeline.sessions() as session, conflicts_refused(session, decided):
        row = workflow_row(session, invoice_id)
        hold = session.scalars(
            select(HoldRow).where(HoldRow.invoice_id == invoice_id, HoldRow.code == code)
        ).first()
        if hold is None:
            raise NotFound(f"Rechnung {invoice_id} hat keine Sperre „{code}“.")
        dept = config.department(row.department or "")
        clerk = dept is not None and bool(dept.authorities(actor, at.date()))
        # a bank-account or uploader hold kept when its answer came (the person who verified
        # signed the invoice) ends by another person asking again: only if two people answered
        answered = hold.cleared_at is None and answered_by_master_data(session, hold)
        refusal = clear_row(
            session,
            row,
            hold,
            actor,
            reason,
            at,
            creditor_accounting=creditor_accounting,
            department_clerk=clerk,
            by_hand=not answered,
        )
        if refusal is not None:
            raise Refused(refusal.code, refusal.reason_de)
        commit_decision(session, decided)
        return holds_in(session, invoice_id)


def _code(code: str) -> HoldCode | None:
    try:
        return HoldCode(code)
    except ValueError:
        return None


def commit_decision(session: Session, already_decided_de: str) -> None:
    """Commit a decision; when another person's decision on the same thing committed first
    (a stale row version or a taken audit sequence), Refused ``decided`` in German."""
    try:
        session.commit()
    except (StaleDataError, IntegrityError) as exc:
        session.rollback()
        raise Refused("decided", already_decided_de) from exc


def answered_by_master_data(
    session: Session, hold: HoldRow, loaded: dict[int, Creditor] | None = None
) -> bool:
    """True when the master data now answers the bank-account or uploader hold: every IBAN
    of the invoice a creditor's account entered and verified by two people, or the portal
    account bound to the creditor (entered and confirmed by two people)."""
    supplier = session.get(InvoiceSupplierRow, hold.invoice_id)
    if supplier is None or supplier.creditor_id is None:
        return False
    loaded = {} if loaded is None else loaded
    if supplier.creditor_id not in loaded:
        loaded[supplier.creditor_id] = creditors.load(session, supplier.creditor_id)
    creditor = loaded[supplier.creditor_id]
    if hold.code == HoldCode.BANK_ACCOUNT_UNVERIFIED.value:
        return all(creditor.payable_to(i) for i in supplier.ibans.split(",") if i)
    if hold.code == HoldCode.UPLOADER_NOT_SELLER.value:
        return supplier.portal_account_id is not None and creditor.id in (
            creditors.bound_creditors(session, supplier.portal_account_id)
        )
    return False


def release_answered(
    session: Session,
    pipeline: Pipeline,
    actor: str,
    reason: str,
    at: datetime,
    invoice_ids: Sequence[int] | None = None,
) -> creditors.Released:
    """Clear the open bank-account and uploader holds the master data now answers."""
    session.flush()
    query = select(HoldRow).where(
        HoldRow.cleared_at.is_(None),
        HoldRow.code.in_(
            (HoldCode.BANK_ACCOUNT_UNVERIFIED.value, HoldCode.UPLOADER_NOT_SELLER.value)
        ),
    )
    if invoice_ids is not None:
        query = query.where(HoldRow.invoice_id.in_(invoice_ids))
    released: list[int] = []
    kept: list[tuple[int, str]] = []
    loaded: dict[int, Creditor] = {}
    for hold in session.scalars(query.order_by(HoldRow.id)).all():
        if not answered_by_master_data(session, hold, loaded):
            continue
        row = session.get(Workflow, hold.invoice_id)
        if row is None:
            continue
        refusal = clear_row(
            session,
            row,
            hold,
            actor,
            reason,
            at,
            creditor_accounting=True,
            department_clerk=False,
            by_hand=False,
        )
        if refusal is None:
            released.append(hold.invoice_id)
        else:
            kept.append((hold.invoice_id, refusal.reason_de))
    return creditors.Released(tuple(released), tuple(kept))


def suppliers_in(session: Session, invoice_ids: Sequence[int]) -> dict[int, SupplierView]:
    """The supplier views of several invoices (one query per 500, for lists)."""
    found: dict[int, SupplierView] = {}
    for start in range(0, len(invoice_ids), 500):
        chunk = list(invoice_ids[start : start + 500])
        query = (
            select(InvoiceSupplierRow, CreditorRow.number, CreditorRow.name)
            .outerjoin(CreditorRow, CreditorRow.id == InvoiceSupplierRow.creditor_id)
            .where(InvoiceSupplierRow.invoice_id.in_(chunk))
        )
        for row, number, name in session.execute(query):
            matched = MatchedBy(row.matched_by) if row.matched_by else None
            found[row.invoice_id] = SupplierView(
                creditor_id=row.creditor_id,
                creditor_number=number,
                creditor_name=name,
                matched_by=matched.value if matched else None,
                matched_by_label_de=MATCHED_BY_LABELS_DE[matched] if matched else None,
                proposal_id=row.proposal_id,
                proposal_label=None,
                channel=row.channel,
                sender=row.sender,
            )
    return found
