"""Command line: python -m cli COMMAND … (SPEC §10)."""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from datetime import date, datetime

from sqlalchemy.exc import SQLAlchemyError

from core.base.query import Filters
from core.base import clock
from core.base import config
from core.base.db import DatabaseUnavailable, check_connection, engine_for
from core.base.scope import COMPANY


def _engine():
    cfg = config.load()
    engine = engine_for(cfg.database_url)
    check_connection(engine)
    return engine


def cmd_init_db(args) -> int:
    from core.base.migrate import upgrade

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


def _now(args) -> datetime:
    """The moment a command measures at: --now, else the clock's now."""
    return clock.parse(args.now) if args.now else clock.now()


def _json_default(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def cmd_metrics(args) -> int:
    from core.process import lights
    from core.base import users
    from core.base.db import read_session

    engine = _engine()
    now = _now(args)
    with read_session(engine) as session:
        scope = users.scope_of(session, args.as_user) if args.as_user else COMPANY
        if args.name == "lights":
            from core.base import rules

            days = args.days or rules.get(session, "cockpit_window_days")
            if not 1 <= days <= 366:
                raise ValueError("--days must be between 1 and 366")
            end = date.fromisoformat(args.end) if args.end else now.date()
            filters = Filters.last_days(end, days, args.region, args.team)
            result = [asdict(light) | {"misses": light.misses}
                      for light in lights.lights(scope, session, filters, now, args.lang)]
        elif args.name == "funnel":
            result = _funnel_metrics(args, session, scope, now)
        elif args.name == "psi":
            result = _psi_metrics(args, session, scope, now)
        elif args.name == "collections":
            result = _collections_metrics(args, session, scope, now)
        elif args.name == "reconciliation":
            result = _reconciliation_metrics(args, session, scope, now)
        elif args.name == "targets":
            result = _targets_metrics(args, session, scope, now)
        elif args.name == "target-health":
            result = _target_health_metrics(args, session, scope, now)
        elif args.name == "payouts":
            result = _payout_metrics(args, session, scope, now)
        else:
            print(f"unknown metric {args.name!r}; known: lights, funnel, psi, collections, reconciliation, "
                  "targets, target-health, payouts", file=sys.stderr)
            return 2
    if args.name == "funnel":
        return _print_funnel(result, args.json)
    if args.name == "collections":
        return _print_collections(result, args.json)
    if args.name == "psi":
        return _print_psi(result, args.json)
    if args.name == "reconciliation":
        return _print_reconciliation(result, args.json)
    if args.name == "targets":
        return _print_targets(result, args.json)
    if args.name == "target-health":
        return _print_target_health(result, args.json)
    if args.name == "payouts":
        return _print_payouts(result, args.json)
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
    from core.funnel import stages
    from core.base import rules
    from core.base.errors import UserError

    days = args.days if args.days is not None else rules.get(session, "funnel_window_days")
    end = date.fromisoformat(args.end) if args.end else now.date()
    try:
        filters = stages.FunnelFilters.last_days(
            end, days, region_id=args.region, team_id=args.team, owner_id=args.rep, product=args.product,
            customer_type=args.customer_type, source=args.source)
    except UserError as exc:
        raise ValueError(exc.message(args.lang)) from None

    def figures(f):
        result = stages.funnel(scope, session, f, now)
        return asdict(result) | {"stages": [asdict(s) | {"decided": s.decided} for s in result.stages]}

    return {"current": figures(filters), "previous": figures(filters.previous()),
            "stalled_deals": stages.stalled_deals(scope, session, filters, now)
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


def _psi_metrics(args, session, scope, now) -> dict:
    """The PSI page's figures for a month (SPEC §6): overall, per team, trend, what pulled it down."""
    from core.process import psi
    from core.base.errors import UserError

    try:
        report = psi.psi_report(scope, session, args.month or f"{now:%Y-%m}", now, args.team)
    except UserError as exc:
        raise ValueError(exc.message(args.lang)) from None
    return psi.report_dict(report)


def _print_psi(result: dict, as_json: bool) -> int:
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=2, default=_json_default))
        return 0
    fmt = lambda v: "—" if v is None else f"{v:.1f}"  # noqa: E731
    for item in [result["overall"], *result["teams"]]:
        parts = "  ".join(f"{p['code']} {fmt(p['value'])} (w {p['share']:.2f})" for p in item["parts"])
        print(f"{item['team'] or 'overall'} {result['month']}: PSI {fmt(item['value'])}"
              f" tier {item['tier'] or '—'} payout {fmt(item['payout'])}%  {parts}"
              + (f"  (not enough data: {', '.join(item['missing'])})" if item["missing"] else ""))
    print("trend: " + ", ".join(f"{t['month']} {fmt(t['psi'])}" for t in result["trend"]))
    drag = result["drag"]
    if drag["part"]:
        print(f"pulled down by {drag['part']} ({drag['points']:.1f} points)"
              + (f"; most late: {drag['step']} in {drag['team']} ({drag['misses']})" if drag["step"] else "")
              + (f"; weakest team: {drag['team']}" if drag["team"] and not drag["step"] else ""))
    return 0


def _collections_metrics(args, session, scope, now) -> dict:
    """The collections page's figures (SPEC §7): the three lights with their explanation, and the
    rates by team of each window."""
    from core.cash import collections

    path = collections.CollectionFilters(region_id=args.region, team_id=args.team)
    lights = collections.collection_lights(scope, session, path, now, args.lang)
    def records(df):
        return df.astype(object).where(df.notna(), None).to_dict(orient="records")

    by_team = {w: records(collections.collection_by(scope, session, path, now, "team", w)) for w in collections.WINDOWS}
    return {"today": now.date(), "region_id": args.region, "team_id": args.team,
            "lights": [collections.as_dict(light) for light in lights], "by_team": by_team}


def _print_collections(result: dict, as_json: bool) -> int:
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=2, default=_json_default))
        return 0
    for item in result["lights"]:
        rate = "—" if item["rate"] is None else f"{item['rate']:.1f}%"
        print(f"{item['label']}: {rate} (¥{item['received']:,.0f} of ¥{item['due']:,.0f} due, "
              f"¥{item['outstanding']:,.0f} outstanding) {item['color']}")
        if item["explanation"]:
            print(f"  {item['explanation']['sentence']}")
    return 0


# ---- people: target health (target health part; SPEC §8) ----

def _target_health_metrics(args, session, scope, now) -> dict:
    """The target health page's figures for a month: the view's three lights, each rep's and team's,
    and the year's deviation rate (actual − target) ÷ target per month."""
    from core.base.errors import UserError
    from core.people import target_health

    month = args.month or f"{now:%Y-%m}"
    try:
        result = target_health.health_dict(target_health.health(scope, session, month, now, args.lang))
        deviation = target_health.deviation(scope, session, int(month[:4]), now)
    except UserError as exc:
        raise ValueError(exc.message(args.lang)) from None
    except ValueError:
        raise ValueError("--month must be YYYY-MM") from None
    deviation = deviation.drop(columns=["owner_id"])
    result["deviation"] = deviation.astype(object).where(deviation.notna(), None).to_dict(orient="records")
    return result


def _print_target_health(result: dict, as_json: bool) -> int:
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=2, default=_json_default))
        return 0
    fmt = lambda v: "—" if v is None else f"{v:.1f}"  # noqa: E731
    print(f"target health {result['month']}")
    for light in result["overall"]:
        print(f"  {light['code']}: {fmt(light['value'])} {light['color']} — {light['sentence']}")
    for row in result["rows"]:
        print(f"  {row['level']:<4} {row['name']}: achievement {fmt(row['achievement'])}% {row['achievement_light']}, "
              f"PSI {fmt(row['psi'])} {row['process_light']}, coverage {fmt(row['coverage'])}% {row['resource_light']}")
    return 0


# ---- cash: reconciliation and the data-quality scan (SPEC §7) ----

def _reconciliation_metrics(args, session, scope, now) -> dict:
    """The reconciliation page's figures for a month: totals, discrepancy rate, disagreeing contracts."""
    from core.base.errors import UserError
    from core.cash import reconciliation

    try:
        result = reconciliation.reconciliation(scope, session, args.month or f"{now:%Y-%m}", now)
    except UserError as exc:
        raise ValueError(exc.message(args.lang)) from None
    return reconciliation.as_dict(result)


# ---- the month's payouts, or the what-if sandbox with --model-file ----

def _payout_metrics(args, session, scope, now) -> dict:
    from core.base.errors import UserError

    try:
        return _payouts_of(args, session, scope, now)
    except UserError as exc:
        raise ValueError(exc.message(args.lang)) from None


def _payouts_of(args, session, scope, now) -> dict:
    from core.people import incentives

    month = args.month or f"{now:%Y-%m}"
    if args.model_file:
        try:
            with open(args.model_file, encoding="utf-8") as fh:
                changes = json.load(fh)
        except (OSError, ValueError) as exc:
            raise ValueError(f"--model-file {args.model_file}: {exc}") from None
        cmp_ = incentives.what_if(scope, session, month, changes)
        records = lambda df: json.loads(df.to_json(orient="records", force_ascii=False))  # noqa: E731
        return {"month": month, "what_if": True, "before": asdict(cmp_.before), "after": asdict(cmp_.after),
                "reps": records(cmp_.reps), "teams": records(cmp_.teams), "total_before": cmp_.total_before,
                "total_after": cmp_.total_after, "total_change": cmp_.total_change}
    got = incentives.payouts(scope, session, month)
    records = lambda df: json.loads(df.to_json(orient="records", force_ascii=False))  # noqa: E731
    return {"month": month, "what_if": False, "model": asdict(got.params), "reps": records(got.reps),
            "teams": records(got.teams), "total": got.total, "frozen": got.frozen}


def _print_payouts(result: dict, as_json: bool) -> int:
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=2, default=_json_default))
        return 0
    if result["what_if"]:
        for r in result["reps"]:
            print(f"{r['team']} · {r['rep']}: ¥{r['before']:,.2f} → ¥{r['after']:,.2f} ({r['change']:+,.2f})")
        print(f"total: ¥{result['total_before']:,.2f} → ¥{result['total_after']:,.2f} ({result['total_change']:+,.2f})")
        return 0
    for r in result["reps"]:
        breaker = " (circuit breaker)" if r["breaker"] else ""
        print(f"{r['team']} · {r['rep']}: ¥{r['total']:,.2f}{breaker}")
    print(f"total: ¥{result['total']:,.2f}, frozen ¥{result['frozen']:,.2f}")
    return 0


def _print_reconciliation(result: dict, as_json: bool) -> int:
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=2, default=_json_default))
        return 0
    rate = "—" if result["rate"] is None else f"{result['rate']:.2f}%"
    print(f"reconciliation {result['month']}: {result['compared']} contracts compared, amount "
          f"¥{result['amount']:,.2f}, received ¥{result['received']:,.2f}, shipped ¥{result['shipped']:,.2f}; "
          f"discrepancy rate {rate} {result['color']}")
    for c in result["disagreeing"]:
        print(f"  {c['number']} {c['customer']} ({c['owner']}): amount ¥{c['amount']:,.2f} received "
              f"¥{c['received']:,.2f} shipped ¥{c['shipped']:,.2f} difference ¥{c['difference']:,.2f} "
              f"off: {', '.join(c['off']) or '—'}")
    print(f"still open: {len(result['still_open'])} contracts (¥{result['still_open_amount']:,.2f}), not counted")
    return 0


# ---- a month's targets, confirmations and the year's plan ----

def _targets_metrics(args, session, scope, now) -> dict:
    """The targets page's month figures: every rep in scope (optionally of one team) with the month's
    targets and whether they confirmed it, the totals, and the accepted plan of the month's year."""
    from core.base.errors import UserError
    from core.people import targets

    month = args.month or f"{now:%Y-%m}"
    try:
        rows = targets.month_targets(scope, session, month)
        conf = targets.confirmations(scope, session, month)
        versions = targets.plan_versions(scope, session, month[:4])
    except UserError as exc:
        raise ValueError(exc.message(args.lang)) from None
    if args.team is not None:
        rows, conf = rows[rows["team_id"] == args.team], conf[conf["team_id"] == args.team]
    status = dict(zip(conf["owner_id"], conf["status"]))
    confirmed_at = dict(zip(conf["owner_id"], conf["confirmed_at"]))
    reps = [{"owner_id": int(r.owner_id), "rep": r.rep, "team_id": int(r.team_id), "team": r.team,
             "signed_amount": None if _blank(r.signed_amount) else float(r.signed_amount),
             "collections": None if _blank(r.collections) else float(r.collections),
             "effective_visits": None if _blank(r.effective_visits) else int(r.effective_visits),
             "confirmation": status.get(r.owner_id, "no_target"),
             "confirmed_at": None if _blank(confirmed_at.get(r.owner_id)) else confirmed_at[r.owner_id]}
            for r in rows.itertuples()]
    accepted = versions[versions["status"] == "accepted"]
    plan = None if accepted.empty else {"period": month[:4], "version": int(accepted.iloc[0]["number"]),
                                        "total": float(accepted.iloc[0]["total"])}
    return {"month": month, "team_id": args.team, "reps": reps,
            "signed_amount": sum(r["signed_amount"] or 0 for r in reps),
            "confirmed": sum(r["confirmation"] == "confirmed" for r in reps),
            "unconfirmed": [r["rep"] for r in reps if r["confirmation"] in ("unconfirmed", "changed")],
            "plan": plan}


def _blank(value) -> bool:
    import pandas as pd

    return value is None or bool(pd.isna(value))


def _print_targets(result: dict, as_json: bool) -> int:
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=2, default=_json_default))
        return 0
    print(f"targets {result['month']}: signed amount ¥{result['signed_amount']:,.0f}, "
          f"{result['confirmed']} of {len(result['reps'])} reps confirmed")
    for r in result["reps"]:
        amount = "—" if r["signed_amount"] is None else f"¥{r['signed_amount']:,.0f}"
        print(f"  {r['team']} · {r['rep']}: {amount} {r['confirmation']}")
    if result["plan"]:
        print(f"plan {result['plan']['period']} v{result['plan']['version']}: ¥{result['plan']['total']:,.0f}")
    return 0


def cmd_scan(args) -> int:
    """Run the data-quality scan as the company; print each rule's open, new and fixed findings."""
    from core.base.db import write_tx
    from core.cash import quality

    engine = _engine()
    now = _now(args)
    with write_tx(engine) as session:
        result = quality.run_scan(session, COMPANY, now).as_dict()
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    for rule, c in result["rules"].items():
        print(f"{rule}: open {c['open']}, new {c['new'] + c['reopened']}, fixed {c['fixed']}")
    print(f"alerts sent: {result['alerts']}")
    return 0


def cmd_run_jobs(args) -> int:
    from core import schedule

    engine = _engine()
    now = _now(args)
    from core.base import runs  # the lock; a second run started meanwhile stops here

    try:
        results = schedule.run(engine, now, args.only or None)
    except runs.Busy as exc:
        print(f"skipped: {exc}")
        return 0
    for r in results:
        print(f"{r.name}: " + (f"FAILED {r.error}" if r.error else f"{r.count}"))
    return 1 if any(r.error for r in results) else 0


# ---- import / export (cmd_import, cmd_export) ----
IMPORT_ENTITIES = ("leads", "customers", "opportunities", "payments", "invoices", "shipments",
                   "users")
EXPORT_ENTITIES = ("leads", "customers", "opportunities")


def _scope_for_cli(engine, username: str | None):
    from core.base import users
    from core.base.db import read_session

    with read_session(engine) as session:
        return users.scope_of(session, username) if username else COMPANY


def cmd_import(args) -> int:
    """Check a file row by row; write it all in one transaction, or nothing (exit 2 with the errors)."""
    from pathlib import Path

    from core.base import access
    from core.base.access import Forbidden
    from core.exchange import importer

    engine = _engine()
    scope = _scope_for_cli(engine, args.as_user)
    try:
        data = Path(args.file).read_bytes()
        mapping = (importer.load_mapping(Path(args.mapping).read_bytes(), args.mapping, args.entity)
                   if args.mapping else None)
        report = importer.run_import(engine, args.entity, data, args.file, scope=scope, now=clock.now(),
                                     mapping=mapping, dry_run=args.dry_run, route=args.route)
    except OSError as exc:
        print(f"error: cannot read {exc.filename}: {exc.strerror}", file=sys.stderr)
        return 2
    except importer.ImportFileError as exc:
        print(f"error: {exc.message(args.lang)}", file=sys.stderr)
        return 2
    except Forbidden:
        roles = access.ACTIONS[importer.entity_def(args.entity).action]
        if roles == (access.ADMIN,):
            print(f"error: {args.as_user} is not an admin: only an admin imports", file=sys.stderr)
        else:
            print(f"error: {args.as_user} may not import {args.entity}: only {' and '.join(roles)} import it",
                  file=sys.stderr)
        return 2
    for line in report.summary(args.lang):
        print(line)
    if not report.ok:
        for e in report.errors_frame(args.lang).itertuples():
            print(f"row {e.row}, {e.column}: {e.message}", file=sys.stderr)
        return 2
    if report.passwords:
        print("initial passwords (shown once; each must be changed at first login):")
        for username, password in report.passwords.items():
            print(f"{username}\t{password}")
    if not args.dry_run:
        print(f"done in {report.seconds:.1f} s")
    return 0


def cmd_export(args) -> int:
    """Every record of the entity the user may see, in the import template's columns (.csv or .xlsx)."""
    from pathlib import Path

    from core.exchange import exporter
    from core.exchange import importer
    from core.base.db import read_session

    try:
        fmt = importer.file_format(args.file)
    except importer.ImportFileError as exc:
        print(f"error: {exc.message(args.lang)}", file=sys.stderr)
        return 2
    engine = _engine()
    scope = _scope_for_cli(engine, args.as_user)
    with read_session(engine) as session:
        df = exporter.export_rows(scope, session, args.entity)
    try:
        Path(args.file).write_bytes(exporter.file_bytes(df, fmt, sheet=args.entity))
    except OSError as exc:
        print(f"error: cannot write {exc.filename}: {exc.strerror}", file=sys.stderr)
        return 2
    who = f" visible to {args.as_user}" if args.as_user else ""
    print(f"exported {len(df):,} {args.entity}{who} to {args.file}")
    return 0


# ---- the morning brief ----
def cmd_brief(args) -> int:
    """The morning brief for a person's scope (or the company's), as JSON or Markdown for a group chat."""
    from core.base import jobs, rules, users
    from core.base.db import read_session
    from core.process import brief

    engine = _engine()
    now = _now(args)
    with read_session(engine) as session:
        scope = users.scope_of(session, args.as_user) if args.as_user else COMPANY
        lang = args.lang or (jobs.language_of(session, scope.user_id) if args.as_user
                             else rules.get(session, "default_language"))
        result = brief.brief(scope, session, now, lang)
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    elif args.markdown:
        print(result.markdown(args.base_url))
    else:
        print(result.text)
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m cli", description="Sales Cockpit command line")
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
    s.add_argument("name", help="lights, funnel, psi, collections, reconciliation, targets, target-health or payouts")
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
    s.add_argument("--month", help="psi, reconciliation, targets, target-health, payouts: the month, YYYY-MM "
                   "(default: this month)")
    s.add_argument("--model-file", help="payouts: a JSON object of model values to try (the what-if; nothing saved)")
    s.set_defaults(fn=cmd_metrics)

    s = sub.add_parser("scan", help="run the data-quality scan now (as the company) and print each rule's findings")
    s.add_argument("--now", help="the moment to scan at, YYYY-MM-DDTHH:MM (default: now)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(fn=cmd_scan)

    s = sub.add_parser("run-jobs", help="escalations, recycling, stalled deals, drops, alerts, pushing alerts to "
                                        "channels (idempotent, for cron; a run started while another holds the "
                                        "lock says so and does nothing)")
    s.add_argument("--now", help="the moment to run at, YYYY-MM-DDTHH:MM (default: now)")
    s.add_argument("--only", nargs="*", help="run only these jobs")
    s.set_defaults(fn=cmd_run_jobs)

    # ---- the morning brief ----
    s = sub.add_parser("brief", help="the morning brief (about 100 words) for a user's scope, to push to a group chat")
    s.add_argument("--as-user", help="the reader: the brief covers what this user may see (default: everything)")
    s.add_argument("--now", help="the moment of the meeting, YYYY-MM-DDTHH:MM (default: now)")
    s.add_argument("--lang", choices=["en", "zh"], help="language (default: the reader's, else the company's)")
    out = s.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="the sentences with their kinds and links, as JSON")
    out.add_argument("--markdown", action="store_true", help="one Markdown paragraph, each sentence a link")
    s.add_argument("--base-url", default="", help="the app's address, to make the Markdown links absolute")
    s.set_defaults(fn=cmd_brief)

    # ---- import / export subcommands ----
    s = sub.add_parser("import", help="import leads, customers or opportunities (admins), or payments, invoices or "
                                      "shipments (finance, admins) from a .csv or .xlsx file: every row is "
                                      "checked, then all is written or nothing (docs/import.md)")
    s.add_argument("entity", choices=IMPORT_ENTITIES)
    s.add_argument("file", help="the .csv or .xlsx file (header in row 1)")
    s.add_argument("--mapping", help="a TOML file mapping another system's columns and values onto ours")
    s.add_argument("--dry-run", action="store_true", help="check everything and say what would be written; write nothing")
    s.add_argument("--as-user", help="the admin (or, for cash records, finance) importing (default: the company, "
                                     "like run-jobs)")
    s.add_argument("--route", action="store_true", help="leads: route the open leads without an owner to reps")
    s.add_argument("--lang", choices=["en", "zh"], default="en", help="language of the report")
    s.set_defaults(fn=cmd_import)

    s = sub.add_parser("export", help="export leads, customers or opportunities to .csv or .xlsx, in the "
                                      "import template's columns")
    s.add_argument("entity", choices=EXPORT_ENTITIES)
    s.add_argument("file", help="the .csv or .xlsx file to write")
    s.add_argument("--as-user", help="export only what this user may see (default: everything)")
    s.add_argument("--lang", choices=["en", "zh"], default="en")
    s.set_defaults(fn=cmd_export)
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
              f"{str(exc).splitlines()[0]}). Has `python -m cli init-db` been run?", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
