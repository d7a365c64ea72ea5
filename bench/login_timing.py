"""Login timing for known and unknown names (a benchmark, not a test).

Finding of issue 13: an existing name answered in ~100 ms, an unknown one in ~6 ms.
Now both verify one argon2 hash (the unknown name against a dummy hash with the same
parameters). Measures wrong-password logins over HTTP (the real app on SQLite,
in-process client) alternately for a known and an unknown name; prints medians.

    python bench/login_timing.py [--rounds 40] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    from dataclasses import replace

    from einvoice.domain.throttle import ScopeRule, ThrottlePolicy
    from einvoice.services.accounts import Role
    from tests.integration.web import account, client, csrf_of, make_app

    with tempfile.TemporaryDirectory() as tmp:
        application, container = make_app(Path(tmp))
        # no delays while measuring (the throttle answers before any hash either way)
        free = ScopeRule(10**6, ThrottlePolicy().pair.max_delay)
        application.state.settings = replace(
            application.state.settings,
            throttle_policy=ThrottlePolicy(
                pair=free, account=free, address=free, request_budget=10**6
            ),
        )
        account(container, "a10.becker", Role.CLERK, department="amt-10")
        c = client(application)
        token = csrf_of(c.get("/login").text)
        times: dict[str, list[float]] = {"known": [], "unknown": []}
        for n in range(args.rounds):
            for kind, name in (("known", "a10.becker"), ("unknown", f"niemand{n}")):
                start = time.perf_counter()
                response = c.post(
                    "/login", data={"username": name, "password": "falsch-x", "csrf_token": token}
                )
                times[kind].append((time.perf_counter() - start) * 1000)
                assert response.status_code == 401, response.status_code
    result = {k: round(statistics.median(v), 1) for k, v in times.items()}
    result["p90_known"] = round(statistics.quantiles(times["known"], n=10)[-1], 1)
    result["p90_unknown"] = round(statistics.quantiles(times["unknown"], n=10)[-1], 1)
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"median ms: known {result['known']}, unknown {result['unknown']} "
            f"(p90 {result['p90_known']} / {result['p90_unknown']}), {args.rounds} rounds each"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
