"""The knowledge base (SPEC §8): articles of question, scenario, script and evidence, tagged with a
capability dimension, a scenario and a language. They are company-wide: everyone reads and searches
them (Chinese without spaces: every word is a substring); admins and team leads write and edit them,
and an edit made on an old version is refused, not overwritten.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import case, literal, or_, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.exc import StaleDataError

from core.base.access import guarded
from core.base.customers import clean_search
from core.base.errors import UserError
from core.base.models import AuditLog, KnowledgeArticle, User
from core.base.scope import Scope, company_read
from core.base.vocabulary import ARTICLE_LANGUAGES, SCENARIO_TAGS
from core.people import people
from core.people.people import InvalidPeopleInput

TITLE_MAX = 200
PART_MAX = 4000
CUSTOMER_TYPE_MAX = 40
MAX_TERMS = 5            # search words (each must match)
SUGGESTED = 5            # articles suggested for a rep's weakest dimension
ARTICLE_FIELDS = ("title", "question", "scenario", "script", "evidence", "customer_type", "scenario_tag",
                  "dimension", "language")


class EditConflict(UserError):
    """The article was changed by someone else since it was opened: nothing was saved."""


# ---- reads -------------------------------------------------------------------------------------------

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
                           limit: int = SUGGESTED) -> pd.DataFrame:
    """The articles tagged with a capability dimension (where the weakest dimension links to): those
    in ``language``, or, when there is none in it, those in any language."""
    found = search_articles(scope, session, dimension=dimension, language=language, limit=limit)
    if found.empty and language is not None:
        found = search_articles(scope, session, dimension=dimension, limit=limit)
    return found


@company_read
def article(scope: Scope, session: Session, article_id: int) -> dict | None:
    """One article as a dict (with its ``version``, to send back with an edit), or None."""
    if isinstance(article_id, bool) or not isinstance(article_id, int):
        return None
    author, columns = _article_columns()
    row = session.execute(select(*columns).outerjoin(author, author.id == KnowledgeArticle.author_id)
                          .where(KnowledgeArticle.id == article_id)).mappings().first()
    return dict(row) if row else None


# ---- writes ------------------------------------------------------------------------------------------

def _clean_article(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(ARTICLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown article fields: {sorted(unknown)}")
    clean = {
        "title": people.text(values.get("title"), "title", TITLE_MAX),
        "question": people.text(values.get("question"), "question", PART_MAX),
        "scenario": people.text(values.get("scenario"), "scenario", PART_MAX),
        "script": people.text(values.get("script"), "script", PART_MAX),
        "evidence": people.text(values.get("evidence"), "evidence", PART_MAX, required=False),
        "customer_type": people.text(values.get("customer_type"), "customer_type", CUSTOMER_TYPE_MAX,
                                     required=False),
    }
    tag = values.get("scenario_tag") or ""
    if tag and tag not in SCENARIO_TAGS:
        raise InvalidPeopleInput("people.err.scenario_tag", "scenario_tag")
    clean["scenario_tag"] = tag
    clean["dimension"] = people.dimension(values.get("dimension"))
    if values.get("language") not in ARTICLE_LANGUAGES:
        raise InvalidPeopleInput("err.language", "language")
    clean["language"] = values["language"]
    return clean


@guarded("article.create")
def create_article(session: Session, scope: Scope, *, now: datetime, **values: Any) -> int:
    """A new article (admins and leads): title, question, scenario and script are required,
    evidence and customer type optional; returns its id."""
    clean = _clean_article(values)
    art = KnowledgeArticle(**clean, author_id=scope.user_id or None, updated_by=scope.user_id or None,
                           created_at=now, updated_at=now)
    session.add(art)
    session.flush()
    session.add(AuditLog(at=now, user_id=scope.user_id or None, action="create", entity="knowledge_article",
                         entity_id=str(art.id), detail={"title": clean["title"], "language": clean["language"]}))
    return art.id


@guarded("article.update")
def update_article(session: Session, scope: Scope, article_id: int, expected_version: int, *, now: datetime,
                   **values: Any) -> int:
    """Save an edit made on ``expected_version`` of the article (admins and leads); EditConflict
    when someone saved in between, nothing saved. Returns the new version."""
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
