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


def test_the_cash_migration_keeps_every_payment_and_records_the_money_received_as_receipts(db_url):
    """0006 → 0007 on a populated database: instalments stay as they were, and each one with money
    received gets its receipt; the downgrade takes only the new tables away."""
    engine = make_engine(db_url)
    try:
        alembic(engine, "upgrade", "0006")
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO regions (id, name) VALUES (1, 'North')"))
            conn.execute(text("INSERT INTO teams (id, name, region_id, auto_reassign) VALUES (1, 'Alpha', 1, false)"))
            conn.execute(text("INSERT INTO users (id, username, display_name, email, role, team_id, password_hash, "
                              "active, created_at, failed_logins) VALUES (1, 'a1', 'A1', '', 'rep', 1, 'x', true, "
                              "'2026-11-01 09:00:00', 0)"))
            conn.execute(text("INSERT INTO customers (id, name, phone, industry, size, customer_type, heat, owner_id, "
                              "team_id, created_at, updated_at) VALUES (1, 'C', '', '', '', '', '', 1, 1, "
                              "'2026-11-01 09:00:00', '2026-11-01 09:00:00')"))
            conn.execute(text("INSERT INTO contracts (id, number, customer_id, owner_id, team_id, amount, signed_at, "
                              "status, created_at, version) VALUES (1, 'HT-1', 1, 1, 1, 300, '2026-11-01 09:00:00', "
                              "'active', '2026-11-01 09:00:00', 1)"))
            for pid, received, at in ((1, 100, "'2026-11-05 10:00:00'"), (2, 0, "NULL"), (3, 50, "'2026-11-20 10:00:00'")):
                conn.execute(text(f"INSERT INTO payments (id, contract_id, owner_id, team_id, due_date, amount_due, "
                                  f"amount_received, received_at, note, created_at, version) VALUES ({pid}, 1, 1, 1, "
                                  f"'2026-11-0{pid}', 100, {received}, {at}, '', '2026-11-01 09:00:00', 1)"))
        alembic(engine, "upgrade", "0007")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM payments")).scalar() == 3
            receipts = conn.execute(text("SELECT contract_id, amount, reference FROM receipts ORDER BY reference")).all()
        assert [(r[0], float(r[1]), r[2]) for r in receipts] == [(1, 100.0, "migrated-1"), (1, 50.0, "migrated-3")]
        alembic(engine, "downgrade", "0006")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM payments")).scalar() == 3
        assert "receipts" not in inspect(engine).get_table_names()
    finally:
        engine.dispose()
