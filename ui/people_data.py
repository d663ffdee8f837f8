"""Cached readers of the People pages (SPEC §8). As in ui.data, every cache key holds the caller's
scope key, the arguments and the data version, so nobody sees another's cached rows and a write
from any process shows at the next rerun."""
from __future__ import annotations

from datetime import date

import pandas as pd

from core.people import people
from core.base import users
from core.base.scope import Scope
from ui.data import cached

def reps(scope: Scope) -> pd.DataFrame:
    """Active reps the caller may see: id, display_name, team, team_id (a rep: only themself)."""
    df = cached(users.list_users, scope)
    reps = df[(df["role"] == "rep") & df["active"].astype(bool)]
    return reps[["id", "display_name", "team", "team_id"]].sort_values(["team", "display_name"]).reset_index(drop=True)


def radar(scope: Scope, rep_id: int) -> pd.DataFrame:
    return cached(people.capability_radar, scope, rep_id)


def history(scope: Scope, rep_id: int) -> pd.DataFrame:
    return cached(people.capability_history, scope, rep_id)


def coaching_records(scope: Scope, rep_id: int | None = None) -> pd.DataFrame:
    return cached(people.coaching_records, scope, rep_id=rep_id)


def coverage(scope: Scope, today: date) -> pd.DataFrame:
    return cached(people.coaching_coverage, scope, today)


def articles(scope: Scope, query: str = "", *, dimension: str | None = None, language: str | None = None,
             scenario_tag: str | None = None, limit: int = 100) -> pd.DataFrame:
    return cached(people.search_articles, scope, query, dimension=dimension, language=language,
                  scenario_tag=scenario_tag, limit=limit)
