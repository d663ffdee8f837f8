"""The import framework's parts (SPEC §10): a template's fields, the file read into rows, another
system's mapping file, the checks of each cell against lookup tables loaded once, row errors with
the file's row numbers (header = row 1), and the report. core.exchange.entities says what each
entity's rows are; core.exchange.importer runs an import in one transaction.
"""
from __future__ import annotations

import csv
import io
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Callable, Iterable

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.base.config import ROOT
from core.base.errors import UserError
from core.base.i18n import t
from core.base.models import Region, Team, User
from core.base.vocabulary import GRADES

FORMATS = ("csv", "xlsx")
MAX_ROWS = 200_000
TEMPLATES = ROOT / "data" / "templates"
OWNER_ROLES = ("rep", "lead")
# Dates and times a cell may hold when the mapping file names no date_format (besides ISO 8601).
DATE_FORMATS = ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d", "%Y.%m.%d %H:%M", "%Y.%m.%d",
                "%Y年%m月%d日 %H:%M", "%Y年%m月%d日", "%Y%m%d")
MAX_AMOUNT = Decimal("999999999999.99")  # Numeric(14, 2)
Progress = Callable[[float, str], None]


class ImportFileError(UserError):
    """The file (or the mapping file) as a whole cannot be used; nothing was checked or written."""


# ---- fields ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Field:
    """One column of an entity's template. ``kind`` says how a cell is read: text, phone, grade,
    choice (one of ``choices``, or a synonym), datetime, amount, user (a username), team or region
    (a name)."""
    name: str
    kind: str = "text"
    required: bool = False
    max_len: int = 200
    choices: tuple[str, ...] = ()
    synonyms: tuple[tuple[str, str], ...] = ()  # (their word, our code), matched case-insensitively
    future_ok: bool = False  # a datetime that may lie after now (a planned next action)
    refuse: tuple[tuple[str, str], ...] = ()  # (word, text key): a word with its own explanation


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    role: str
    team_id: int | None
    active: bool


@dataclass(frozen=True)
class TeamRow:
    id: int
    name: str
    region_id: int


@dataclass
class Lookups:
    """The organisation, loaded once per import: nothing is read from the database per row."""
    users: dict[str, UserRow]
    teams: dict[str, TeamRow]
    teams_by_id: dict[int, TeamRow]
    regions: dict[str, int]
    region_names: dict[int, str]

    @classmethod
    def load(cls, session: Session) -> "Lookups":
        users = {u.username.lower(): UserRow(u.id, u.username, u.role, u.team_id, bool(u.active))
                 for u in session.execute(select(User.id, User.username, User.role, User.team_id, User.active))}
        teams = [TeamRow(r.id, r.name, r.region_id)
                 for r in session.execute(select(Team.id, Team.name, Team.region_id))]
        regions = {r.name: r.id for r in session.execute(select(Region.id, Region.name))}
        return cls(users, {tm.name: tm for tm in teams}, {tm.id: tm for tm in teams}, regions,
                   {i: n for n, i in regions.items()})

    def team_name(self, team_id: int | None) -> str:
        return self.teams_by_id[team_id].name if team_id in self.teams_by_id else ""


# ---- reading a file ----------------------------------------------------------------------------

@dataclass
class Table:
    """A file's header and its data rows, each with its row number (header = row 1)."""
    name: str
    headers: list[str]
    rows: list[tuple[int, list[Any]]]


def file_format(filename: str) -> str:
    """'csv' or 'xlsx', from the file's extension."""
    fmt = Path(filename or "").suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ImportFileError("imp.file.format", "file", name=Path(filename or "?").name)
    return fmt


def read_table(data: bytes, filename: str) -> Table:
    """The header and the non-blank data rows of a CSV (UTF-8, with or without BOM, or GB18030 as
    Excel saves it in China) or of the first sheet of an XLSX workbook."""
    fmt = file_format(filename)
    raw = _csv_rows(data) if fmt == "csv" else _xlsx_rows(data)
    try:
        header = next(raw)
    except StopIteration:
        raise ImportFileError("imp.file.empty", "file") from None
    headers = [_header(h) for h in header]
    while headers and not headers[-1]:
        headers.pop()
    if not any(headers):
        raise ImportFileError("imp.file.no_header", "file")
    seen: set[str] = set()
    for h in headers:
        if h and h.lower() in seen:
            raise ImportFileError("imp.file.duplicate_header", "file", column=h)
        seen.add(h.lower())
    rows = []
    for number, cells in enumerate(raw, start=2):
        cells = list(cells)
        if all(is_blank(c) for c in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFileError("imp.file.too_many_rows", "file", n=f"{MAX_ROWS:,}")
        rows.append((number, cells))
    return Table(Path(filename).name, headers, rows)


def _header(value: Any) -> str:
    return "" if value is None else str(value).replace("\ufeff", "").strip()


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _csv_rows(data: bytes) -> Iterable[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError("imp.file.encoding", "file")
    return iter(csv.reader(io.StringIO(text, newline="")))


def _xlsx_rows(data: bytes) -> Iterable[list]:
    """The first sheet's rows from A1 on (so row numbers are the sheet's), read with calamine: dates
    come as dates, numbers as floats, empty cells as ''."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        return iter(sheet.to_python(skip_empty_area=False))
    except (CalamineError, ValueError, IndexError) as exc:
        raise ImportFileError("imp.file.unreadable", "file", detail=str(exc)[:120] or type(exc).__name__) from None


# ---- the mapping file ---------------------------------------------------------------------------

MAPPING_KEYS = ("entity", "description", "date_format", "columns", "values", "defaults")


@dataclass(frozen=True)
class Mapping:
    """Another system's column names and values, onto ours (see docs/import.md)."""
    name: str = ""
    entity: str | None = None
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)   # their column → our fields
    values: dict[str, dict[str, Any]] = field(default_factory=dict)     # our field → {their value (casefolded): ours}
    defaults: dict[str, Any] = field(default_factory=dict)              # our field → value for an empty cell
    date_formats: tuple[str, ...] = ()


def parse_mapping(data: bytes | str, name: str, entity: str, fields: dict[str, Field]) -> Mapping:
    """Read and check a TOML mapping file for ``entity`` (whose template columns are ``fields``); an
    ImportFileError names the line or key."""
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ImportFileError("imp.map.syntax", "mapping", detail=str(exc)) from None
    except UnicodeDecodeError:
        raise ImportFileError("imp.file.encoding", "mapping") from None

    def bad(msg_key: str, /, **params):
        raise ImportFileError(msg_key, "mapping", **params)

    def our_field(section: str, key: str, target: Any) -> str:
        if not isinstance(target, str):
            bad("imp.map.not_text", section=section, key=key)
        if target not in fields:
            bad("imp.map.unknown_field", section=section, key=key, target=target, entity=entity,
                fields=", ".join(fields))
        return target

    for key in doc:
        if key not in MAPPING_KEYS:
            bad("imp.map.unknown_key", key=key, keys=", ".join(MAPPING_KEYS))
    mapped = doc.get("entity")
    if mapped is not None and mapped != entity:
        bad("imp.map.entity", mapped=str(mapped), entity=entity)

    columns: dict[str, tuple[str, ...]] = {}
    sources: dict[str, str] = {}
    for theirs, ours in _table(doc, "columns", bad).items():
        targets = tuple(our_field("columns", theirs, o) for o in (ours if isinstance(ours, list) else [ours]))
        for target in targets:
            if target in sources:
                bad("imp.map.twice", target=target, first=sources[target], second=theirs)
            sources[target] = theirs
        columns[theirs.strip()] = targets

    values: dict[str, dict[str, Any]] = {}
    for target, table in _table(doc, "values", bad).items():
        our_field("values", target, target)
        if not isinstance(table, dict):
            bad("imp.map.not_table", section=f"values.{target}")
        values[target] = {}
        for theirs, ours in table.items():
            if not isinstance(ours, str):
                bad("imp.map.not_text", section=f"values.{target}", key=theirs)
            values[target][theirs.strip().casefold()] = ours

    defaults = {}
    for target, value in _table(doc, "defaults", bad).items():
        our_field("defaults", target, target)
        if isinstance(value, bool) or not isinstance(value, (str, int, float, date)):
            bad("imp.map.not_text", section="defaults", key=target)
        defaults[target] = value

    formats = doc.get("date_format", ())
    formats = (formats,) if isinstance(formats, str) else formats
    if not isinstance(formats, (list, tuple)) or not all(isinstance(f, str) for f in formats):
        bad("imp.map.date_format", value=str(formats))
    for fmt in formats:
        sample = datetime(2026, 11, 23, 14, 30)
        try:
            ok = "%" in fmt and datetime.strptime(sample.strftime(fmt), fmt).date() == sample.date()
        except ValueError:
            ok = False
        if not ok:
            bad("imp.map.date_format", value=fmt)
    return Mapping(Path(name).name, mapped, columns, values, defaults, tuple(formats))


def _table(doc: dict, section: str, bad) -> dict:
    value = doc.get(section, {})
    if not isinstance(value, dict):
        bad("imp.map.not_table", section=section)
    return value


# ---- checking ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class RowError:
    """One problem in one cell: the row number and column header as in the user's file."""
    row: int
    column: str
    value: str
    key: str
    params: tuple[tuple[str, Any], ...] = ()

    def message(self, lang: str) -> str:
        return t(lang, self.key, **dict(self.params))


@dataclass
class Row:
    """One data row after mapping: each field's value (None when empty), the column it came from
    and the text it had."""
    number: int
    values: dict[str, Any]
    columns: dict[str, str]
    raw: dict[str, str]
    ok: bool = True


class Bad(Exception):
    """A cell that cannot be read as its field's kind."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key, self.params = key, params


class Check:
    """Collects every error of a file; holds what the checks share (lookups, now, entity state)."""

    def __init__(self, lookups: Lookups, now: datetime, date_formats: tuple[str, ...] = ()):
        self.lookups, self.now, self.date_formats = lookups, now, date_formats
        self.errors: list[RowError] = []
        self.state: Any = None  # the entity's own lookups (existing keys)

    def error(self, row: Row | int, field_name: str, key: str, **params) -> None:
        if isinstance(row, Row):
            row.ok = False
            self.errors.append(RowError(row.number, row.columns.get(field_name, field_name),
                                        row.raw.get(field_name, ""), key, tuple(params.items())))
        else:
            self.errors.append(RowError(row, field_name, "", key, tuple(params.items())))


def cell_text(value: Any) -> str:
    """A cell as text: numbers without a trailing .0, dates in ISO."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return str(value).strip()


def convert(f: Field, value: Any, chk: Check) -> Any:
    """A non-empty cell as the value of field ``f``; raises Bad with the reason."""
    text = cell_text(value)
    kind = f.kind
    if kind == "text":
        if len(text) > f.max_len:
            raise Bad("imp.err.too_long", n=f.max_len)
        return text
    if kind == "phone":
        return normalise_phone(text)
    if kind == "grade":
        grade = text.upper()
        if grade not in GRADES:
            raise Bad("imp.err.grade", value=text)
        return grade
    if kind == "choice":
        return _choice(f, text)
    if kind == "datetime":
        moment = value if isinstance(value, datetime) else parse_datetime(text, chk.date_formats)
        if isinstance(moment, date) and not isinstance(moment, datetime):
            moment = datetime.combine(moment, datetime.min.time())
        if not f.future_ok and moment > chk.now:
            raise Bad("imp.err.future", value=moment.isoformat(sep=" "))
        return moment.replace(microsecond=0)
    if kind == "amount":
        return parse_amount(value)
    if kind == "user":
        user = chk.lookups.users.get(text.lower())
        if user is None or not user.active:
            raise Bad("imp.err.user_unknown", value=text)
        if user.role not in OWNER_ROLES:
            raise Bad("imp.err.user_role", value=text)
        return user
    if kind == "team":
        team = chk.lookups.teams.get(text)
        if team is None:
            raise Bad("imp.err.team_unknown", value=text)
        return team
    if kind == "region":
        if text not in chk.lookups.regions:
            raise Bad("imp.err.region_unknown", value=text)
        return chk.lookups.regions[text]
    raise ValueError(f"unknown field kind {kind!r}")


def _choice(f: Field, text: str) -> str:
    folded = text.casefold()
    for code in f.choices:
        if code.casefold() == folded:
            return code
    for word, code in f.synonyms:
        if word.casefold() == folded:
            return code
    for word, key in f.refuse:
        if word.casefold() == folded:
            raise Bad(key, value=text)
    raise Bad("imp.err.choice", value=text, choices=", ".join(f.choices))


def normalise_phone(text: str) -> str:
    """A phone number as stored on a lead or customer: a Chinese mobile or landline number in
    national digits (13945358165, 057188886666), as core.leads.dedupe.display_phone stores it on entry.
    Raises Bad for anything else.

    (Built from dedupe's ``national_number``, which checks the same and costs half as much: a mobile
    number is its national number, a landline gets back its trunk 0.)"""
    from core.leads.dedupe import national_number

    nsn = national_number(text)
    if nsn is None:
        raise Bad("imp.err.phone", value=text)
    return nsn if nsn.startswith("1") and len(nsn) == 11 else "0" + nsn


def phone_key(stored: str | None) -> str:
    """A cheap comparison key for a stored phone, without parsing it: its digits without China's
    +86 / 0086 and without the trunk 0 of a landline — the national significant number
    (13945358165, 57188886666), whichever way it was written."""
    digits = re.sub(r"\D", "", stored or "")
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) in (10, 11):
            digits = digits[len(prefix):]
            break
    return digits.lstrip("0")


def parse_datetime(text: str, formats: tuple[str, ...] = ()) -> datetime:
    """ISO 8601 (2026-11-23, 2026-11-23 14:30, 2026-11-23T14:30:00) and the formats in
    DATE_FORMATS — or, when the mapping file names date formats, exactly those."""
    if not formats:
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            pass
    for fmt in formats or DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise Bad("imp.err.date", value=text)


_MONEY_JUNK = re.compile(r"[,\s¥￥$元]|RMB|CNY", re.IGNORECASE)


def parse_amount(value: Any) -> Decimal:
    """An amount ≥ 0 to the cent: 1234.5, "1,234.50", "¥12,000", "12.5万" (= 125,000)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        text = repr(value)
    else:
        text = _MONEY_JUNK.sub("", cell_text(value))
    factor = Decimal(1)
    if text.endswith("万"):
        text, factor = text[:-1], Decimal(10_000)
    try:
        amount = Decimal(text) * factor
    except InvalidOperation:
        raise Bad("imp.err.number", value=cell_text(value)) from None
    if not amount.is_finite():
        raise Bad("imp.err.number", value=cell_text(value))
    if amount < 0:
        raise Bad("imp.err.negative", value=cell_text(value))
    if amount > MAX_AMOUNT:
        raise Bad("imp.err.too_big", value=cell_text(value))
    return amount.quantize(Decimal("0.01"))


# ---- the report --------------------------------------------------------------------------------

@dataclass
class ImportReport:
    entity: str
    file: str
    rows: int = 0                      # data rows read (blank rows are skipped)
    errors: list[RowError] = field(default_factory=list)
    planned: dict[str, int] = field(default_factory=dict)  # rows written (or that would be) per table
    notes: list[tuple[str, dict]] = field(default_factory=list)  # (text key, params)
    ignored_columns: list[str] = field(default_factory=list)
    mapping: str = ""
    dry_run: bool = True
    written: bool = False
    seconds: float = 0.0
    passwords: dict[str, str] = field(default_factory=dict)  # users import: username → initial password, shown once

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def bad_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors})

    def errors_frame(self, lang: str) -> pd.DataFrame:
        """One line per error: row, column, value, message (in ``lang``), by row."""
        errors = sorted(self.errors, key=lambda e: (e.row, e.column))
        return pd.DataFrame([(e.row, e.column, e.value, e.message(lang)) for e in errors],
                            columns=["row", "column", "value", "message"])

    def summary(self, lang: str) -> list[str]:
        """The report in sentences: rows read, errors or what is (or would be) written, notes."""
        lines = [t(lang, "imp.sum.read", rows=f"{self.rows:,}", file=self.file)
                 + (" " + t(lang, "imp.sum.mapping", mapping=self.mapping) if self.mapping else "")]
        if self.errors:
            lines.append(t(lang, "imp.sum.errors", n=f"{len(self.errors):,}", rows=f"{len(self.bad_rows):,}"))
        else:
            counts = t(lang, "list.sep").join(t(lang, f"imp.table.{k}", n=f"{v:,}")
                                              for k, v in self.planned.items() if v or k == self.entity)
            lines.append(t(lang, "imp.sum.written" if self.written else "imp.sum.would_write", counts=counts))
        sep = t(lang, "list.sep")
        lines += [t(lang, key, **{k: sep.join(v) if isinstance(v, list) else v for k, v in params.items()})
                  for key, params in self.notes]
        if self.ignored_columns:
            lines.append(t(lang, "imp.sum.ignored", columns=sep.join(self.ignored_columns)))
        return lines
