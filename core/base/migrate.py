"""Schema upgrades through Alembic, for the CLI, `make run` and the tests."""
from __future__ import annotations

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy.engine import Engine

from core.base.config import ROOT


def alembic_config(url: str) -> AlembicConfig:
    cfg = AlembicConfig(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.attributes["url"] = url
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision``; every existing row is kept."""
    with engine.begin() as conn:
        cfg = alembic_config(engine.url.render_as_string(hide_password=False))
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
