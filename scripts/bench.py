"""Benchmark the cockpit's reads on the large demo organisation (500 reps, ≥ 200k leads, ≥ 2M activities).

    make bench                      # builds data/bench.db once (a few minutes), then times the reads
    BENCH_DATABASE_URL=postgresql://… make bench   # the same against PostgreSQL

Prints the median of a few runs of each read, per role: the figures a director, a team lead and a
rep wait for when they open the cockpit. Speed is shown here, never asserted by a timed test.
"""
from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from core.base.query import Filters
from core.process import lights as cockpit
from core.base import customers
from core.base import rules
from core.base import users  # noqa: E402
from core.base.clock import now as clock_now  # noqa: E402
from core.base.db import make_engine, read_session  # noqa: E402
from core.base.migrate import upgrade  # noqa: E402
from core.base.models import Activity, Lead, Opportunity, User  # noqa: E402
from data import demo  # noqa: E402

RUNS = 3


def timed(fn, *args, **kwargs) -> float:
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn(*args, **kwargs)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> int:
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{ROOT / 'data' / 'bench.db'}"
    engine = make_engine(url)
    upgrade(engine)
    if demo.is_empty(engine):
        print(f"seeding the large demo into {url} (once; a few minutes) …", flush=True)
        start = time.perf_counter()
        demo.seed(engine, scale="large", seed=7)
        print(f"  seeded in {time.perf_counter() - start:.0f} s")
    now = clock_now()
    with read_session(engine) as s:
        sizes = {name: s.scalar(select(func.count()).select_from(model))
                 for name, model in (("leads", Lead), ("activities", Activity), ("opportunities", Opportunity),
                                     ("reps", User))}
        print("database: " + ", ".join(f"{k} {v:,}" for k, v in sizes.items()))
        window = rules.get(s, "cockpit_window_days")
        week = Filters.last_days(now.date(), window)
        quarter = Filters.last_days(now.date(), 90)
        scopes = {"director": users.scope_of(s, "director"), "lead1": users.scope_of(s, "lead1"),
                  "rep1": users.scope_of(s, "rep1")}
        print(f"\n{'read':<42}{'director':>10}{'lead1':>10}{'rep1':>10}   (median of {RUNS}, seconds)")
        rows = [
            (f"cockpit lights, last {window} days", lambda sc: cockpit.lights(sc, s, week, now, "zh")),
            ("cockpit lights, last 90 days", lambda sc: cockpit.lights(sc, s, quarter, now, "zh")),
            ("records behind the 48 h light", lambda sc: cockpit.missed_records(sc, s, cockpit.FIRST_RESPONSE, week, now)),
            ("customers page (newest 500)", lambda sc: customers.customers(sc, s)),
            ("customer search '科技'", lambda sc: customers.customers(sc, s, search="科技")),
        ]
        for label, fn in rows:
            cells = [timed(fn, scopes[who]) for who in ("director", "lead1", "rep1")]
            print(f"{label:<42}" + "".join(f"{c:>10.3f}" for c in cells))
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
