"""An example portfolio of the (invented) city of Musterstadt, for the demo and tests.

The offices are the departments of the routing configuration
(``samples/routing.toml``) plus units without invoices of their own (the
Stabsstelle, the personnel and organisation office, the citizens' office).
Projects, needs, risks, milestones and decisions are invented but typical of a
mid-size German city; the E-Rechnung project is in its test phase. Demands and
capacities are laid out over the four quarters after ``today``, so the
prioritisation always has something to plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from einvoice.domain.portfolio import (
    Body,
    Demand,
    Level,
    Office,
    Phase,
    PhaseChange,
    PortfolioError,
    Project,
    Quarter,
)
from einvoice.services import portfolio as service
from einvoice.services.metrics import SessionSource

STABSSTELLE = "stabsstelle-dig"
EXTRA_OFFICES: dict[str, str] = {
    STABSSTELLE: "Stabsstelle Zentrale Steuerung und Verwaltungsdigitalisierung",
    "amt-11": "Amt 11 – Personal- und Organisationsamt",
    "amt-33": "Amt 33 – Bürgeramt",
}
#: The departments of samples/routing.toml (used when no configuration is given).
ROUTING_OFFICES: dict[str, str] = {
    "rechnungseingang": "Zentraler Rechnungseingang (Stadtkasse)",
    "amt-10": "Amt 10 – Hauptamt",
    "amt-12": "Amt 12 – Amt für Datenverarbeitung",
    "amt-20": "Amt 20 – Kämmerei",
    "amt-32": "Amt 32 – Ordnungsamt",
    "amt-37": "Amt 37 – Feuerwehr",
    "amt-40": "Amt 40 – Schulverwaltungsamt",
    "amt-42": "Amt 42 – Stadtbibliothek",
    "amt-50": "Amt 50 – Sozialamt",
    "amt-51": "Amt 51 – Jugendamt",
    "amt-63": "Amt 63 – Bauordnungsamt",
    "amt-65": "Amt 65 – Gebäudewirtschaft",
    "amt-66": "Amt 66 – Tiefbauamt",
    "amt-67": "Amt 67 – Grünflächenamt",
}
#: person-days per quarter each office can give to digitalisation projects
CAPACITY: dict[str, int] = {
    STABSSTELLE: 200,
    "amt-12": 160,
    "amt-10": 50,
    "amt-11": 30,
    "amt-20": 45,
    "amt-33": 40,
    "amt-32": 15,
    "amt-37": 20,
    "amt-40": 35,
    "amt-42": 10,
    "amt-50": 30,
    "amt-51": 15,
    "amt-63": 25,
    "amt-65": 30,
    "amt-66": 25,
    "amt-67": 15,
}


@dataclass(frozen=True)
class _Plan:
    project: Project
    per_quarter: Mapping[str, tuple[int, int, int, int]]  # office -> PT in Q1..Q4


def _history(key: str, *steps: tuple[Phase, date, str]) -> tuple[PhaseChange, ...]:
    changes, before = [], None
    for phase, on, decided_by in steps:
        changes.append(PhaseChange(key, before, phase, on, "", decided_by))
        before = phase
    return tuple(changes)


def _plans() -> list[_Plan]:
    iv = "IV-Beirat"
    return [
        _Plan(
            Project(
                "e-rechnung",
                "E-Rechnung: elektronischer Rechnungseingang und Freigabe",
                Phase.TESTPHASE,
                STABSSTELLE,
                ("amt-20", "amt-12", "amt-10", "amt-65", "amt-66", "amt-40", "amt-37", "amt-50"),
                "Empfang, Prüfung und Weiterleitung von XRechnung und ZUGFeRD, digitale "
                "Freigabe (sachlich/rechnerisch richtig, Anordnung) und Übergabe an die Kasse.",
                benefit=5,
                legal_obligation=5,
                urgency=5,
                legal_basis="E-Rechnungsverordnung des Landes, Richtlinie 2014/55/EU",
                history=_history(
                    "e-rechnung",
                    (Phase.BEDARF, date(2023, 5, 15), "Bedarfsmeldung der Kämmerei"),
                    (Phase.KONZEPTION, date(2023, 11, 8), "IV-Beirat vom 08.11.2023"),
                    (Phase.TESTPHASE, date(2025, 12, 1), "IV-Beirat vom 12.11.2025"),
                ),
            ),
            {
                STABSSTELLE: (50, 40, 30, 20),
                "amt-12": (40, 30, 20, 15),
                "amt-20": (25, 20, 15, 10),
                "amt-65": (10, 10, 5, 0),
                "amt-50": (8, 8, 4, 0),
            },
        ),
        _Plan(
            Project(
                "behoerdenpostfach",
                "Behördenpostfach und sichere elektronische Kommunikation",
                Phase.KONZEPTION,
                "amt-12",
                ("amt-10", "amt-32", "amt-63", STABSSTELLE),
                "Elektronischer Rechtsverkehr mit Gerichten, Anwälten und Bürgern über ein "
                "zentrales Behördenpostfach mit Anbindung an die E-Akte.",
                benefit=4,
                legal_obligation=4,
                urgency=4,
                legal_basis="E-Government-Gesetz des Landes, § 130a ZPO",
                history=_history(
                    "behoerdenpostfach",
                    (Phase.BEDARF, date(2024, 9, 2), "Bedarfsmeldung des Ordnungsamts"),
                    (Phase.KONZEPTION, date(2026, 3, 18), iv),
                ),
            ),
            {"amt-12": (30, 35, 25, 10), STABSSTELLE: (20, 20, 10, 5), "amt-10": (10, 10, 5, 5)},
        ),
        _Plan(
            Project(
                "ozg-buergeramt",
                "OZG-Onlinedienste im Bürgeramt mit Fachverfahrensanbindung",
                Phase.PILOT,
                "amt-33",
                ("amt-12", STABSSTELLE),
                "Melde- und Ausweisanträge online, Ende-zu-Ende digital bis ins Fachverfahren.",
                benefit=5,
                legal_obligation=5,
                urgency=4,
                legal_basis="Onlinezugangsgesetz (OZG 2.0)",
                history=_history(
                    "ozg-buergeramt",
                    (Phase.BEDARF, date(2023, 8, 1), "Bedarfsmeldung des Bürgeramts"),
                    (Phase.KONZEPTION, date(2024, 1, 17), iv),
                    (Phase.TESTPHASE, date(2025, 4, 2), iv),
                    (Phase.PILOT, date(2026, 5, 6), iv),
                ),
            ),
            {"amt-33": (25, 20, 15, 10), "amt-12": (25, 20, 15, 10), STABSSTELLE: (15, 10, 10, 5)},
        ),
        _Plan(
            Project(
                "e-akte",
                "E-Akte in der Kernverwaltung",
                Phase.ROLLOUT,
                "amt-10",
                ("amt-11", "amt-12", "amt-20", "amt-32", STABSSTELLE),
                "Dokumentenmanagement und elektronische Akte, schrittweise je Amt.",
                benefit=4,
                legal_obligation=3,
                urgency=3,
                legal_basis="E-Government-Gesetz des Landes",
                history=_history(
                    "e-akte",
                    (Phase.BEDARF, date(2021, 3, 1), "Organisationsuntersuchung"),
                    (Phase.KONZEPTION, date(2021, 9, 15), iv),
                    (Phase.PILOT, date(2023, 2, 1), iv),
                    (Phase.ROLLOUT, date(2024, 6, 12), iv),
                ),
            ),
            {
                "amt-10": (20, 20, 15, 15),
                "amt-12": (25, 25, 20, 20),
                "amt-11": (10, 10, 10, 10),
                STABSSTELLE: (10, 10, 5, 5),
            },
        ),
        _Plan(
            Project(
                "bauantrag-digital",
                "Digitaler Bauantrag (Bauportal)",
                Phase.BEDARF,
                "amt-63",
                ("amt-12", "amt-66", "amt-67", STABSSTELLE),
                "Bauanträge online einreichen und digital mit den Fachämtern abstimmen.",
                benefit=4,
                legal_obligation=4,
                urgency=3,
                legal_basis="OZG, Landesbauordnung",
                history=_history(
                    "bauantrag-digital",
                    (Phase.BEDARF, date(2025, 10, 6), "Bedarfsmeldung Bauordnungsamt"),
                ),
            ),
            {
                "amt-63": (0, 20, 25, 20),
                "amt-12": (0, 25, 30, 20),
                STABSSTELLE: (0, 15, 15, 10),
                "amt-66": (0, 5, 5, 5),
            },
        ),
        _Plan(
            Project(
                "sozialleistungen-digital",
                "Digitale Antragsbearbeitung Sozialleistungen",
                Phase.BEDARF,
                "amt-50",
                ("amt-51", "amt-12", "amt-33", STABSSTELLE),
                "Wohngeld, Bildung und Teilhabe und Hilfe zum Lebensunterhalt digital "
                "beantragen und bearbeiten.",
                benefit=5,
                legal_obligation=4,
                urgency=4,
                legal_basis="OZG 2.0, SGB I § 36a",
                history=_history(
                    "sozialleistungen-digital",
                    (Phase.BEDARF, date(2025, 6, 23), "Bedarfsmeldung Sozialamt"),
                ),
            ),
            {
                "amt-50": (30, 40, 40, 40),
                "amt-12": (40, 50, 50, 40),
                "amt-51": (10, 15, 15, 15),
                STABSSTELLE: (30, 30, 30, 20),
            },
        ),
        _Plan(
            Project(
                "schulverwaltung-digital",
                "Digitale Schulverwaltung und Medienentwicklungsplan",
                Phase.BEDARF,
                "amt-40",
                ("amt-12",),
                "Einheitliche Schulverwaltungssoftware und Geräteverwaltung für 24 Schulen.",
                benefit=3,
                legal_obligation=2,
                urgency=3,
                legal_basis="DigitalPakt Schule",
                history=_history(
                    "schulverwaltung-digital",
                    (Phase.BEDARF, date(2025, 2, 10), "Bedarfsmeldung Schulverwaltungsamt"),
                ),
            ),
            {"amt-40": (20, 20, 15, 10), "amt-12": (20, 20, 15, 10)},
        ),
        _Plan(
            Project(
                "baumkataster",
                "Digitales Baum- und Grünflächenkataster",
                Phase.BEDARF,
                "amt-67",
                ("amt-66",),
                "Baumkontrollen mobil erfassen, Verkehrssicherungspflicht dokumentieren.",
                benefit=3,
                legal_obligation=3,
                urgency=2,
                legal_basis="Verkehrssicherungspflicht",
                history=_history(
                    "baumkataster",
                    (Phase.BEDARF, date(2025, 11, 3), "Bedarfsmeldung Grünflächenamt"),
                ),
            ),
            {"amt-67": (10, 10, 5, 0), "amt-66": (5, 5, 0, 0), "amt-12": (5, 5, 0, 0)},
        ),
        _Plan(
            Project(
                "feuerwehr-einsatzmittel",
                "Geräte- und Fahrzeugverwaltung Feuerwehr",
                Phase.BEDARF,
                "amt-37",
                ("amt-12",),
                "Prüffristen, Wartung und Bestand der Einsatzmittel digital führen.",
                benefit=3,
                legal_obligation=2,
                urgency=3,
                legal_basis="DGUV Vorschrift 49",
                history=_history(
                    "feuerwehr-einsatzmittel",
                    (Phase.BEDARF, date(2026, 1, 20), "Bedarfsmeldung Feuerwehr"),
                ),
            ),
            {"amt-37": (10, 10, 5, 0), "amt-12": (10, 10, 5, 0)},
        ),
        _Plan(
            Project(
                "ratsinformation",
                "Ratsinformationssystem und digitale Gremienarbeit",
                Phase.REGELBETRIEB,
                "amt-10",
                (STABSSTELLE,),
                "Sitzungsdienst, Vorlagen und Tablets für die Ratsmitglieder.",
                benefit=3,
                legal_obligation=2,
                urgency=2,
                legal_basis="Gemeindeordnung",
                history=_history(
                    "ratsinformation",
                    (Phase.BEDARF, date(2020, 5, 1), "Ratsbeschluss"),
                    (Phase.ROLLOUT, date(2021, 9, 1), iv),
                    (Phase.REGELBETRIEB, date(2022, 6, 30), iv),
                ),
            ),
            {},
        ),
        _Plan(
            Project(
                "chatbot",
                "Chatbot für Bürgeranfragen",
                Phase.EINGESTELLT,
                STABSSTELLE,
                ("amt-33",),
                "Automatische Antworten auf häufige Fragen auf der Website der Stadt.",
                benefit=2,
                legal_obligation=0,
                urgency=1,
                history=_history(
                    "chatbot",
                    (Phase.BEDARF, date(2023, 6, 1), "Stabsstelle"),
                    (Phase.KONZEPTION, date(2023, 10, 4), iv),
                    (Phase.EINGESTELLT, date(2024, 2, 21), "Verwaltungsvorstand vom 21.02.2024"),
                ),
            ),
            {},
        ),
    ]


def seed_portfolio(
    source: SessionSource,
    today: date,
    office_names: Mapping[str, str] | None = None,
) -> int:
    """Write the example portfolio into an empty portfolio; the number of projects.

    ``office_names``: the departments of the routing configuration (default: the
    ones of ``samples/routing.toml``).
    """
    if not service.is_empty(source):
        raise PortfolioError(
            "Das Portfolio enthält bereits Projekte; das Beispiel wird nur in ein leeres "
            "Portfolio geschrieben."
        )
    names = {**(office_names or ROUTING_OFFICES), **EXTRA_OFFICES}
    service.save_offices(source, [Office(k, v) for k, v in names.items()])
    quarters = service.planning_quarters(today)
    for office, days in CAPACITY.items():
        if office in names:
            for quarter in quarters:
                service.set_capacity(source, office, quarter, Decimal(days))
    plans = _plans()
    for plan in plans:
        demands = tuple(
            Demand(office, quarter, Decimal(days))
            for office, per in plan.per_quarter.items()
            for quarter, days in zip(quarters, per, strict=True)
            if days and office in names
        )
        project = replace(plan.project, demands=demands)
        service.add_project(source, project, plan.project.history[0].on)
    _needs(source, today)
    _risks_and_milestones(source, today)
    _decisions(source)
    return len(plans)


def _needs(source: SessionSource, today: date) -> None:
    needs = [
        ("Rechnungen digital prüfen und freigeben", "amt-20", date(2023, 5, 15), "e-rechnung"),
        ("Papierrechnungen der Schulen reduzieren", "amt-40", date(2023, 9, 4), "e-rechnung"),
        ("Gerichtspost elektronisch empfangen", "amt-32", date(2024, 9, 2), "behoerdenpostfach"),
        ("Bauantragsunterlagen digital annehmen", "amt-63", date(2025, 10, 6), "bauantrag-digital"),
        ("Wohngeldanträge online", "amt-50", date(2025, 6, 23), "sozialleistungen-digital"),
        ("Online-Termine und Anträge im Bürgeramt", "amt-33", date(2023, 8, 1), "ozg-buergeramt"),
        (
            "Einheitliche Software für die Schulsekretariate",
            "amt-40",
            date(2025, 2, 10),
            "schulverwaltung-digital",
        ),
        ("Baumkontrolle mit Tablet", "amt-67", date(2025, 11, 3), "baumkataster"),
        (
            "Prüffristen der Atemschutzgeräte",
            "amt-37",
            date(2026, 1, 20),
            "feuerwehr-einsatzmittel",
        ),
        ("Digitale Ausleihe von E-Medien ausweiten", "amt-42", date(2026, 4, 14), None),
        ("Parkausweise online beantragen", "amt-32", date(2026, 7, 1), None),
        ("Elektronische Personalakte", "amt-11", date(2026, 9, 8), None),
    ]
    for title, office, raised_on, project in needs:
        if raised_on <= today:
            service.add_need(source, title, office, raised_on, project=project)


def _risks_and_milestones(source: SessionSource, today: date) -> None:
    h, m, n = Level.HOCH, Level.MITTEL, Level.NIEDRIG
    risks = [
        (
            "e-rechnung",
            "Lieferanten senden weiterhin Papier- oder reine PDF-Rechnungen",
            m,
            h,
            "Lieferantenanschreiben, Upload-Portal, Hinweis in Bestellungen",
            "Stabsstelle",
        ),
        (
            "e-rechnung",
            "Schnittstelle zum Haushalts- und Kassenverfahren verzögert sich",
            m,
            h,
            "Übergabedatei (CSV) als Zwischenlösung, wöchentliche Abstimmung",
            "Amt 12",
        ),
        (
            "e-rechnung",
            "Mehraufwand in den Ämtern durch das Vier-Augen-Prinzip",
            m,
            m,
            "Schulungen, Vertretungsregeln, Betragsgrenzen",
            "Amt 20",
        ),
        (
            "behoerdenpostfach",
            "Anbindung an die Landesinfrastruktur (Zertifikate)",
            h,
            m,
            "frühzeitige Beantragung beim Landesrechenzentrum",
            "Amt 12",
        ),
        (
            "ozg-buergeramt",
            "Hersteller liefert die Fachverfahrensschnittstelle verspätet",
            m,
            h,
            "Vertragsstrafe, Übergangslösung mit manueller Übernahme",
            "Amt 33",
        ),
        ("e-akte", "Akzeptanz in den Fachämtern", n, m, "Multiplikatoren je Amt", "Amt 10"),
    ]
    for project, title, probability, impact, mitigation, owner in risks:
        service.add_risk(
            source, project, title, probability, impact, mitigation=mitigation, owner=owner
        )
    milestones = [
        (
            "e-rechnung",
            "Testphase mit Kämmerei und ADV gestartet",
            date(2025, 12, 1),
            date(2025, 12, 1),
        ),
        ("e-rechnung", "Zehn Ämter empfangen E-Rechnungen", date(2026, 9, 30), date(2026, 9, 7)),
        ("e-rechnung", "Ausstiegskriterien der Testphase erfüllt", date(2026, 12, 31), None),
        ("e-rechnung", "Entscheidung über den Regelbetrieb (IV-Beirat)", date(2027, 1, 27), None),
        ("e-rechnung", "Regelbetrieb in allen Ämtern", date(2027, 6, 30), None),
        ("behoerdenpostfach", "Feinkonzept abgenommen", date(2026, 10, 15), None),
        ("ozg-buergeramt", "Pilot Meldebescheinigung online", date(2026, 5, 6), date(2026, 5, 6)),
        ("ozg-buergeramt", "Ausweitung auf Ausweisanträge", date(2027, 3, 31), None),
        ("e-akte", "E-Akte in zehn Ämtern", date(2026, 12, 31), None),
    ]
    for project, title, planned, done in milestones:
        service.add_milestone(
            source, project, title, planned, done if done is not None and done <= today else None
        )


def _decisions(source: SessionSource) -> None:
    decisions = [
        (
            Body.IV_BEIRAT,
            date(2023, 11, 8),
            "E-Rechnung: Konzeption beauftragt",
            "Die Stabsstelle erstellt mit Amt 12 und Amt 20 ein Konzept.",
            "e-rechnung",
        ),
        (
            Body.IV_BEIRAT,
            date(2025, 11, 12),
            "E-Rechnung: Start der Testphase",
            "Testphase ab 01.12.2025 mit Kämmerei und ADV; schrittweise weitere Ämter. "
            "Ausstiegskriterien: Annahmequote ≥ 95 % in 4 Wochen, 90 % der Rechnungen in "
            "höchstens 10 Tagen angeordnet.",
            "e-rechnung",
        ),
        (
            Body.IV_BEIRAT,
            date(2026, 6, 10),
            "E-Rechnung: Ausweitung",
            "Anschluss von Sozialamt, Ordnungsamt, Stadtbibliothek, Bauordnungsamt und "
            "Jugendamt bis Herbst 2026.",
            "e-rechnung",
        ),
        (
            Body.VERWALTUNGSVORSTAND,
            date(2024, 2, 21),
            "Chatbot eingestellt",
            "Nutzen steht in keinem Verhältnis zu Aufwand und Datenschutzfragen.",
            "chatbot",
        ),
        (
            Body.IV_BEIRAT,
            date(2026, 3, 18),
            "Behördenpostfach: Konzeption",
            "Amt 12 erstellt mit der Stabsstelle das Feinkonzept.",
            "behoerdenpostfach",
        ),
        (
            Body.DIGITALBEIRAT,
            date(2026, 9, 23),
            "Konstituierende Sitzung",
            "Der Digitalbeirat nimmt das Portfolio und die Priorisierungskriterien zur Kenntnis.",
            None,
        ),
    ]
    for body, on, subject, outcome, project in decisions:
        service.add_decision(source, body, on, subject, outcome, project)


def quarters_for(today: date) -> tuple[Quarter, ...]:
    return service.planning_quarters(today)
