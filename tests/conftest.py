"""Shared fixtures: a database per test on SQLite and on PostgreSQL, migrated by the real Alembic
migration, and a fixed clock.

A test that takes ``engine`` (or ``db_url``) runs twice: ``[sqlite]`` on a file in tmp_path and
``[postgresql]`` (marked ``pg``) on its own database of a throwaway server started once per
session (see tests/pg.py). ``-m "not pg"`` runs the SQLite half only. Every test gets a database
of its own, so tests never see each other's rows.
"""
from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from datetime import datetime
from typing import Iterator

import pytest
from sqlalchemy.engine import Engine, make_url

from core.base.db import make_engine
from core.base.migrate import upgrade
from tests.factories import NOW
from tests.pg import PostgresServer, PostgresUnavailable, postgres_server

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.pg),
]


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """The session's PostgreSQL server; skipped without PostgreSQL, except in CI where it fails."""
    try:
        with postgres_server() as server:
            yield server
    except PostgresUnavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the PostgreSQL suite, but: {exc}", pytrace=False)
        pytest.skip(f"PostgreSQL half of the suite skipped: {exc}")


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request) -> str:
    """'sqlite' or 'postgresql'; the PostgreSQL server starts only when a test asks for it."""
    if request.param == "postgresql":
        request.getfixturevalue("pg_server")
    return request.param


class DatabaseMaker:
    """Makes new databases on one backend: a new SQLite file, or CREATE DATABASE on the session's
    PostgreSQL server (dropped again by ``drop`` or at the end of the session).

    ``empty()`` gives a database without a schema. ``migrated()`` gives one at the newest schema:
    a copy of a template that the real Alembic migration (core.base.migrate.upgrade) built once per
    session — copying takes milliseconds where migrating takes a few hundred.
    """

    def __init__(self, backend: str, tmp_path_factory, server: PostgresServer | None):
        self.backend, self._tmp, self._server = backend, tmp_path_factory, server
        self._live: set[str] = set()
        self._template: str | None = None  # SQLite file path or PostgreSQL database name

    def empty(self) -> str:
        if self._server is None:
            return f"sqlite:///{self._tmp.mktemp('db') / 'cockpit.db'}"
        url = self._server.create_database()
        self._live.add(url)
        return url

    __call__ = empty

    def migrated(self) -> str:
        if self._template is None:
            self._template = self._build_template()
        if self._server is None:
            path = self._tmp.mktemp("db") / "cockpit.db"
            with closing(sqlite3.connect(self._template)) as src, closing(sqlite3.connect(path)) as dst:
                src.backup(dst)
            return f"sqlite:///{path}"
        name = self._server.new_name()
        self._server.copy_database(self._template, name)
        url = make_url(self._server.url).set(database=name).render_as_string(hide_password=False)
        self._live.add(url)
        return url

    def _build_template(self) -> str:
        url = self.empty()
        engine = make_engine(url)
        try:
            upgrade(engine)
        finally:
            engine.dispose()
        return make_url(url).database

    def drop(self, url: str) -> None:
        if self._server is not None and url in self._live:
            self._live.discard(url)
            self._server.drop_database(url)

    def drop_all(self) -> None:
        for url in list(self._live):
            self.drop(url)


@pytest.fixture(scope="session")
def new_db_url(backend, request, tmp_path_factory) -> Iterator[DatabaseMaker]:
    """``new_db_url()`` / ``.empty()``: URL of a new empty database; ``.migrated()``: one at head."""
    server = request.getfixturevalue("pg_server") if backend == "postgresql" else None
    maker = DatabaseMaker(backend, tmp_path_factory, server)
    yield maker
    maker.drop_all()


@pytest.fixture
def db_url(new_db_url) -> Iterator[str]:
    """An empty database of its own for this test (no schema yet)."""
    url = new_db_url.empty()
    yield url
    new_db_url.drop(url)


@pytest.fixture
def engine(new_db_url) -> Iterator[Engine]:
    """An engine on this test's own database at the newest schema.

    The database is a copy of the session's template, which ``core.base.migrate.upgrade`` built;
    ``upgrade`` runs here again, as the app's start does, and finds the head revision already.
    """
    url = new_db_url.migrated()
    eng = make_engine(url)
    try:
        upgrade(eng)
        yield eng
    finally:
        eng.dispose()
        new_db_url.drop(url)


@pytest.fixture
def now() -> datetime:
    """The fixed moment every figure in the tests is measured at (tests.factories.NOW)."""
    return NOW
