"""Command line: python -m core.cli COMMAND … (SPEC §10)."""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from datetime import date, datetime

from sqlalchemy.exc import SQLAlchemyError

from core import clock, config
from core.db import DatabaseUnavailable, check_connection, engine_for


def _engine():
    cfg = config.load()
    engine = engine_for(cfg.database_url)
    check_connection(engine)
    return engine


def cmd_init_db(args) -> int:
    from core.migrate import upgrade

    engine = _engine()
    upgrade(engine)
    print(f"database at {engine.url.render_as_string(hide_password=True)} is at the newest schema")
    return 0


def cmd_seed_demo(args) -> int:
    from data import demo

    engine = _engine()
    if args.if_empty and not demo.is_empty(engine):
        print("database already has data: demo seed skipped")
        return 0
    if not demo.is_empty(engine):
        print("refusing to seed: the database already has data (use an empty database)", file=sys.stderr)
        return 2
    counts = demo.seed(engine, scale=args.scale, seed=args.seed, today=args.today)
    print("seeded demo data: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    return 0


def _json_default(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def cmd_metrics(args) -> int:
    from core import cockpit, users
    from core.db import read_session

    engine = _engine()
    now = clock.parse(args.now) if args.now else clock.now()
    with read_session(engine) as session:
        scope = users.scope_of(session, args.as_user) if args.as_user else users.full_scope()
        if args.name == "lights":
            from core import rules

            days = args.days or rules.get(session, "cockpit_window_days")
            if not 1 <= days <= 366:
                raise ValueError("--days must be between 1 and 366")
            end = date.fromisoformat(args.end) if args.end else now.date()
            filters = cockpit.Filters.last_days(end, days, args.region, args.team)
            result = [asdict(light) | {"misses": light.misses}
                      for light in cockpit.lights(scope, session, filters, now, args.lang)]
        elif args.name == "funnel":
            result = _funnel_metrics(args, session, scope, now)
        else:
            print(f"unknown metric {args.name!r}; known: lights, funnel", file=sys.stderr)
            return 2
    if args.name == "funnel":
        return _print_funnel(result, args.json)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2, default=_json_default))
    else:
        for item in result:
            rate = "—" if item["rate"] is None else f"{item['rate']:.1f}%"
            print(f"{item['label']}: {rate} ({item['on_time']}/{item['decided']}) {item['color']}")
            if item["explanation"]:
                print(f"  {item['explanation']['sentence']}")
    return 0


def _funnel_metrics(args, session, scope, now) -> dict:
    """The funnel page's figures for the period and the one before it (SPEC §4)."""
    from core import funnel, rules
    from core.errors import UserError

    days = args.days if args.days is not None else rules.get(session, "funnel_window_days")
    end = date.fromisoformat(args.end) if args.end else now.date()
    try:
        filters = funnel.FunnelFilters.last_days(
            end, days, region_id=args.region, team_id=args.team, owner_id=args.rep, product=args.product,
            customer_type=args.customer_type, source=args.source)
    except UserError as exc:
        raise ValueError(exc.message(args.lang)) from None

    def figures(f):
        result = funnel.funnel(scope, session, f, now)
        return asdict(result) | {"stages": [asdict(s) | {"decided": s.decided} for s in result.stages]}

    return {"current": figures(filters), "previous": figures(filters.previous()),
            "stalled_deals": funnel.stalled_deals(scope, session, filters, now)
            .drop(columns=["owner_id"]).to_dict(orient="records")}


def _print_funnel(result: dict, as_json: bool) -> int:
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=2, default=_json_default))
        return 0
    cur, prev = result["current"], result["previous"]
    fmt = lambda v: "—" if v is None else f"{v:.1f}"  # noqa: E731
    print(f"funnel {cur['start']} – {cur['end']} (previous {prev['start']} – {prev['end']})")
    for s, p in zip(cur["stages"], prev["stages"]):
        print(f"  {s['stage']:<16} entered {s['entered']:>5}  conversion {fmt(s['conversion']):>5}% "
              f"(prev {fmt(p['conversion'])}%)  days median {fmt(s['median_days'])} p90 {fmt(s['p90_days'])} "
              f"[{s['min_days']}–{s['max_days']}]  open {s['open_now']} stalled {s['open_stalled']}")
    print(f"  win rate {fmt(cur['win_rate'])}% ({cur['won']} won, {cur['lost']} lost); days to win median "
          f"{fmt(cur['days_to_win_median'])} mean {fmt(cur['days_to_win_mean'])}; stalled deals {cur['stalled_now']}")
    return 0


def cmd_run_jobs(args) -> int:
    from core import jobs

    engine = _engine()
    now = clock.parse(args.now) if args.now else clock.now()
    results = jobs.run(engine, now, args.only or None)
    for r in results:
        print(f"{r.name}: " + (f"FAILED {r.error}" if r.error else f"{r.count}"))
    return 1 if any(r.error for r in results) else 0


# ---- import / export (cmd_import, cmd_export) ----


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m core.cli", description="Sales Cockpit command line")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("init-db", help="create or upgrade the database schema to the newest version")
    s.set_defaults(fn=cmd_init_db)

    s = sub.add_parser("seed-demo", help="fill an empty database with the demo organisation")
    s.add_argument("--scale", choices=["small", "large"], default="small")
    s.add_argument("--seed", type=int, default=7)
    s.add_argument("--today", type=date.fromisoformat, default=None,
                   help="the demo's 'today' (default: today)")
    s.add_argument("--if-empty", action="store_true", help="do nothing when the database has data")
    s.set_defaults(fn=cmd_seed_demo)

    s = sub.add_parser("metrics", help="print a cockpit figure")
    s.add_argument("name", help="lights or funnel")
    s.add_argument("--json", action="store_true")
    s.add_argument("--days", type=int, help="window length in days (default: the cockpit's or funnel's setting)")
    s.add_argument("--end", help="last day of the window, YYYY-MM-DD (default: today)")
    s.add_argument("--region", type=int, help="region id")
    s.add_argument("--team", type=int, help="team id")
    s.add_argument("--as-user", help="compute in this user's scope (default: everything)")
    s.add_argument("--now", help="the moment to measure at (default: now)")
    s.add_argument("--lang", choices=["en", "zh"], default="en")
    s.add_argument("--rep", type=int, help="funnel: owner (rep) id")
    s.add_argument("--product", help="funnel: product")
    s.add_argument("--customer-type", help="funnel: customer type")
    s.add_argument("--source", help="funnel: lead source (the deal's source channel)")
    s.set_defaults(fn=cmd_metrics)

    s = sub.add_parser("run-jobs", help="escalations, recycling, stalled deals, drops, alerts (idempotent, for cron)")
    s.add_argument("--now", help="the moment to run at, YYYY-MM-DDTHH:MM (default: now)")
    s.add_argument("--only", nargs="*", help="run only these jobs")
    s.set_defaults(fn=cmd_run_jobs)

    # ---- import / export subcommands ----
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.fn(args)
    except (DatabaseUnavailable, config.ConfigError, ValueError, LookupError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except SQLAlchemyError as exc:
        print(f"error: the database refused the request ({type(exc).__name__}: "
              f"{str(exc).splitlines()[0]}). Has `python -m core.cli init-db` been run?", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
