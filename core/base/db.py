"""Engine, sessions, the unit of work for writes, and the data version readers key their caches on."""
from __future__ import annotations

import json
from contextlib import contextmanager
from functools import lru_cache
from typing import Iterator

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker


class DatabaseUnavailable(Exception):
    """The database cannot be reached or the URL is not usable; the message is for a person."""


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def make_engine(url: str) -> Engine:
    """Create an engine for a DATABASE_URL, raising DatabaseUnavailable for a malformed one."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseUnavailable(f"DATABASE_URL is not a valid database address: {url!r}.") from exc
    # JSON fields keep Chinese as it is written, so exports and raw searches read it
    kwargs: dict = {"future": True, "json_serializer": lambda value: json.dumps(value, ensure_ascii=False)}
    if parsed.get_backend_name() == "sqlite":
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 10}
    else:
        kwargs.update(pool_pre_ping=True, pool_size=5, max_overflow=5)
    try:
        engine = create_engine(parsed, **kwargs)
    except (ArgumentError, ImportError, SQLAlchemyError) as exc:
        raise DatabaseUnavailable(f"DATABASE_URL cannot be used ({parsed.get_backend_name()}): {exc}") from exc
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    """One engine per URL per process."""
    return make_engine(url)


def check_connection(engine: Engine) -> None:
    """Raise DatabaseUnavailable with a readable message when the database does not answer."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        raise DatabaseUnavailable(
            f"The database at {engine.url.render_as_string(hide_password=True)} cannot be reached. "
            "Check DATABASE_URL and that the server is running."
        ) from exc
    except SQLAlchemyError as exc:
        raise DatabaseUnavailable(f"The database did not answer: {type(exc).__name__}.") from exc


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, future=True)


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A session for reads; never commits."""
    with session_factory(engine)() as session:
        yield session


@contextmanager
def write_tx(engine: Engine) -> Iterator[Session]:
    """The unit of work: everything inside commits together, or nothing does.

    Every write bumps the data version, so cached readers in every app server see it at their
    next rerun.
    """
    with session_factory(engine)() as session:
        with session.begin():
            yield session
            bump_data_version(session)


def bump_data_version(session: Session) -> None:
    session.execute(text("UPDATE data_version SET version = version + 1 WHERE id = 1"))


def data_version(engine: Engine) -> int:
    """A cheap counter that grows with every committed write (0 if the schema is not there)."""
    try:
        with engine.connect() as conn:
            value = conn.execute(text("SELECT version FROM data_version WHERE id = 1")).scalar()
    except SQLAlchemyError:
        return 0
    return int(value or 0)
