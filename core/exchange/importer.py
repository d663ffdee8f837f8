"""The import framework (SPEC §10): read a CSV or XLSX file, map another system's column names and
values onto ours with a TOML mapping file, check every cell of every row against lookup tables
loaded once, then write everything in one transaction — or nothing.

    report = run_import(engine, "leads", data, "leads.csv", scope=scope, now=now, dry_run=True)
    report.ok, report.errors, report.planned

The entities (leads, customers, opportunities; payments, invoices, shipments) and their rules live in
core.exchange.entities; the formats are documented in docs/import.md. Each entity names the action a
caller needs (``entity.action``: admins import the sales records, finance and admins the cash records). Row numbers are the file's own: the header is row 1,
the first data row is row 2. A dry run does the full check and says what would be written.
"""
from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from core.base import access
from core.base.access import guarded
from core.base.config import ROOT
from core.base.db import read_session, write_tx
from core.base.models import AuditLog
from core.base.scope import Scope
from core.exchange.entities import ENTITIES
from core.exchange.rows import (
    FORMATS, Bad, Check, Field, ImportFileError, ImportReport, Lookups, Mapping, Progress, Row, Table, cell_text,
    convert, file_format, is_blank, parse_mapping, read_table,
)

__all__ = ["ENTITIES", "FORMATS", "ImportFileError", "ImportReport", "entities_for", "entity_def", "file_format",
           "load_mapping", "import_file", "read_table", "run_import", "template_bytes",
           "template_path"]  # what pages and the CLI use

TEMPLATES = ROOT / "data" / "templates"


def load_mapping(data: bytes | str, name: str, entity: str) -> Mapping:
    """Read and check a TOML mapping file for ``entity``; an ImportFileError names the line or key."""
    return parse_mapping(data, name, entity, {f.name: f for f in entity_def(entity).fields})


# ---- running an import -------------------------------------------------------------------------

def entity_def(name: str):
    if name not in ENTITIES:
        raise ImportFileError("imp.err.entity", "entity", entity=str(name)[:40], entities=", ".join(ENTITIES))
    return ENTITIES[name]


def entities_for(role: str) -> list[str]:
    """The entities ``role`` may import (each entity's action in core.base.access), in ENTITIES order."""
    return [name for name, ent in ENTITIES.items() if access.may(role, ent.action)]


def run_import(engine: Engine, entity: str, data: bytes, filename: str, *, scope: Scope, now: datetime,
               mapping: Mapping | None = None, dry_run: bool = False, route: bool = False,
               progress: Progress | None = None) -> ImportReport:
    """``import_file`` in a unit of work of its own (the command line's way): a dry run in a read
    session, an import in one transaction — rolled back, data version and all, when a row is wrong."""
    if dry_run:
        with read_session(engine) as session:
            return import_file(session, scope, entity, data, filename, now=now, mapping=mapping, dry_run=True,
                               route=route, progress=progress)
    try:
        with write_tx(engine) as session:
            report = import_file(session, scope, entity, data, filename, now=now, mapping=mapping, route=route,
                                 progress=progress)
            if not report.written:
                raise NothingWritten(report)
    except NothingWritten as refused:
        return refused.report
    return report


class NothingWritten(Exception):
    """A file with errors: its (empty) transaction is rolled back."""

    def __init__(self, report: ImportReport):
        super().__init__(report.entity)
        self.report = report


@guarded("import.file")
def import_file(session: Session, scope: Scope, entity: str, data: bytes, filename: str, *, now: datetime,
                mapping: Mapping | None = None, mapping_file: tuple[str, bytes] | None = None,
                dry_run: bool = False, route: bool = False, progress: Progress | None = None) -> ImportReport:
    """Check ``data`` (a CSV or XLSX file's bytes) row by row and, when every row is right and this
    is not a dry run, write all of it in the caller's transaction; with any row wrong, nothing is
    written. Raises ImportFileError for a file (or mapping file, given as ``mapping`` or as its
    ``mapping_file`` (name, bytes)) that cannot be used; returns the report (errors, or what was /
    would be written) otherwise. The caller's role also needs the entity's own action (else Forbidden)."""
    ent = entity_def(entity)
    access.require(scope, ent.action)
    if mapping_file is not None:
        mapping = load_mapping(mapping_file[1], mapping_file[0], entity)
    started = time.monotonic()
    tick = progress or (lambda fraction, phase: None)
    tick(0.0, "read")
    table = read_table(data, filename)
    report = ImportReport(entity, table.name, rows=len(table.rows), mapping=mapping.name if mapping else "",
                          dry_run=dry_run)
    opts = {"route": route, "by_user_id": scope.user_id or None}
    rows, chk = _check(session, ent, table, mapping, now, report, tick)  # reads only: a refused file writes nothing
    if report.ok:
        report.planned, notes = ent.plan(session, rows, chk, opts)
        report.notes += notes
        if not dry_run:
            report.planned = ent.write(session, rows, chk, opts, lambda f: tick(0.5 + 0.5 * f, "write"))
            session.add(AuditLog(at=now, user_id=opts["by_user_id"], action="import", entity=entity, entity_id=None,
                                 detail={"file": table.name, "mapping": report.mapping, "rows": report.rows,
                                         "written": report.planned}))
            report.written = True
            report.passwords = opts.pop("passwords", {})  # the users import's initial passwords
    tick(1.0, "done")
    report.seconds = time.monotonic() - started
    return report


def _check(session: Session, ent, table: Table, mapping: Mapping | None, now: datetime, report: ImportReport,
           tick) -> tuple[list[Row], Check]:
    mapping = mapping or Mapping()
    chk = Check(Lookups.load(session), now, mapping.date_formats)
    chk.state = ent.load(session, chk)
    fields = {f.name: f for f in ent.fields}
    plan = _columns(table.headers, fields, mapping, report)
    for f in ent.fields:
        if f.required and f.name not in {target for _, _, target in plan} and f.name not in mapping.defaults:
            chk.error(1, f.name, "imp.err.column_missing", column=f.name)
    if chk.errors:
        report.errors = chk.errors
        return [], chk
    rows: list[Row] = []
    step = max(1, len(table.rows) // 50)
    for i, (number, cells) in enumerate(table.rows):
        rows.append(_row(number, cells, plan, fields, mapping, chk, ent))
        if i % step == 0:
            tick(0.5 * i / max(1, len(table.rows)), "check")
    ent.check_file(rows, chk)
    report.errors = chk.errors
    return rows, chk


def _columns(headers: list[str], fields: dict[str, Field], mapping: Mapping,
             report: ImportReport) -> list[tuple[int, str, str]]:
    """(column index, header, our field) for every column that feeds a field: first the columns the
    mapping names, then columns named like one of our fields that no mapped column feeds."""
    mapped = {k.casefold(): v for k, v in mapping.columns.items()}
    by_name = {name.casefold(): name for name in fields}
    plan: list[tuple[int, str, str]] = []
    taken: set[str] = set()
    for i, header in enumerate(headers):
        for target in mapped.get(header.casefold(), ()) if header else ():
            plan.append((i, header, target))
            taken.add(target)
    used = {i for i, _, _ in plan}
    for i, header in enumerate(headers):
        if not header or i in used:
            continue
        target = by_name.get(header.casefold())
        if target is None or target in taken:
            report.ignored_columns.append(header)
            continue
        plan.append((i, header, target))
        taken.add(target)
    present = {h.casefold() for h in headers if h}
    missing = [theirs for theirs in mapping.columns if theirs.casefold() not in present]
    if missing:
        report.notes.append(("imp.note.mapped_missing", {"columns": missing}))
    return plan


def _row(number: int, cells: list, plan: list[tuple[int, str, str]], fields: dict[str, Field], mapping: Mapping,
         chk: Check, ent) -> Row:
    row = Row(number, {}, {}, {})
    present: dict[str, Any] = {}
    for i, header, target in plan:
        value = cells[i] if i < len(cells) else None
        row.columns[target] = header
        row.raw[target] = cell_text(value)
        present[target] = value
    for name, f in fields.items():
        value = present.get(name)
        if not is_blank(value) and name in mapping.values:
            value = mapping.values[name].get(cell_text(value).casefold(), value)
        if is_blank(value) and name in mapping.defaults:
            value = mapping.defaults[name]
            row.columns.setdefault(name, f"[defaults] {name}")
            row.raw[name] = cell_text(value)
        if is_blank(value):
            row.values[name] = None
            if f.required:
                chk.error(row, name, "imp.err.required")
            continue
        try:
            row.values[name] = convert(f, value, chk)
        except Bad as bad:
            row.values[name] = None
            chk.error(row, name, bad.key, **bad.params)
    if row.ok:
        ent.check_row(row, chk)
    return row


# ---- templates -----------------------------------------------------------------------------------

def template_path(entity: str, fmt: str = "csv") -> Path:
    """data/templates/<entity>.<fmt>: the header and two example rows."""
    entity_def(entity)
    if fmt not in FORMATS:
        raise ImportFileError("imp.file.format", "file", name=f"{entity}.{fmt}")
    return TEMPLATES / f"{entity}.{fmt}"


def template_bytes(entity: str, fmt: str = "csv") -> bytes:
    return template_path(entity, fmt).read_bytes()


