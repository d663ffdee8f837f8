"""People (SPEC §8): the capability radar, coaching records and the knowledge base.

Reads take the caller's Scope first and aggregate in SQL; writes validate every field before they
touch the database, raise ``InvalidPeopleInput`` (a UserError naming its field) for bad input, and
add their audit row in the caller's unit of work (core.base.db.write_tx), so nothing is half-written.

Who sees what:
- capability scores and coaching records belong to the rep (``owner_id``) and their team: a rep
  sees their own, a lead their teams', director and admin every team. Finance has no business here.
- A rep sees the team's average next to their own radar only when at least
  ``capability_team_min_reps`` reps of the team are assessed: in a smaller team one teammate's
  scores could be worked out from the average.
- The reps' ratings of their coaching are for the director (and admin): a lead does not see single
  ratings, so that reps can rate honestly.
- Knowledge articles are company-wide: everyone reads them; admins and leads edit them.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import case, distinct, func, literal, or_, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.exc import StaleDataError

from core.base import rules
from core.base.customers import clean_search
from core.base.errors import UserError
from core.base.models import AuditLog, CapabilityScore, CoachingRecord, KnowledgeArticle, Team, Todo, User
from core.base.vocabulary import ARTICLE_LANGUAGES, DIMENSIONS, SCENARIO_TAGS, SCORES
from core.base.scope import Scope, ScopeError, company_read, scoped_read

PEOPLE_ROLES = ("director", "lead", "rep", "admin")
EDITOR_ROLES = ("admin", "lead")
SUMMARY_MAX = 500
NEXT_POINTS_MAX = 500
NOTE_MAX = 300
TITLE_MAX = 200
PART_MAX = 4000
CUSTOMER_TYPE_MAX = 40
MAX_BACKDATE_DAYS = 31   # a coaching session is recorded within a month
MAX_DUE_DAYS = 365       # the to-do's due date lies within a year
MAX_TERMS = 5            # search words (each must match)


class InvalidPeopleInput(UserError):
    """A coaching, assessment or article value is not acceptable; ``field`` names the form field."""


class EditConflict(UserError):
    """The article was changed by someone else since it was opened: nothing was saved."""


# ---- scope helpers -------------------------------------------------------------------------------

def _people_scope(scope: Scope) -> None:
    if scope.role not in PEOPLE_ROLES:
        raise ScopeError("coaching and capability data are for directors, leads, reps and admins")


def _visible_rep(scope: Scope, session: Session, rep_id: Any) -> User:
    """The rep ``rep_id`` if the caller may see them; the same ScopeError for 'not there' and
    'not yours', so the answer tells nothing about other teams."""
    _people_scope(scope)
    refused = ScopeError(f"rep {rep_id!r} is not in your scope")
    if isinstance(rep_id, bool) or not isinstance(rep_id, int):
        raise refused
    stmt = scope.apply(select(User).where(User.id == rep_id, User.role == "rep"), User.id, User.team_id)
    rep = session.scalar(stmt)
    if rep is None:
        raise refused
    return rep




# A read of company-wide rows (the knowledge base): every role sees the same; it needs the caller's Scope.


# ---- capability: reads ---------------------------------------------------------------------------

def _latest_scores(owner_filter) -> Any:
    """Subquery: the newest score of each (rep, dimension) matching ``owner_filter``."""
    ranked = (select(CapabilityScore.owner_id, CapabilityScore.dimension, CapabilityScore.score,
                     CapabilityScore.assessed_at,
                     func.row_number().over(partition_by=(CapabilityScore.owner_id, CapabilityScore.dimension),
                                            order_by=(CapabilityScore.assessed_at.desc(),
                                                      CapabilityScore.id.desc())).label("rn"))
              .where(owner_filter).subquery())
    return select(ranked.c.owner_id, ranked.c.dimension, ranked.c.score, ranked.c.assessed_at).where(
        ranked.c.rn == 1).subquery()


@scoped_read
def capability_radar(scope: Scope, session: Session, rep_id: int) -> pd.DataFrame:
    """One row per dimension (in DIMENSIONS order): the rep's newest score (1–5, NaN when never
    assessed), when it was given, and the team average of the newest scores of the team's active
    reps (NaN when nobody is assessed, or for a rep's own view of a too small team)."""
    rep = _visible_rep(scope, session, rep_id)
    own = _latest_scores(CapabilityScore.owner_id == rep.id)
    mine = {r.dimension: (r.score, r.assessed_at) for r in session.execute(select(own))}

    team_reps = select(User.id).where(User.team_id == rep.team_id, User.role == "rep", User.active.is_(True))
    latest = _latest_scores(CapabilityScore.owner_id.in_(team_reps))
    team = {r.dimension: float(r.avg) for r in session.execute(
        select(latest.c.dimension, func.avg(latest.c.score).label("avg")).group_by(latest.c.dimension))}
    assessed = session.scalar(select(func.count(distinct(latest.c.owner_id)))) or 0
    if rep.team_id is None or (scope.own_only and assessed < rules.get(session, "capability_team_min_reps")):
        team = {}
    return pd.DataFrame({
        "dimension": list(DIMENSIONS),
        "score": [float(mine[d][0]) if d in mine else float("nan") for d in DIMENSIONS],
        "assessed_at": pd.to_datetime([mine[d][1] if d in mine else None for d in DIMENSIONS]),
        "team_average": [team.get(d, float("nan")) for d in DIMENSIONS],
        "owner_id": [rep.id] * len(DIMENSIONS),
    })


@scoped_read
def capability_history(scope: Scope, session: Session, rep_id: int) -> pd.DataFrame:
    """Every score the rep was given, oldest first: assessed_at, dimension, score, by (name), note."""
    rep = _visible_rep(scope, session, rep_id)
    lead = aliased(User)
    stmt = (select(CapabilityScore.assessed_at, CapabilityScore.dimension, CapabilityScore.score,
                   lead.display_name.label("assessed_by"), CapabilityScore.note, CapabilityScore.owner_id)
            .join(lead, lead.id == CapabilityScore.assessed_by)
            .where(CapabilityScore.owner_id == rep.id)
            .order_by(CapabilityScore.assessed_at, CapabilityScore.id))
    return pd.read_sql(scope.apply(stmt, CapabilityScore.owner_id, CapabilityScore.team_id), session.connection())


def weakest_dimension(radar: pd.DataFrame) -> str | None:
    """The dimension to work on: the lowest score; on a tie the one furthest below the team
    average, then the first in DIMENSIONS order. None when nothing is scored."""
    scored = radar.dropna(subset=["score"])
    if scored.empty:
        return None
    gap = (scored["score"] - scored["team_average"]).fillna(0.0)
    order = scored["dimension"].map(DIMENSIONS.index)
    ranked = scored.assign(_gap=gap, _order=order).sort_values(["score", "_gap", "_order"])
    return str(ranked["dimension"].iloc[0])


# ---- coaching: reads -----------------------------------------------------------------------------

@scoped_read
def coaching_records(scope: Scope, session: Session, rep_id: int | None = None, limit: int = 500) -> pd.DataFrame:
    """Coaching records in scope, newest first: id, coached_on, rep, lead, team, dimension,
    scenario_practiced, summary, next_points, rep_rating and rated_at (empty for a lead: ratings
    are for the director), owner_id."""
    _people_scope(scope)
    rep, lead = aliased(User), aliased(User)
    hide = scope.role == "lead"
    stmt = (select(CoachingRecord.id, CoachingRecord.coached_on, rep.display_name.label("rep"),
                   lead.display_name.label("lead"), Team.name.label("team"), CoachingRecord.dimension,
                   CoachingRecord.scenario_practiced, CoachingRecord.summary, CoachingRecord.next_points,
                   (literal(None) if hide else CoachingRecord.rep_rating).label("rep_rating"),
                   (literal(None) if hide else CoachingRecord.rated_at).label("rated_at"),
                   CoachingRecord.owner_id)
            .join(rep, rep.id == CoachingRecord.owner_id)
            .join(lead, lead.id == CoachingRecord.lead_id)
            .outerjoin(Team, Team.id == CoachingRecord.team_id)
            .order_by(CoachingRecord.coached_on.desc(), CoachingRecord.id.desc()))
    stmt = scope.apply(stmt, CoachingRecord.owner_id, CoachingRecord.team_id)
    if rep_id is not None:
        stmt = stmt.where(CoachingRecord.owner_id == rep_id)
    df = pd.read_sql(stmt.limit(max(1, min(int(limit), 5000))), session.connection())
    df["coached_on"] = pd.to_datetime(df["coached_on"]).dt.date
    df["rep_rating"] = pd.to_numeric(df["rep_rating"]).astype("Float64")
    df["rated_at"] = pd.to_datetime(df["rated_at"])
    df["scenario_practiced"] = df["scenario_practiced"].astype(bool)
    return df


@scoped_read
def coaching_coverage(scope: Scope, session: Session, today: date) -> pd.DataFrame:
    """Per team in scope: team, lead, active reps, reps coached in the coverage window (the last
    ``coaching_coverage_days`` days up to ``today``), coverage (share 0–1, NaN without reps), and —
    for the director and admin — the number and mean (1–5) of the reps' ratings of the team lead's
    coaching in the last ``coaching_rating_days`` days. Leads see their teams' coverage only."""
    _people_scope(scope)
    if scope.own_only:
        raise ScopeError("coaching coverage is for leads, directors and admins")
    settings = rules.all_settings(session)
    since = today - timedelta(days=settings["coaching_coverage_days"] - 1)
    rated_since = today - timedelta(days=settings["coaching_rating_days"] - 1)
    lead = aliased(User)
    teams = select(Team.id.label("team_id"), Team.name.label("team"), lead.display_name.label("lead"),
                   Team.lead_user_id).outerjoin(lead, lead.id == Team.lead_user_id).order_by(Team.name)
    if scope.team_ids is not None:
        teams = teams.where(Team.id.in_(sorted(scope.team_ids)))
    df = pd.read_sql(teams, session.connection())

    active_rep = (User.role == "rep") & User.active.is_(True)
    reps = dict(session.execute(select(User.team_id, func.count()).where(active_rep).group_by(User.team_id)).all())
    coached = dict(session.execute(
        select(User.team_id, func.count(distinct(CoachingRecord.owner_id)))
        .join(User, (User.id == CoachingRecord.owner_id) & (User.team_id == CoachingRecord.team_id))
        .where(active_rep, CoachingRecord.coached_on >= since, CoachingRecord.coached_on <= today)
        .group_by(User.team_id)).all())
    ratings = {r.team_id: (r.n, r.mean) for r in session.execute(
        select(CoachingRecord.team_id, func.count(CoachingRecord.rep_rating).label("n"),
               func.avg(CoachingRecord.rep_rating).label("mean"))
        .join(Team, (Team.id == CoachingRecord.team_id) & (Team.lead_user_id == CoachingRecord.lead_id))
        .where(CoachingRecord.coached_on >= rated_since, CoachingRecord.coached_on <= today,
               CoachingRecord.rep_rating.is_not(None))
        .group_by(CoachingRecord.team_id))}

    df["reps"] = df["team_id"].map(lambda t: int(reps.get(t, 0))).astype("int64")
    df["coached"] = df["team_id"].map(lambda t: int(coached.get(t, 0))).astype("int64")
    df["coverage"] = (df["coached"] / df["reps"]).where(df["reps"] > 0).astype("float64")
    show = scope.role != "lead"
    df["ratings"] = df["team_id"].map(lambda t: int(ratings[t][0]) if show and t in ratings else 0).astype("int64")
    df["mean_rating"] = df["team_id"].map(
        lambda t: float(ratings[t][1]) if show and t in ratings else float("nan")).astype("float64")
    return df.drop(columns=["lead_user_id"])


# ---- coaching and capability: writes -------------------------------------------------------------

def _require_lead(scope: Scope) -> None:
    if scope.role != "lead":
        raise ScopeError("only a team lead records coaching and assesses capability")


def _own_rep(scope: Scope, session: Session, rep_id: Any) -> User:
    """An active rep of one of the lead's teams, or InvalidPeopleInput at the rep field."""
    if isinstance(rep_id, bool) or not isinstance(rep_id, int):
        raise InvalidPeopleInput("people.err.rep_not_yours", "rep_id")
    rep = session.get(User, rep_id)
    if rep is None or rep.role != "rep" or not rep.active or not scope.team_ids or rep.team_id not in scope.team_ids:
        raise InvalidPeopleInput("people.err.rep_not_yours", "rep_id")
    return rep


def _dimension(value: Any, field: str = "dimension") -> str:
    if value not in DIMENSIONS:
        raise InvalidPeopleInput("people.err.dimension", field)
    return value


def _text(value: Any, field: str, maximum: int, required: bool = True) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if value is not None and not isinstance(value, str):
        raise InvalidPeopleInput("people.err.text", field)
    if required and not text:
        raise InvalidPeopleInput("err.required", field)
    if len(text) > maximum:
        raise InvalidPeopleInput("people.err.too_long", field, n=maximum)
    return text


def _score(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or float(value) not in SCORES:
        raise InvalidPeopleInput("people.err.score", field)
    return int(value)


def _day(value: Any, field: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if not isinstance(value, date):
        raise InvalidPeopleInput("people.err.date", field)
    return value


def default_due(coached_on: date, today: date, todo_days: int) -> date:
    """The next points' due date when the lead gives none: ``todo_days`` after the coaching, never
    before today."""
    return max(today, coached_on + timedelta(days=todo_days))


def record_coaching(session: Session, scope: Scope, *, rep_id: int, dimension: str, scenario_practiced: bool,
                    summary: str, next_points: str, now: datetime, coached_on: date | None = None,
                    due_on: date | None = None) -> int:
    """A lead's coaching of one of their reps (five required fields: rep, dimension, scenario
    practiced, summary, next points; the date defaults to today). The next points become a to-do
    for the rep, due on ``due_on`` (default: ``coaching_todo_days`` after the coaching). Returns
    the record's id."""
    _require_lead(scope)
    rep = _own_rep(scope, session, rep_id)
    dimension = _dimension(dimension)
    if not isinstance(scenario_practiced, bool):
        raise InvalidPeopleInput("people.err.yes_no", "scenario_practiced")
    summary = _text(summary, "summary", SUMMARY_MAX)
    next_points = _text(next_points, "next_points", NEXT_POINTS_MAX)
    today = now.date()
    coached_on = today if coached_on is None else _day(coached_on, "coached_on")
    if coached_on > today:
        raise InvalidPeopleInput("people.err.date_future", "coached_on")
    if coached_on < today - timedelta(days=MAX_BACKDATE_DAYS):
        raise InvalidPeopleInput("people.err.date_old", "coached_on", n=MAX_BACKDATE_DAYS)
    due_on = (default_due(coached_on, today, rules.get(session, "coaching_todo_days")) if due_on is None
              else _day(due_on, "due_on"))
    if due_on < today or due_on > today + timedelta(days=MAX_DUE_DAYS):
        raise InvalidPeopleInput("people.err.due", "due_on", n=MAX_DUE_DAYS)

    record = CoachingRecord(lead_id=scope.user_id, owner_id=rep.id, team_id=rep.team_id, coached_on=coached_on,
                            dimension=dimension, scenario_practiced=scenario_practiced, summary=summary,
                            next_points=next_points, created_at=now)
    session.add(record)
    session.flush()
    todo = Todo(owner_id=rep.id, team_id=rep.team_id, title=next_points[:200], kind="coaching",
                ref_type="coaching", ref_id=record.id, due_at=datetime.combine(due_on, time(18, 0)), created_at=now)
    session.add(todo)
    session.flush()
    record.todo_id = todo.id
    session.add(AuditLog(at=now, user_id=scope.user_id, action="create", entity="coaching_record",
                         entity_id=str(record.id),
                         detail={"rep_id": rep.id, "dimension": dimension, "coached_on": coached_on.isoformat(),
                                 "todo_id": todo.id}))
    return record.id


def rate_coaching(session: Session, scope: Scope, record_id: int, rating: int, now: datetime) -> None:
    """The coached rep rates the coaching 1–5 (again, to change it); only their own records."""
    if scope.role != "rep":
        raise ScopeError("only the coached rep rates a coaching")
    rating = _score(rating, "rep_rating")
    record = session.get(CoachingRecord, record_id) if isinstance(record_id, int) else None
    if record is None or record.owner_id != scope.user_id:
        raise InvalidPeopleInput("people.err.no_record", "record_id")
    old = record.rep_rating
    record.rep_rating, record.rated_at = rating, now
    session.add(AuditLog(at=now, user_id=scope.user_id, action="rate", entity="coaching_record",
                         entity_id=str(record.id), detail={"rating": rating, "old": old}))


def assess_capability(session: Session, scope: Scope, *, rep_id: int, scores: dict[str, Any], now: datetime,
                      note: str = "") -> list[int]:
    """A lead scores one of their reps 1–5 in one or more dimensions; returns the new rows' ids."""
    _require_lead(scope)
    rep = _own_rep(scope, session, rep_id)
    if not isinstance(scores, dict) or not scores:
        raise InvalidPeopleInput("people.err.no_scores", "scores")
    clean = {_dimension(d, "scores"): _score(v, d) for d, v in scores.items()}
    note = _text(note, "note", NOTE_MAX, required=False)
    rows = [CapabilityScore(owner_id=rep.id, team_id=rep.team_id, dimension=d, score=s, assessed_by=scope.user_id,
                            assessed_at=now, note=note) for d, s in clean.items()]
    session.add_all(rows)
    session.flush()
    session.add(AuditLog(at=now, user_id=scope.user_id, action="assess", entity="capability_score",
                         entity_id=str(rep.id), detail={"rep_id": rep.id, "scores": clean}))
    return [r.id for r in rows]


# ---- knowledge base ------------------------------------------------------------------------------

ARTICLE_FIELDS = ("title", "question", "scenario", "script", "evidence", "customer_type", "scenario_tag",
                  "dimension", "language")


def _article_columns():
    author = aliased(User)
    return author, (KnowledgeArticle.id, KnowledgeArticle.title, KnowledgeArticle.dimension,
                    KnowledgeArticle.scenario_tag, KnowledgeArticle.customer_type, KnowledgeArticle.language,
                    KnowledgeArticle.question, KnowledgeArticle.scenario, KnowledgeArticle.script,
                    KnowledgeArticle.evidence, author.display_name.label("author"), KnowledgeArticle.updated_at,
                    KnowledgeArticle.version)


def search_terms(query: str | None) -> list[str]:
    """The words of a search box (at most MAX_TERMS); Chinese needs no spaces: each word is matched
    as a substring."""
    return clean_search(query).split()[:MAX_TERMS]


@company_read
def search_articles(scope: Scope, session: Session, query: str = "", *, dimension: str | None = None,
                    language: str | None = None, scenario_tag: str | None = None, limit: int = 100) -> pd.DataFrame:
    """Articles whose title, question, scenario or script contain every word of ``query`` (a
    substring match, so Chinese works; case-insensitive for Latin letters; % and _ are literal),
    optionally of one dimension, language and scenario; title matches first, then newest."""
    author, columns = _article_columns()
    stmt = select(*columns).outerjoin(author, author.id == KnowledgeArticle.author_id)
    parts = (KnowledgeArticle.title, KnowledgeArticle.question, KnowledgeArticle.scenario, KnowledgeArticle.script)
    terms = search_terms(query)
    for term in terms:
        stmt = stmt.where(or_(*(part.icontains(term, autoescape=True) for part in parts)))
    if dimension is not None:
        stmt = stmt.where(KnowledgeArticle.dimension == dimension)
    if language is not None:
        stmt = stmt.where(KnowledgeArticle.language == language)
    if scenario_tag is not None:
        stmt = stmt.where(KnowledgeArticle.scenario_tag == scenario_tag)
    title_hit = (case((KnowledgeArticle.title.icontains(terms[0], autoescape=True), 0), else_=1) if terms
                 else literal(1))
    stmt = stmt.order_by(title_hit, KnowledgeArticle.updated_at.desc(), KnowledgeArticle.id.desc())
    return pd.read_sql(stmt.limit(max(1, min(int(limit), 1000))), session.connection())


@company_read
def articles_for_dimension(scope: Scope, session: Session, dimension: str, language: str | None = None,
                           limit: int = 10) -> pd.DataFrame:
    """The articles tagged with a capability dimension (where the weakest dimension links to)."""
    return search_articles(scope, session, dimension=dimension, language=language, limit=limit)


@company_read
def article(scope: Scope, session: Session, article_id: int) -> dict | None:
    """One article as a dict (with its ``version``, to send back with an edit), or None."""
    if isinstance(article_id, bool) or not isinstance(article_id, int):
        return None
    author, columns = _article_columns()
    row = session.execute(select(*columns).outerjoin(author, author.id == KnowledgeArticle.author_id)
                          .where(KnowledgeArticle.id == article_id)).mappings().first()
    return dict(row) if row else None


def _require_editor(scope: Scope) -> None:
    if scope.role not in EDITOR_ROLES:
        raise ScopeError("only admins and team leads edit the knowledge base")


def _clean_article(values: dict[str, Any]) -> dict[str, Any]:
    clean = {
        "title": _text(values.get("title"), "title", TITLE_MAX),
        "question": _text(values.get("question"), "question", PART_MAX),
        "scenario": _text(values.get("scenario"), "scenario", PART_MAX),
        "script": _text(values.get("script"), "script", PART_MAX),
        "evidence": _text(values.get("evidence"), "evidence", PART_MAX, required=False),
        "customer_type": _text(values.get("customer_type"), "customer_type", CUSTOMER_TYPE_MAX, required=False),
    }
    tag = values.get("scenario_tag") or ""
    if tag and tag not in SCENARIO_TAGS:
        raise InvalidPeopleInput("people.err.scenario_tag", "scenario_tag")
    clean["scenario_tag"] = tag
    clean["dimension"] = _dimension(values.get("dimension"))
    if values.get("language") not in ARTICLE_LANGUAGES:
        raise InvalidPeopleInput("err.language", "language")
    clean["language"] = values["language"]
    return clean


def create_article(session: Session, scope: Scope, *, now: datetime, **values: Any) -> int:
    """A new article (admins and leads): title, question, scenario and script are required,
    evidence and customer type optional; returns its id."""
    _require_editor(scope)
    unknown = set(values) - set(ARTICLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown article fields: {sorted(unknown)}")
    clean = _clean_article(values)
    art = KnowledgeArticle(**clean, author_id=scope.user_id or None, updated_by=scope.user_id or None,
                           created_at=now, updated_at=now)
    session.add(art)
    session.flush()
    session.add(AuditLog(at=now, user_id=scope.user_id or None, action="create", entity="knowledge_article",
                         entity_id=str(art.id), detail={"title": clean["title"], "language": clean["language"]}))
    return art.id


def update_article(session: Session, scope: Scope, article_id: int, expected_version: int, *, now: datetime,
                   **values: Any) -> int:
    """Save an edit made on ``expected_version`` of the article (admins and leads); EditConflict
    when someone saved in between, nothing saved. Returns the new version."""
    _require_editor(scope)
    unknown = set(values) - set(ARTICLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown article fields: {sorted(unknown)}")
    clean = _clean_article(values)
    art = session.get(KnowledgeArticle, article_id) if isinstance(article_id, int) else None
    if art is None:
        raise InvalidPeopleInput("people.err.no_article", "article_id")
    if art.version != expected_version:
        raise _conflict(session, art)
    changed = sorted(k for k, v in clean.items() if getattr(art, k) != v)
    if not changed:
        return art.version
    for key in changed:
        setattr(art, key, clean[key])
    art.updated_by, art.updated_at = scope.user_id or None, now
    try:
        session.flush()  # UPDATE … WHERE version = expected: a concurrent save makes it match nothing
    except StaleDataError:
        raise EditConflict("people.err.kb_conflict_unknown", None) from None
    session.add(AuditLog(at=now, user_id=scope.user_id or None, action="update", entity="knowledge_article",
                         entity_id=str(art.id), detail={"fields": changed, "version": art.version}))
    return art.version


def _conflict(session: Session, art: KnowledgeArticle) -> EditConflict:
    who = session.scalar(select(User.display_name).where(User.id == art.updated_by)) if art.updated_by else None
    return EditConflict("people.err.kb_conflict", None, who=who or "?",
                        at=art.updated_at.strftime("%Y-%m-%d %H:%M"))
