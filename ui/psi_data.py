"""Cached readers of the PSI, process-analysis and issues & requests pages (through ui.data.cached:
keyed on the read, the caller's scope, the arguments and the data version)."""
from __future__ import annotations

from datetime import date

import pandas as pd

from core.base import customers
from core.process import heatmap
from core.process import lag
from core.process import psi
from core.process import requests as service
from core.base.query import Filters
from core.base.scope import Scope
from ui.data import cached, minute


def psi_report(scope: Scope, month: str, team_id: int | None) -> psi.PsiReport:
    return cached(psi.psi_report, scope, month, minute(), team_id)


def lag_summary(scope: Scope, filters: Filters) -> lag.LagSummary:
    return cached(lag.lag_summary, scope, filters)


def lag_by_group(scope: Scope, filters: Filters, by: str) -> pd.DataFrame:
    return cached(lag.lag_by_group, scope, filters, by)


def lag_histogram(scope: Scope, filters: Filters) -> pd.DataFrame:
    return cached(lag.lag_histogram, scope, filters)


def flagged_activities(scope: Scope, filters: Filters) -> pd.DataFrame:
    return cached(lag.flagged_activities, scope, filters)


def bottlenecks(scope: Scope, week_end: date) -> pd.DataFrame:
    return cached(heatmap.bottlenecks, scope, week_end, minute())


def requests(scope: Scope, status: str) -> pd.DataFrame:
    return cached(service.requests, scope, minute(), status)


def issues(scope: Scope, status: str) -> pd.DataFrame:
    return cached(service.issues, scope, minute(), status)


def customers_of(scope: Scope) -> pd.DataFrame:
    """The caller's customers (a rep's own, a lead's teams'), newest first, for the forms."""
    return cached(customers.customers, scope, limit=500)
