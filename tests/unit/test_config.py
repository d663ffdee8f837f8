"""Configuration (SPEC §11): the app refuses to start in production with a default or weak cookie key."""
from __future__ import annotations

import pytest

from core.base import config
from core.base.config import ConfigError, load

GOOD_KEY = "k" * 48


@pytest.fixture(autouse=True)
def no_secrets_file(tmp_path, monkeypatch):
    """Never read the developer's real .streamlit/secrets.toml."""
    path = tmp_path / "secrets.toml"
    monkeypatch.setattr(config, "SECRETS_FILE", path)
    return path


@pytest.mark.parametrize("key", [None, "", "some_key", "change-me", "short-key-1234567890"])
def test_production_refuses_a_missing_default_or_short_cookie_key(key):
    env = {"COCKPIT_ENV": "production"}
    if key is not None:
        env["COCKPIT_COOKIE_KEY"] = key
    with pytest.raises(ConfigError, match="COCKPIT_COOKIE_KEY"):
        load(env)


def test_production_refuses_a_weak_key_from_the_secrets_file(no_secrets_file):
    no_secrets_file.write_text('cookie_key = "some_key"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="COCKPIT_COOKIE_KEY"):
        load({"COCKPIT_ENV": "production"})


def test_production_starts_with_a_long_random_key():
    cfg = load({"COCKPIT_ENV": "production", "COCKPIT_COOKIE_KEY": GOOD_KEY})
    assert cfg.production
    assert cfg.cookie_key == GOOD_KEY


def test_production_takes_the_key_from_the_secrets_file(no_secrets_file):
    no_secrets_file.write_text(f'cookie_key = "{GOOD_KEY}"\n', encoding="utf-8")
    assert load({"COCKPIT_ENV": "production"}).cookie_key == GOOD_KEY


def test_the_environment_wins_over_the_secrets_file(no_secrets_file):
    no_secrets_file.write_text('cookie_key = "from-the-file-' + "f" * 40 + '"\n', encoding="utf-8")
    assert load({"COCKPIT_ENV": "production", "COCKPIT_COOKIE_KEY": GOOD_KEY}).cookie_key == GOOD_KEY


def test_development_without_a_key_gets_a_random_one_per_process():
    first, second = load({}), load({})
    assert first.environment == "development" and not first.production
    assert len(first.cookie_key.encode()) >= 32
    assert first.cookie_key != second.cookie_key
    assert first.cookie_key not in config.KNOWN_WEAK_KEYS


def test_development_replaces_a_known_weak_key():
    cfg = load({"COCKPIT_COOKIE_KEY": "some_key"})
    assert cfg.cookie_key != "some_key" and len(cfg.cookie_key.encode()) >= 32


def test_an_unknown_environment_is_refused():
    with pytest.raises(ConfigError, match="COCKPIT_ENV"):
        load({"COCKPIT_ENV": "staging"})


def test_an_unreadable_secrets_file_is_a_config_error(no_secrets_file):
    no_secrets_file.write_text("cookie_key = [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="secrets.toml"):
        load({})


@pytest.mark.parametrize("url, expected", [
    ("postgres://u:p@db:5432/cockpit", "postgresql+psycopg://u:p@db:5432/cockpit"),
    ("postgresql://u@db/cockpit", "postgresql+psycopg://u@db/cockpit"),
    ("  postgres://u@db/cockpit\n", "postgresql+psycopg://u@db/cockpit"),
    ("postgresql+psycopg://u@db/cockpit", "postgresql+psycopg://u@db/cockpit"),
    ("sqlite:////tmp/cockpit.db", "sqlite:////tmp/cockpit.db"),
])
def test_database_url_is_normalised_to_psycopg3(url, expected):
    assert load({"DATABASE_URL": url}).database_url == expected


def test_default_database_is_the_sqlite_file_in_data():
    assert load({}).database_url == f"sqlite:///{config.DEFAULT_DB_PATH}"
