"""The demo's log-ins and the routing configuration name the same person the same way."""

from __future__ import annotations

from einvoice.cli.demo import DEMO_ACCOUNTS
from einvoice.config import SAMPLE_ROUTING_CONFIG
from einvoice.routing_config import load_routing_config


def test_demo_staff_accounts_carry_the_routing_configs_names() -> None:
    # Tried on the running demo: logged in as "Thomas Schmitt (Anordnungsbefugt)", the
    # approver ordered a payment and the invoice page said "Angeordnet: Ralf Schmitt".
    people = {p.id: p.name for p in load_routing_config(SAMPLE_ROUTING_CONFIG).people}
    staff = [(user, name) for user, _, name, _, _ in DEMO_ACCOUNTS if user in people]
    assert staff, "no demo account is a person of the routing configuration"
    for user, name in staff:
        assert name == people[user], f"{user}: account {name!r}, routing {people[user]!r}"
