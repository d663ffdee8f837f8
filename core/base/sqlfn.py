"""Small SQL expressions that differ between SQLite and PostgreSQL, written once."""
from __future__ import annotations

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import Date, Float


class hours_between(FunctionElement):
    """Hours from the second datetime to the first (float; negative when the first is earlier)."""
    type = Float()
    inherit_cache = True
    name = "hours_between"


@compiles(hours_between)
def _hours_between_default(element, compiler, **kw):
    a, b = list(element.clauses)
    return f"(EXTRACT(EPOCH FROM ({compiler.process(a, **kw)} - {compiler.process(b, **kw)})) / 3600.0)"


@compiles(hours_between, "sqlite")
def _hours_between_sqlite(element, compiler, **kw):
    a, b = list(element.clauses)
    return f"((julianday({compiler.process(a, **kw)}) - julianday({compiler.process(b, **kw)})) * 24.0)"


class day_of(FunctionElement):
    """The calendar day of a datetime."""
    type = Date()
    inherit_cache = True
    name = "day_of"


@compiles(day_of)
def _day_default(element, compiler, **kw):
    (a,) = list(element.clauses)
    return f"CAST({compiler.process(a, **kw)} AS DATE)"


@compiles(day_of, "sqlite")
def _day_sqlite(element, compiler, **kw):
    (a,) = list(element.clauses)
    return f"date({compiler.process(a, **kw)})"


