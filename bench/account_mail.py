"""Does the time of a password reset or a registration tell whether an address is known?
(a benchmark, not a test; issue 21, finding 6)

Starts the app on loopback (SQLite, a temporary folder) with a mailer that takes
``--smtp-ms`` per e-mail, as a remote SMTP server does, and asks alternately for a known
and an unknown address: ``POST /passwort-vergessen`` and ``POST /registrieren``. The
e-mails go out after the response (the outbox), so both kinds should take the same time.
Each request on a new connection, ``--pause`` seconds apart (the work after a response
should not be counted in the next request). Prints the median and p95 per kind.

    python bench/account_mail.py [--rounds 30] [--smtp-ms 150] [--pause 1] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


class SlowMailer:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.sent = 0

    def send(self, mail: Any) -> None:
        time.sleep(self.seconds)
        self.sent += 1


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found
    return found.group(1)


def main() -> int:
    import httpx

    from einvoice.services.accounts import Role
    from einvoice.web.app import create_app
    from tests.integration.browser import live_server
    from tests.integration.web import account, make_app

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--smtp-ms", type=float, default=150.0)
    parser.add_argument("--pause", type=float, default=1.0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    timings: dict[str, list[float]] = {
        "reset_known": [],
        "reset_unknown": [],
        "register_known": [],
        "register_unknown": [],
    }
    with tempfile.TemporaryDirectory() as tmp:
        made, container = make_app(Path(tmp))
        # plain http on loopback: the session cookie without the Secure flag
        application = create_app(
            container, replace(made.state.settings, cookie_secure=False), made.state.on_invoice
        )
        account(container, "jana@hansen.example", Role.SUPPLIER, email="jana@hansen.example")
        mailer = SlowMailer(args.smtp_ms / 1000)
        application.state.mailer = mailer
        with live_server(application) as base, httpx.Client(base_url=base, timeout=30) as web:
            token = _csrf(web.get("/passwort-vergessen").text)
            for n in range(args.rounds):
                for kind, address in (
                    ("known", "jana@hansen.example"),
                    ("unknown", f"niemand{n}@nirgends.example"),
                ):
                    time.sleep(args.pause)
                    started = time.perf_counter()
                    answer = httpx.post(
                        base + "/passwort-vergessen",
                        data={"email": address, "csrf_token": token},
                        cookies=web.cookies,
                        timeout=30,
                    )
                    timings[f"reset_{kind}"].append((time.perf_counter() - started) * 1000)
                    assert answer.status_code == 200, answer.status_code
                for kind, address in (
                    ("known", "jana@hansen.example"),
                    ("unknown", f"neu{n}@firma{n}.example"),
                ):
                    time.sleep(args.pause)
                    started = time.perf_counter()
                    answer = httpx.post(
                        base + "/registrieren",
                        cookies=web.cookies,
                        timeout=30,
                        data={
                            "organisation": "Firma",
                            "display_name": "Jana",
                            "email": address,
                            "password": "ein-sicheres-Passwort-17x",
                            "vat_id": "DE812345673",
                            "csrf_token": token,
                        },
                    )
                    timings[f"register_{kind}"].append((time.perf_counter() - started) * 1000)
                    assert answer.status_code in (200, 429), answer.status_code
        container.engine.dispose()
    result = {
        k: {
            "median_ms": statistics.median(v),
            "p95_ms": sorted(v)[round(0.95 * (len(v) - 1))],
            "n": len(v),
        }
        for k, v in timings.items()
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{args.rounds} Runden, Mailer {args.smtp_ms:.0f} ms je E-Mail, {mailer.sent} gesendet")
    for kind, r in result.items():
        print(f"  {kind:17} Median {r['median_ms']:6.1f} ms  p95 {r['p95_ms']:6.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
