"""The scenario forms of process capture (SPEC §5, 3-click rule): which fields each form has, of which
kind and within which limits, and the error of one refused field.

Both the logging of a form (core.process.capture) and the key step rules (core.process.steps: a
step requires fields of its action's form) are defined over these; this module imports neither.
Each scenario has at most five fields; who (the caller), when (now, or an earlier time the rep
gives), and which customer or lead come from context.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.base.errors import UserError
from core.base.i18n import t
from core.base.vocabulary import OBJECTION_CATEGORIES


@dataclass(frozen=True)
class FieldDef:
    """One form field: its key in ``Activity.fields``, its type and limits.

    kinds: text / longtext (str, ``max_len``), int / number (``minimum``–``maximum``), choice
    (``choices``), bool, list (exactly ``items`` entries of at most ``item_len`` characters, typed
    separated by commas), datetime (not before the activity, within a year; stored as ISO text),
    photos (the number of photos attached, at least the setting ``min_setting``)."""
    key: str
    kind: str
    required: bool = True
    max_len: int = 200
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    items: int = 0
    item_len: int = 40
    alternative: str | None = None  # another key whose presence satisfies this one (note ← voice)
    min_setting: str | None = None
    default: Any = None  # what the form shows first


@dataclass(frozen=True)
class Scenario:
    code: str
    kind: str  # the activity kind of the record
    fields: tuple[FieldDef, ...]
    companion: str | None = None  # a contact written beside the record (first visit: the visit)
    request: bool = False  # may open a cross-department request
    icon: str = ""

    def field(self, key: str) -> FieldDef:
        return next(f for f in self.fields if f.key == key)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields if f.required)


_NEEDS = (
    FieldDef("problem", "longtext", max_len=300),
    FieldDef("concerns", "list", items=3, item_len=40),
    FieldDef("next_action", "text", max_len=200),
    FieldDef("next_action_at", "datetime"),
)
_NEXT = (FieldDef("next_action", "text", required=False, max_len=200),
         FieldDef("next_action_at", "datetime", required=False))

SCENARIOS: tuple[Scenario, ...] = (
    Scenario("first_visit", "needs_summary", _NEEDS, companion="visit", request=True, icon=":material/handshake:"),
    Scenario("needs_summary", "needs_summary", _NEEDS, request=True, icon=":material/edit_note:"),
    Scenario("cold_visit", "visit", (
        FieldDef("outcome", "longtext", max_len=300),
        FieldDef("effective", "bool", default=True),
        FieldDef("attendees", "int", required=False, minimum=1, maximum=50),
        *_NEXT), icon=":material/directions_walk:"),
    Scenario("demo", "demo", (
        FieldDef("product", "text", max_len=60),
        FieldDef("attendees", "int", minimum=1, maximum=200),
        FieldDef("feedback", "longtext", max_len=300),
        *_NEXT), icon=":material/slideshow:"),
    Scenario("proposal", "proposal", (
        FieldDef("product", "text", max_len=60),
        FieldDef("version", "int", minimum=1, maximum=99, default=1),
        FieldDef("amount", "number", required=False, minimum=0, maximum=1e11),
        *_NEXT), icon=":material/description:"),
    Scenario("promotion", "promotion", (
        FieldDef("promotion", "text", max_len=100),
        FieldDef("store", "text", max_len=160),
        FieldDef("period_days", "int", minimum=1, maximum=180, default=7)), icon=":material/campaign:"),
    Scenario("promotion_evidence", "promotion_evidence", (
        FieldDef("photos", "photos", min_setting="promotion_min_photos"),
        FieldDef("note", "longtext", max_len=500, alternative="voice")), icon=":material/photo_camera:"),
    Scenario("objection", "objection", (
        FieldDef("objection", "longtext", max_len=300),
        FieldDef("category", "choice", choices=OBJECTION_CATEGORIES)), icon=":material/report:"),
    Scenario("solution_update", "solution_update", (
        FieldDef("progress", "longtext", max_len=500),
        FieldDef("resolved", "bool", required=False, default=False)), icon=":material/build:"),
    Scenario("renewal", "renewal", (
        FieldDef("contract_months", "int", minimum=1, maximum=120, default=12),
        FieldDef("amount", "number", required=False, minimum=0, maximum=1e11),
        FieldDef("note", "longtext", required=False, max_len=300)), icon=":material/autorenew:"),
    Scenario("complaint", "complaint", (
        FieldDef("issue", "longtext", max_len=300),
        FieldDef("action_taken", "longtext", max_len=300),
        FieldDef("resolved", "bool", default=False)), icon=":material/support_agent:"),
)
SCENARIO_BY_CODE: dict[str, Scenario] = {s.code: s for s in SCENARIOS}


def fields_of_kind(kind: str) -> tuple[str, ...]:
    """Every field key the forms of an activity kind have (what a step may require)."""
    return tuple(dict.fromkeys(f.key for s in SCENARIOS if s.kind == kind for f in s.fields))


class FieldError(UserError):
    """One refused field; its message names the field (``{label}``) in the reader's language."""

    def __init__(self, msg_key: str, field: str | None = None, **params):
        self.msg_key, self.field, self.params = msg_key, field, params
        Exception.__init__(self, self.message("en"))

    def message(self, lang: str) -> str:
        label = t(lang, f"process.f.{self.field}") if self.field else ""
        return t(lang, self.msg_key, label=label, **self.params)


def blank(value: Any) -> bool:
    """Nothing given: None, an empty or blank text, an empty list."""
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, (list, tuple)) and not value)
