"""Schema upgrades (SPEC §11) through the real Alembic migrations, on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, inspect, select, text
from sqlalchemy.exc import IntegrityError

from core.base.db import data_version, make_engine, read_session, write_tx
from core.base.migrate import alembic_config, upgrade
from core.base.models import Base, ProcessStep
from tests.factories import NOW, add_lead, make_org

MODEL_TABLES = set(Base.metadata.tables)


def alembic(engine, action: str, revision: str) -> None:
    """Run ``alembic <action> <revision>`` on ``engine`` inside one transaction."""
    with engine.begin() as conn:
        cfg = alembic_config(engine.url.render_as_string(hide_password=False))
        cfg.attributes["connection"] = conn
        getattr(command, action)(cfg, revision)


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def current_revision(engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def schema_differences(engine) -> list:
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
        return compare_metadata(ctx, Base.metadata)


def test_upgrade_creates_every_table_of_the_models(db_url):
    engine = make_engine(db_url)
    try:
        assert set(inspect(engine).get_table_names()) == set()
        upgrade(engine)
        assert set(inspect(engine).get_table_names()) == MODEL_TABLES | {"alembic_version"}
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_the_default_process_steps_and_data_version_are_there(engine):
    with read_session(engine) as s:
        steps = s.execute(select(ProcessStep.code, ProcessStep.trigger, ProcessStep.within_hours,
                                 ProcessStep.active).order_by(ProcessStep.id)).all()
    assert [tuple(r) for r in steps] == [
        ("needs_summary", "first_contact", 24.0, True),
        ("promotion_evidence", "promotion", 48.0, True),
        ("solution_update", "objection", 72.0, True),
    ]
    assert data_version(engine) == 0


def test_upgrade_twice_changes_nothing(engine):
    with write_tx(engine) as s:
        make_org(s)
    upgrade(engine)
    with read_session(engine) as s:
        assert s.scalar(select(func.count()).select_from(ProcessStep)) == 3
    assert data_version(engine) == 1


def test_downgrade_to_base_and_upgrade_again(db_url):
    engine = make_engine(db_url)
    try:
        upgrade(engine)
        alembic(engine, "downgrade", "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        assert current_revision(engine) is None
        alembic(engine, "upgrade", "head")
        assert set(inspect(engine).get_table_names()) == MODEL_TABLES | {"alembic_version"}
        assert current_revision(engine) == head_revision()
        with write_tx(engine) as s:  # the schema is usable again
            org = make_org(s)
            add_lead(s, org.a1, NOW)
        assert data_version(engine) == 1
    finally:
        engine.dispose()


def test_the_migrated_schema_matches_the_models(engine):
    assert schema_differences(engine) == []


def test_foreign_keys_are_enforced(engine):
    """SQLite enforces them only with PRAGMA foreign_keys=ON (set by core.base.db); PostgreSQL always."""
    with pytest.raises(IntegrityError):
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO regions (id, name) VALUES (1, 'North')"))
            conn.execute(text("INSERT INTO teams (id, name, region_id, auto_reassign) VALUES (1, 'T', 99, false)"))
