"""Cached readers of the funnel page (through ui.data.cached: keyed on scope, arguments, the minute and
the data version)."""
from __future__ import annotations

import pandas as pd

from core.funnel import diagnosis
from core.funnel import stages as core_funnel
from core.funnel.stages import FunnelFilters
from core.base.scope import Scope
from ui.data import cached, minute


def funnel(scope: Scope, filters: FunnelFilters) -> core_funnel.Funnel:
    return cached(core_funnel.funnel, scope, filters, minute())


def stage_deals(scope: Scope, stage: str, filters: FunnelFilters) -> pd.DataFrame:
    return cached(core_funnel.stage_deals, scope, stage, filters, minute())


def stalled_deals(scope: Scope, filters: FunnelFilters) -> pd.DataFrame:
    return cached(core_funnel.stalled_deals, scope, filters, minute())


def win_rates(scope: Scope, filters: FunnelFilters, by: str) -> pd.DataFrame:
    return cached(core_funnel.win_rates, scope, filters, by)


def timeline(scope: Scope, opportunity_id: int) -> core_funnel.Timeline | None:
    return cached(core_funnel.timeline, scope, opportunity_id, minute())


def filter_options(scope: Scope) -> dict:
    return cached(core_funnel.filter_options, scope)


def conversion_check(scope: Scope, filters: FunnelFilters) -> tuple:
    """Each stage's last complete week against its 4-week level, with the breakdown of each drop."""
    return cached(diagnosis.conversion_check, scope, minute(), filters)
