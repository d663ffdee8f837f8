"""Thresholds, windows and weights: defaults from SPEC, values an admin sets in the settings table.

Every figure a page or job uses is read through ``get``/``all_settings``; none is a literal elsewhere.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.base.access import guarded
from core.base.errors import UserError
from core.base.models import AuditLog, Setting
from core.base.scope import Scope, company_read
from core.base.vocabulary import STAGES


class InvalidSetting(UserError):
    """A setting value outside its allowed range; ``key`` (also ``field``) names the setting."""

    @property
    def key(self) -> str:
        return self.field or ""


@dataclass(frozen=True)
class SettingDef:
    key: str
    default: Any
    kind: type
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()


_DEFS = [
    # Lights (SPEC §5): red below light_red_below, green above light_green_above, yellow between.
    SettingDef("light_red_below", 80.0, float, 0, 100),
    SettingDef("light_green_above", 90.0, float, 0, 100),
    SettingDef("cockpit_window_days", 7, int, 1, 92),
    SettingDef("explain_share", 0.5, float, 0.1, 1.0),
    SettingDef("explain_max_groups", 3, int, 1, 10),
    # Leads (SPEC §3)
    SettingDef("first_response_hours", 48.0, float, 1, 720),
    SettingDef("grade_a_hours", 48.0, float, 1, 720),
    SettingDef("grade_b_hours", 72.0, float, 1, 720),
    SettingDef("grade_c_hours", 168.0, float, 1, 2160),
    SettingDef("escalation_hours", 2.0, float, 0.25, 72),
    SettingDef("rep_daily_lead_cap", 15, int, 1, 500),
    SettingDef("lead_stuck_days", 5, int, 1, 90),
    # Funnel (SPEC §4): upper bound of each stage's standard dwell time, days
    SettingDef("stage_max_days_initial_contact", 5, int, 1, 365),
    SettingDef("stage_max_days_needs_confirmed", 10, int, 1, 365),
    SettingDef("stage_max_days_proposal", 8, int, 1, 365),
    SettingDef("stage_max_days_negotiation", 15, int, 1, 365),
    SettingDef("stage_max_days_contract_signed", 3, int, 1, 365),
    # … and the lower bound of each standard range (a stay shorter than it is quick, not wrong)
    SettingDef("stage_min_days_initial_contact", 3, int, 0, 365),
    SettingDef("stage_min_days_needs_confirmed", 7, int, 0, 365),
    SettingDef("stage_min_days_proposal", 5, int, 0, 365),
    SettingDef("stage_min_days_negotiation", 10, int, 0, 365),
    SettingDef("stage_min_days_contract_signed", 2, int, 0, 365),
    SettingDef("funnel_window_days", 30, int, 1, 366),
    SettingDef("conversion_drop_points", 15.0, float, 1, 100),
    # Process (SPEC §5, §6)
    SettingDef("team_low_rate", 70.0, float, 0, 100),
    SettingDef("team_low_rate_days", 3, int, 1, 30),
    SettingDef("logging_lag_flag_hours", 72.0, float, 1, 720),
    SettingDef("psi_weight_on_time", 0.40, float, 0, 1),
    SettingDef("psi_weight_closure", 0.35, float, 0, 1),
    SettingDef("psi_weight_collaboration", 0.25, float, 0, 1),
    # ---- lead desk (SPEC §3) ----
    # Routing: a lead no rule matches goes to this team (0: no team; the lead waits in the company
    # pool and the admins are alerted). Pool (公海) company defaults, each overridable per team:
    # no follow-up for 7 days (grade C's second-touch window) or not converted 30 days after the
    # rep got it → back to the pool (0 switches a rule off); 5 claims per rep per day; a rep may not
    # re-claim a lead they lost in the last 7 days. A rep sees "about to return" 2 days ahead. The
    # lead board's quick check draws 5 leads of the last 7 days; its counts cover 30 days.
    SettingDef("routing_fallback_team", 0, int, 0, 2_147_483_647),
    SettingDef("pool_no_follow_up_days", 7, int, 0, 365),
    SettingDef("pool_not_converted_days", 30, int, 0, 730),
    SettingDef("pool_claim_cap_per_day", 5, int, 1, 500),
    SettingDef("pool_claim_cooldown_days", 7, int, 0, 365),
    SettingDef("pool_warn_days", 2, int, 0, 30),
    SettingDef("lead_check_sample", 5, int, 1, 50),
    SettingDef("lead_check_days", 7, int, 1, 31),
    SettingDef("lead_board_days", 30, int, 1, 366),
    SettingDef("assignment_log_days", 7, int, 1, 90),  # the pool's and the board's assignment history, days
    # entry form: a company name this similar (0–1, after dropping suffixes and places) to a customer's is a match
    SettingDef("duplicate_name_similarity", 0.8, float, 0.5, 1.0),
    # inbox: an A lead still without its proposal this many hours after assignment gets the reminder message
    SettingDef("grade_a_reminder_hours", 23.0, float, 0, 720),
    # ---- process capture (SPEC §5, §6) ----
    # Scenario forms: photos a promotion's evidence needs, how far back an activity may be dated,
    # and the upload limits (per file, per record, files per record).
    SettingDef("promotion_min_photos", 3, int, 1, 20),
    SettingDef("activity_backdate_days", 14, int, 1, 90),
    SettingDef("upload_max_file_mb", 10.0, float, 0.1, 100),
    SettingDef("upload_max_record_mb", 30.0, float, 0.1, 500),
    SettingDef("upload_max_files", 10, int, 1, 30),
    # PSI (SPEC §6): the shorter-is-better targets (closure: median days to close an issue;
    # collaboration: mean hours to answer a request), the tier edges with the partial tier's payout
    # (% of the process incentive), the trend's length; the low-rate alert's stale-customer window
    # and how many open issue titles it names.
    SettingDef("psi_closure_target_days", 3.0, float, 0.1, 90),
    SettingDef("psi_collaboration_target_hours", 24.0, float, 1, 720),
    SettingDef("psi_tier_full", 90.0, float, 0, 100),
    SettingDef("psi_tier_partial", 80.0, float, 0, 100),
    SettingDef("psi_tier_partial_payout", 80.0, float, 0, 100),
    SettingDef("psi_trend_months", 6, int, 2, 24),
    SettingDef("low_rate_stale_days", 7, int, 1, 90),
    SettingDef("low_rate_top_issues", 3, int, 1, 10),
    # ---- people: scorecard (SPEC §8) ----
    # Scorecard = results · w + process · w + quality · w (re-weighted over the parts with data); a rep
    # sees the team average and their rank only once this many reps of the team have a full score (below
    # that, a teammate's score could be worked out). Points per recorded action (computed, not stored).
    # A rep whose account is younger than onboarding_days sees the first-week tasks.
    SettingDef("scorecard_weight_results", 0.60, float, 0, 1),
    SettingDef("scorecard_weight_process", 0.25, float, 0, 1),
    SettingDef("scorecard_weight_quality", 0.15, float, 0, 1),
    SettingDef("scorecard_team_min_reps", 3, int, 2, 50),
    SettingDef("scorecard_trend_weeks", 8, int, 2, 26),
    SettingDef("points_step_on_time", 2.0, float, 0, 1000),
    SettingDef("points_effective_visit", 1.0, float, 0, 1000),
    SettingDef("points_won_deal", 10.0, float, 0, 1000),
    SettingDef("points_payment_collected", 5.0, float, 0, 1000),
    SettingDef("onboarding_days", 30, int, 7, 365),
    # ---- funnel (SPEC §4) ----
    # a week's conversion is judged against its 4-week level only with this many decided deals in each
    SettingDef("conversion_drop_min_decided", 10, int, 1, 10_000),
    # ---- cash: records (SPEC §7) ----
    # a contract may be invoiced once its receipts are MORE than this share (0–1) of its amount
    SettingDef("invoice_min_paid_share", 0.95, float, 0.5, 1.0),
    # ---- cash: reconciliation and data quality (SPEC §7) ----
    # Reconciliation: a contract's three figures (amount, received, shipped) disagree when they lie
    # more than the tolerance (¥) apart; the month's discrepancy rate is green at or below
    # reconciliation_green_at_most (%), red above reconciliation_red_above (%), yellow between.
    # The data-quality scan looks at the activities logged in the last quality_scan_days days for
    # late logging (logging_lag_flag_hours) and uses the tolerance for overpaid contracts.
    SettingDef("reconciliation_tolerance", 1.0, float, 0, 1_000_000),
    SettingDef("reconciliation_green_at_most", 1.0, float, 0, 100),
    SettingDef("reconciliation_red_above", 3.0, float, 0, 100),
    SettingDef("quality_scan_days", 30, int, 1, 366),
    # ---- targets (SPEC §8): an open deal counts in the basis targets are allocated
    # and re-allocated by at its amount × its stage's weight (0–1) × its customer type × product weight
    SettingDef("target_pipeline_weight_initial_contact", 0.1, float, 0, 1),
    SettingDef("target_pipeline_weight_needs_confirmed", 0.25, float, 0, 1),
    SettingDef("target_pipeline_weight_proposal", 0.5, float, 0, 1),
    SettingDef("target_pipeline_weight_negotiation", 0.75, float, 0, 1),
    SettingDef("target_pipeline_weight_contract_signed", 0.9, float, 0, 1),
    # ---- people: target health (target health part; SPEC §8) ----
    # Three lights per rep and team: achievement (signed to date ÷ target to date, %), process (the
    # month's PSI), resource match (open weighted pipeline ÷ target still to sign, %); each open deal
    # counts amount × its stage's weight. The intervention job alerts the lead when a rep's or team's
    # week's achievement was below health_intervention_below in each of the last N complete weeks.
    SettingDef("health_achievement_red_below", 70.0, float, 0, 1000),
    SettingDef("health_achievement_green_above", 90.0, float, 0, 1000),
    SettingDef("health_process_red_below", 80.0, float, 0, 100),
    SettingDef("health_process_green_above", 90.0, float, 0, 100),
    SettingDef("health_coverage_red_below", 100.0, float, 0, 10_000),
    SettingDef("health_coverage_green_above", 150.0, float, 0, 10_000),
    SettingDef("health_intervention_below", 70.0, float, 0, 1000),
    SettingDef("health_intervention_weeks", 2, int, 1, 8),
    # People and language
    # People (SPEC §8): coaching coverage window, the next-points to-do's default due date, the window
    # of the coaching ratings shown, and how many reps of a team must be assessed before a rep sees
    # the team's average (below that, one teammate's scores could be worked out from it).
    SettingDef("coaching_coverage_days", 14, int, 1, 92),
    SettingDef("coaching_todo_days", 7, int, 1, 90),
    SettingDef("coaching_rating_days", 90, int, 7, 730),
    SettingDef("capability_team_min_reps", 3, int, 2, 50),
    # ---- incentives (SPEC §8) ----
    # The defaults of the incentive model (version 0, before a director applies one): result points
    # of a new customer's deal and of a strategic industry's deal or payment are weighted 1.0 and 1.5,
    # collaboration points 0.3; a point pays incentive_yuan_per_point; a team whose complaint rate (%)
    # is above incentive_breaker_complaint_pct has incentive_breaker_freeze_pct (%) of its process
    # pool frozen. Points for closing a customer issue and for a cross-department request answered;
    # the points_ledger job grants the actions of the last incentive_ledger_days days.
    SettingDef("incentive_weight_new_customer", 1.0, float, 0, 10),
    SettingDef("incentive_weight_strategic", 1.5, float, 0, 10),
    SettingDef("incentive_weight_collaboration", 0.3, float, 0, 10),
    SettingDef("incentive_yuan_per_point", 20.0, float, 0, 100_000),
    SettingDef("incentive_breaker_complaint_pct", 10.0, float, 0, 100),
    SettingDef("incentive_breaker_freeze_pct", 30.0, float, 0, 100),
    SettingDef("incentive_points_issue_closed", 3.0, float, 0, 1000),
    SettingDef("incentive_points_request_answered", 2.0, float, 0, 1000),
    SettingDef("incentive_ledger_days", 62, int, 1, 731),
    SettingDef("default_language", "zh", str, choices=("zh", "en")),
    SettingDef("max_failed_logins", 5, int, 1, 100),
    SettingDef("lockout_minutes", 15, int, 1, 1440),
    # ---- pushing alerts and briefs to channels ----
    # a failed delivery is tried again after backoff, 2×, 4× … minutes, at most max_attempts times;
    # one attempt waits at most timeout seconds for the endpoint
    SettingDef("delivery_max_attempts", 5, int, 1, 20),
    SettingDef("delivery_backoff_minutes", 5.0, float, 0.5, 1440),
    SettingDef("delivery_timeout_seconds", 5.0, float, 1, 30),
    # the morning brief is pushed to the channels that take it from this hour on, Monday to Friday
    SettingDef("brief_push_hour", 8, int, 0, 23),
]
DEFINITIONS: dict[str, SettingDef] = {d.key: d for d in _DEFS}


def validate(key: str, value: Any) -> Any:
    """Return ``value`` converted to the setting's type, or raise InvalidSetting."""
    if key not in DEFINITIONS:
        raise InvalidSetting("err.setting_unknown", key, key=key)
    d = DEFINITIONS[key]
    try:
        converted = d.kind(value)
    except (TypeError, ValueError):
        raise InvalidSetting("err.setting_number", key, key=key) from None
    if d.kind is float and not math.isfinite(converted):
        raise InvalidSetting("err.setting_number", key, key=key)
    if d.kind is int and isinstance(value, float) and not float(value).is_integer():
        raise InvalidSetting("err.setting_whole", key, key=key)
    if d.choices and converted not in d.choices:
        raise InvalidSetting("err.setting_choice", key, key=key, choices=", ".join(d.choices))
    if d.minimum is not None and converted < d.minimum:
        raise InvalidSetting("err.setting_min", key, key=key, min=f"{d.minimum:g}")
    if d.maximum is not None and converted > d.maximum:
        raise InvalidSetting("err.setting_max", key, key=key, max=f"{d.maximum:g}")
    return converted


def all_settings(session: Session) -> dict[str, Any]:
    """Every setting: the stored value where an admin set one, else the default."""
    values = {k: d.default for k, d in DEFINITIONS.items()}
    for key, value in session.execute(select(Setting.key, Setting.value)):
        if key in DEFINITIONS:
            values[key] = DEFINITIONS[key].kind(value)
    return values


def get(session: Session, key: str) -> Any:
    if key not in DEFINITIONS:
        raise KeyError(key)
    row = session.get(Setting, key)
    return DEFINITIONS[key].default if row is None else DEFINITIONS[key].kind(row.value)


@company_read
def current_settings(scope: Scope, session: Session) -> dict[str, Any]:
    """Every setting, as a page reads it (the same for every caller)."""
    return all_settings(session)


@guarded("settings.save")
def save_settings(session: Session, scope: Scope, changes: dict[str, Any], now: datetime) -> None:
    """Validate every change first, then write them all with their audit rows (same transaction)."""
    by_user_id = scope.user_id or None  # the command line and the jobs act for the company (0)
    errors: list[InvalidSetting] = []
    clean: dict[str, Any] = {}
    for k, v in changes.items():  # every refused value at once, each at its field
        try:
            clean[k] = validate(k, v)
        except InvalidSetting as exc:
            errors.append(exc)
    if errors:
        raise InvalidSettings(errors)
    values = all_settings(session) | clean
    errors = cross_check(values, clean)
    if errors:
        raise InvalidSettings(errors)
    for key, value in clean.items():
        row = session.get(Setting, key)
        old = DEFINITIONS[key].default if row is None else DEFINITIONS[key].kind(row.value)  # 92.0, not 92
        if row is None:
            session.add(Setting(key=key, value=value, updated_at=now, updated_by=by_user_id))
        else:
            row.value, row.updated_at, row.updated_by = value, now, by_user_id
        session.add(AuditLog(at=now, user_id=by_user_id, action="update", entity="setting",
                             entity_id=key, detail={"old": old, "new": value}))


# ---- company set-up: the settings page's groups and the checks across fields ----------

class InvalidSettings(InvalidSetting):
    """Several settings refused at once: the first one's message and field, and ``errors``, every one
    (ui.write shows each at its field)."""

    def __init__(self, errors: list[InvalidSetting]):
        first = errors[0]
        super().__init__(first.msg_key, first.field, **first.params)
        self.errors = errors


# (lower, upper, text key): the lower setting may not exceed the upper one
BOUNDS: list[tuple[str, str, str]] = [
    ("light_red_below", "light_green_above", "err.setting_red_above_green"),
    ("reconciliation_green_at_most", "reconciliation_red_above", "quality.err.setting_green_above_red"),
    *[(f"stage_min_days_{stage}", f"stage_max_days_{stage}", "funnel.err.setting_min_above_max") for stage in STAGES],
    ("psi_tier_partial", "psi_tier_full", "company.err.setting_bounds"),
    ("upload_max_file_mb", "upload_max_record_mb", "company.err.setting_bounds"),
]
# weights that are re-weighted over the parts with data: at least one of each set must count
WEIGHT_SETS: list[tuple[str, ...]] = [
    ("psi_weight_on_time", "psi_weight_closure", "psi_weight_collaboration"),
    ("scorecard_weight_results", "scorecard_weight_process", "scorecard_weight_quality"),
]


def cross_check(values: dict[str, Any], changed: dict[str, Any]) -> list[InvalidSetting]:
    """Every check across settings that ``values`` (all settings, with the changes) fails; each
    refusal at the changed setting of the pair (the lower one when both or neither changed)."""
    errors: list[InvalidSetting] = []
    for lo, hi, key in BOUNDS:
        if lo in values and hi in values and values[lo] > values[hi]:
            field = hi if hi in changed and lo not in changed else lo
            errors.append(InvalidSetting(key, field, min=values[lo], max=values[hi], low=lo, high=hi))
    for keys in WEIGHT_SETS:
        if all(k in values for k in keys) and sum(values[k] for k in keys) <= 0:
            field = next((k for k in keys if k in changed), keys[0])
            errors.append(InvalidSetting("company.err.setting_weights", field, keys=", ".join(keys)))
    return errors


# the settings page's groups, in order; a setting no group names shows under "other"
GROUPS: dict[str, tuple[str, ...]] = {
    "lights": ("light_red_below", "light_green_above", "cockpit_window_days", "explain_share", "explain_max_groups",
               "team_low_rate", "team_low_rate_days", "low_rate_stale_days", "low_rate_top_issues"),
    "leads": ("first_response_hours", "grade_a_hours", "grade_b_hours", "grade_c_hours", "escalation_hours",
              "rep_daily_lead_cap", "lead_stuck_days", "duplicate_name_similarity", "grade_a_reminder_hours",
              "lead_check_sample", "lead_check_days", "lead_board_days", "assignment_log_days"),
    "pool": ("routing_fallback_team", "pool_no_follow_up_days", "pool_not_converted_days", "pool_claim_cap_per_day",
             "pool_claim_cooldown_days", "pool_warn_days"),
    "funnel": (*[f"stage_{b}_days_{stage}" for stage in STAGES for b in ("min", "max")], "funnel_window_days",
               "conversion_drop_points", "conversion_drop_min_decided"),
    "process": ("logging_lag_flag_hours", "promotion_min_photos", "activity_backdate_days", "upload_max_file_mb",
                "upload_max_record_mb", "upload_max_files"),
    "psi": ("psi_weight_on_time", "psi_weight_closure", "psi_weight_collaboration", "psi_closure_target_days",
            "psi_collaboration_target_hours", "psi_tier_full", "psi_tier_partial", "psi_tier_partial_payout",
            "psi_trend_months"),
    "people": ("scorecard_weight_results", "scorecard_weight_process", "scorecard_weight_quality",
               "scorecard_team_min_reps", "scorecard_trend_weeks", "points_step_on_time", "points_effective_visit",
               "points_won_deal", "points_payment_collected", "onboarding_days", "coaching_coverage_days",
               "coaching_todo_days", "coaching_rating_days", "capability_team_min_reps"),
    "targets": (*[f"target_pipeline_weight_{stage}" for stage in STAGES],
                "health_achievement_red_below", "health_achievement_green_above", "health_process_red_below",
                "health_process_green_above", "health_coverage_red_below", "health_coverage_green_above",
                "health_intervention_below", "health_intervention_weeks"),
    "incentives": ("incentive_weight_new_customer", "incentive_weight_strategic", "incentive_weight_collaboration",
                   "incentive_yuan_per_point", "incentive_breaker_complaint_pct", "incentive_breaker_freeze_pct",
                   "incentive_points_issue_closed", "incentive_points_request_answered", "incentive_ledger_days"),
    "delivery": ("delivery_max_attempts", "delivery_backoff_minutes", "delivery_timeout_seconds", "brief_push_hour"),
    "cash": ("invoice_min_paid_share", "reconciliation_tolerance", "reconciliation_green_at_most",
             "reconciliation_red_above", "quality_scan_days"),
    "login": ("default_language", "max_failed_logins", "lockout_minutes"),
}


def grouped() -> list[tuple[str, list[SettingDef]]]:
    """(group, its settings) in the page's order: every setting exactly once, unknown ones under 'other'."""
    seen: set[str] = set()
    out: list[tuple[str, list[SettingDef]]] = []
    for group, keys in GROUPS.items():
        defs = [DEFINITIONS[k] for k in keys if k in DEFINITIONS and k not in seen]
        seen.update(d.key for d in defs)
        if defs:
            out.append((group, defs))
    rest = [d for k, d in DEFINITIONS.items() if k not in seen]
    if rest:
        out.append(("other", rest))
    return out


def light(rate_pct: float | None, red_below: float, green_above: float) -> str:
    """'red', 'yellow', 'green' for a rate in % (None → 'grey': nothing decided yet).

    Red below ``red_below``; green above ``green_above``; yellow from red_below to green_above
    inclusive (80 → yellow, 90 → yellow, 90.1 → green).
    """
    if rate_pct is None:
        return "grey"
    if rate_pct < red_below:
        return "red"
    if rate_pct > green_above:
        return "green"
    return "yellow"
