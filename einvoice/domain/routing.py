"""Routing: which department's approval queue an invoice goes to, and who may approve there.

The configuration (:class:`RoutingConfig`, read from TOML by
``einvoice.routing_config``) names the city's departments (Ämter), the
people working in them with their roles and amount limits, deputies
(Vertretung) with date ranges, the thresholds above which a higher level must
order the payment, the routing rules and the central fallback queue
(Rechnungseingang).

:func:`route` is pure: it looks at a few facts of the invoice
(:class:`RoutingFacts`: BT-10 Leitweg-ID, BT-13 order reference, BT-19
accounting reference, seller identifiers) and returns a
:class:`RoutingDecision` that records which rule matched, or that the fallback
queue was chosen and why.

Rule order: every rule has a ``priority``; rules are tried in ascending
priority, ties in the order they were written, and the first rule whose
criteria *all* match wins. A department's own Leitweg-IDs and cost centres act
as implicit rules with the priorities :data:`COST_CENTRE_PRIORITY` and
:data:`LEITWEG_PRIORITY`; explicit rules default to :data:`DEFAULT_PRIORITY`
(before them) and may be given a larger number to act as catch-alls after them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from einvoice.domain.leitweg import LeitwegId, LeitwegProblem, parse_leitweg_id

if TYPE_CHECKING:
    from einvoice.domain.invoice import Invoice

#: Default priority of an explicit rule (tried before the implicit ones).
DEFAULT_PRIORITY = 100
#: Priority of the implicit rules "BT-19 equals one of the department's cost centres".
COST_CENTRE_PRIORITY = 500
#: Priority of the implicit rules "BT-10 equals one of the department's Leitweg-IDs".
LEITWEG_PRIORITY = 1000


class Role(StrEnum):
    """What a person may do in a department's queue (see ``approval.ALLOWED_ROLES``)."""

    CLERK = "clerk"  # Sachbearbeitung: sachlich / rechnerisch richtig, Weiterleitung
    APPROVER = "approver"  # Anordnungsbefugnis (with an amount limit)
    DEPARTMENT_ADMIN = "department_admin"  # manages the queue: weiterleiten, zurückweisen
    SYSTEM = "system"  # the pipeline itself: validated, routed, exported


@dataclass(frozen=True, slots=True)
class Person:
    """Someone who works with invoices (id = login name)."""

    id: str
    name: str
    email: str | None = None


@dataclass(frozen=True, slots=True)
class Membership:
    """A person's place in one department: roles, amount limit, approval level."""

    person: str  # Person.id
    roles: frozenset[Role]
    limit: Decimal = Decimal(0)  # highest amount this person may order (Anordnung), EUR
    level: int = 1  # approval level; higher levels are required above the thresholds


@dataclass(frozen=True, slots=True)
class Deputy:
    """``deputy`` acts for the absent ``absent`` from ``start`` to ``end`` (both inclusive)."""

    absent: str  # Person.id of the person represented
    deputy: str  # Person.id of the person acting
    start: date
    end: date

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True, slots=True)
class Authority:
    """The right a person exercises in a department: their own, or a represented person's."""

    person: str  # who acts (the natural person)
    membership: Membership  # whose roles, limit and level apply
    acting_for: str | None = None  # set when acting as deputy for this person


@dataclass(frozen=True, slots=True)
class Department:
    """An office (Amt) with its approval queue."""

    key: str  # e.g. "amt-10"
    name: str  # e.g. "Amt 10 - Hauptamt"
    leitweg_ids: tuple[LeitwegId, ...] = ()
    cost_centres: tuple[str, ...] = ()  # Kostenstellen, matched against BT-19
    members: tuple[Membership, ...] = ()
    deputies: tuple[Deputy, ...] = ()
    email: str | None = None  # the queue's mailbox for notifications

    def membership(self, person: str) -> Membership | None:
        return next((m for m in self.members if m.person == person), None)

    def authorities(self, person: str, day: date) -> tuple[Authority, ...]:
        """What ``person`` may exercise here on ``day``: own membership, then deputyships."""
        found: list[Authority] = []
        own = self.membership(person)
        if own is not None:
            found.append(Authority(person, own))
        for deputy in self.deputies:
            if deputy.deputy == person and deputy.covers(day):
                represented = self.membership(deputy.absent)
                if represented is not None:
                    found.append(Authority(person, represented, acting_for=deputy.absent))
        return tuple(found)


class Criterion(StrEnum):
    """The kinds of facts a rule can look at."""

    LEITWEG_ID = "leitweg_id"  # BT-10 equals (canonical form)
    LEITWEG_PREFIX = "leitweg_prefix"  # BT-10 (canonical form) starts with
    ORDER_REFERENCE = "order_reference"  # BT-13 matches the regex (whole text)
    ACCOUNTING_REFERENCE = "accounting_reference"  # BT-19 matches the regex (whole text)
    ACCOUNTING_PREFIX = "accounting_prefix"  # BT-19 starts with
    SELLER_ID = "seller_id"  # one of the seller's identifiers equals (spaces ignored)


CRITERION_LABELS_DE: dict[Criterion, str] = {
    Criterion.LEITWEG_ID: "Leitweg-ID (BT-10)",
    Criterion.LEITWEG_PREFIX: "Anfang der Leitweg-ID (BT-10)",
    Criterion.ORDER_REFERENCE: "Bestellreferenz (BT-13)",
    Criterion.ACCOUNTING_REFERENCE: "Buchungsreferenz (BT-19)",
    Criterion.ACCOUNTING_PREFIX: "Anfang der Buchungsreferenz (BT-19)",
    Criterion.SELLER_ID: "Kennung des Verkäufers (BT-29/BT-30/BT-31/BT-32)",
}


@dataclass(frozen=True, slots=True)
class RoutingRule:
    """A rule: when all given criteria match, the invoice goes to ``department``.

    Regexes must match the whole reference (``fullmatch``); prefixes and ids
    are compared in the normalised form of :func:`normalise_id` (Leitweg-IDs:
    their canonical upper-case form).
    """

    name: str
    department: str  # Department.key
    priority: int = DEFAULT_PRIORITY
    leitweg_id: str | None = None
    leitweg_prefix: str | None = None
    order_reference: re.Pattern[str] | None = None
    accounting_reference: re.Pattern[str] | None = None
    accounting_prefix: str | None = None
    seller_id: str | None = None
    description: str | None = None  # why the rule exists (shown to the Rechnungseingang)
    implicit: bool = False  # made from a department's Leitweg-IDs or cost centres

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        values = {
            Criterion.LEITWEG_ID: self.leitweg_id,
            Criterion.LEITWEG_PREFIX: self.leitweg_prefix,
            Criterion.ORDER_REFERENCE: self.order_reference,
            Criterion.ACCOUNTING_REFERENCE: self.accounting_reference,
            Criterion.ACCOUNTING_PREFIX: self.accounting_prefix,
            Criterion.SELLER_ID: self.seller_id,
        }
        return tuple(c for c, v in values.items() if v is not None)

    def matches(self, facts: RoutingFacts, leitweg: LeitwegId | None) -> bool:
        """All criteria match (a rule without criteria never matches)."""
        checks = list(self._checks(facts, leitweg))
        return bool(checks) and all(checks)

    def _checks(self, facts: RoutingFacts, leitweg: LeitwegId | None) -> Iterator[bool]:
        if self.leitweg_id is not None:
            yield leitweg is not None and leitweg.text == normalise_id(self.leitweg_id)
        if self.leitweg_prefix is not None:
            yield leitweg is not None and leitweg.text.startswith(normalise_id(self.leitweg_prefix))
        if self.order_reference is not None:
            order = (facts.order_reference or "").strip()
            yield bool(order) and self.order_reference.fullmatch(order) is not None
        if self.accounting_reference is not None:
            account = (facts.accounting_reference or "").strip()
            yield bool(account) and self.accounting_reference.fullmatch(account) is not None
        if self.accounting_prefix is not None:
            account = (facts.accounting_reference or "").strip()
            yield bool(account) and account.startswith(self.accounting_prefix)
        if self.seller_id is not None:
            wanted = normalise_id(self.seller_id)
            yield any(normalise_id(s) == wanted for s in facts.seller_ids)


@dataclass(frozen=True, slots=True)
class Buyer:
    """The administration as the buyer (BG-7) of the invoices its portal's form writes."""

    name: str  # BT-44
    street: str  # BT-50
    post_code: str  # BT-53
    city: str  # BT-52
    electronic_address: str  # BT-49 (scheme EM)
    country_code: str = "DE"  # BT-55
    additional_street: str = ""  # BT-51
    vat_id: str = ""  # BT-48


@dataclass(frozen=True, slots=True)
class LevelThreshold:
    """Above ``above`` (EUR, exclusive) the payment must be ordered by ``level`` or higher."""

    above: Decimal
    level: int


@dataclass(frozen=True, slots=True)
class RoutingConfig:
    """The whole routing and approval configuration of the city (immutable)."""

    departments: tuple[Department, ...]
    fallback_department: str  # key of the central queue (Rechnungseingang)
    rules: tuple[RoutingRule, ...] = ()  # explicit rules as written
    people: tuple[Person, ...] = ()
    thresholds: tuple[LevelThreshold, ...] = ()
    version: int = 1
    name: str = ""  # e.g. "Stadt Musterstadt"
    buyer: Buyer | None = None  # the buyer the portal's form writes (issue 26)

    def department(self, key: str) -> Department | None:
        return next((d for d in self.departments if d.key == key), None)

    def person(self, person_id: str) -> Person | None:
        return next((p for p in self.people if p.id == person_id), None)

    def required_level(self, amount: Decimal) -> int:
        """The approval level needed to order ``amount`` (its absolute value), at least 1."""
        size = abs(amount)
        return max((t.level for t in self.thresholds if size > t.above), default=1)

    def all_rules(self) -> tuple[RoutingRule, ...]:
        """Explicit and implicit rules in the order :func:`route` tries them."""
        implicit: list[RoutingRule] = []
        for dept in self.departments:
            implicit.extend(
                RoutingRule(
                    name=f"{dept.key}:kostenstelle:{centre}",
                    department=dept.key,
                    priority=COST_CENTRE_PRIORITY,
                    accounting_reference=re.compile(re.escape(centre)),
                    implicit=True,
                )
                for centre in dept.cost_centres
            )
        for dept in self.departments:
            implicit.extend(
                RoutingRule(
                    name=f"{dept.key}:leitweg-id:{lid.text}",
                    department=dept.key,
                    priority=LEITWEG_PRIORITY,
                    leitweg_id=lid.text,
                    implicit=True,
                )
                for lid in dept.leitweg_ids
            )
        ordered = [*self.rules, *implicit]
        return tuple(
            rule for _, rule in sorted(enumerate(ordered), key=lambda p: (p[1].priority, p[0]))
        )


@dataclass(frozen=True, slots=True)
class RoutingFacts:
    """What routing looks at, taken from the canonical invoice."""

    buyer_reference: str | None = None  # BT-10 (the Leitweg-ID)
    order_reference: str | None = None  # BT-13 purchase order reference
    accounting_reference: str | None = None  # BT-19 buyer accounting reference
    seller_ids: tuple[str, ...] = ()  # BT-31 VAT id, BT-32, BT-29 ids, BT-30


@dataclass(frozen=True, slots=True)
class RoutingDecision:
    """Where an invoice goes and why."""

    department: str  # Department.key
    rule: str | None  # name of the matching rule; None when the fallback was chosen
    criteria: tuple[Criterion, ...]  # what the matching rule looked at
    reason_de: str  # for the audit trail and the queue view
    reason_en: str
    leitweg_id: LeitwegId | None = None  # BT-10 when it is a valid Leitweg-ID
    leitweg_problem: LeitwegProblem | None = None  # why BT-10 is not a valid Leitweg-ID
    fallback: bool = False


def normalise_id(value: str) -> str:
    """Identifiers compared without white space and case: ``de 123 456 789`` = ``DE123456789``."""
    return "".join(value.split()).upper()


def facts_from_invoice(inv: Invoice) -> RoutingFacts:
    """The routing facts of a canonical invoice."""
    seller = inv.seller
    ids: list[str] = []
    for value in (
        seller.vat_identifier,  # BT-31
        seller.tax_registration_identifier,  # BT-32
        *(i.value for i in seller.identifiers),  # BT-29
        seller.legal_registration.value if seller.legal_registration else None,  # BT-30
    ):
        if value and value.strip() and value not in ids:
            ids.append(value)
    return RoutingFacts(
        buyer_reference=inv.buyer_reference,
        order_reference=inv.purchase_order_reference,
        accounting_reference=inv.buyer_accounting_reference,
        seller_ids=tuple(ids),
    )


def route(facts: RoutingFacts, config: RoutingConfig) -> RoutingDecision:
    """The department for an invoice: the first matching rule, else the fallback queue."""
    parsed = parse_leitweg_id(facts.buyer_reference)
    leitweg = parsed if isinstance(parsed, LeitwegId) else None
    problem = parsed if isinstance(parsed, LeitwegProblem) else None
    for rule in config.all_rules():
        if rule.matches(facts, leitweg):
            dept = config.department(rule.department)
            dept_name = dept.name if dept is not None else rule.department
            return RoutingDecision(
                department=rule.department,
                rule=rule.name,
                criteria=rule.criteria,
                reason_de=_match_reason_de(rule, facts, dept_name),
                reason_en=f"Rule '{rule.name}' matched on {', '.join(rule.criteria)}.",
                leitweg_id=leitweg,
                leitweg_problem=problem,
            )
    return RoutingDecision(
        department=config.fallback_department,
        rule=None,
        criteria=(),
        reason_de=_fallback_reason_de(leitweg, problem),
        reason_en=_fallback_reason_en(leitweg, problem),
        leitweg_id=leitweg,
        leitweg_problem=problem,
        fallback=True,
    )


def _match_reason_de(rule: RoutingRule, facts: RoutingFacts, dept_name: str) -> str:
    if rule.implicit and rule.leitweg_id is not None:
        return f"Die Leitweg-ID {rule.leitweg_id} (BT-10) gehört zu {dept_name}."
    if rule.implicit:
        return (
            f"Die Buchungsreferenz (BT-19) {(facts.accounting_reference or '').strip()} ist "
            f"eine Kostenstelle von {dept_name}."
        )
    labels = ", ".join(CRITERION_LABELS_DE[c] for c in rule.criteria)
    why = f" – {rule.description}" if rule.description else ""
    return f"Regel „{rule.name}“ passt ({labels}): {dept_name}{why}."


def _fallback_reason_de(leitweg: LeitwegId | None, problem: LeitwegProblem | None) -> str:
    head = "Keine Regel passt; die Rechnung geht an den zentralen Rechnungseingang."
    if problem is not None:
        return f"{head} {problem.message_de}"
    assert leitweg is not None
    return f"{head} Die Leitweg-ID '{leitweg.text}' ist keiner Dienststelle zugeordnet."


def _fallback_reason_en(leitweg: LeitwegId | None, problem: LeitwegProblem | None) -> str:
    head = "No rule matched; the invoice goes to the central queue."
    if problem is not None:
        return f"{head} {problem.message_en}"
    assert leitweg is not None
    return f"{head} The Leitweg-ID '{leitweg.text}' is not assigned to any department."


__all__ = [
    "COST_CENTRE_PRIORITY",
    "CRITERION_LABELS_DE",
    "DEFAULT_PRIORITY",
    "LEITWEG_PRIORITY",
    "Authority",
    "Criterion",
    "Department",
    "Deputy",
    "LevelThreshold",
    "Membership",
    "Person",
    "Role",
    "RoutingConfig",
    "RoutingDecision",
    "RoutingFacts",
    "RoutingRule",
    "facts_from_invoice",
    "normalise_id",
    "route",
]
