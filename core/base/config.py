"""Settings from the environment, read in one place."""
from __future__ import annotations

import os
import secrets
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DB_PATH = ROOT / "data" / "cockpit.db"
SECRETS_FILE = ROOT / ".streamlit" / "secrets.toml"
MIN_COOKIE_KEY_BYTES = 32
# Keys that must never protect a real login: the library's default and our own examples.
KNOWN_WEAK_KEYS = {"some_key", "change-me", "changeme", "secret", "cookie_key", "random_signature_key"}


class ConfigError(Exception):
    """The configuration cannot be used; the message says what to fix."""


@dataclass(frozen=True)
class Config:
    database_url: str
    environment: str  # "development" or "production"
    cookie_key: str
    cookie_name: str = "sales_cockpit"
    cookie_expiry_days: float = 1.0
    public_url: str = ""  # the app's address as people open it (links in pushed briefs)

    @property
    def production(self) -> bool:
        return self.environment == "production"


def _secrets_file_value(name: str) -> str | None:
    if not SECRETS_FILE.exists():
        return None
    try:
        data = tomllib.loads(SECRETS_FILE.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{SECRETS_FILE} cannot be read: {exc}") from exc
    value = data.get(name)
    return str(value) if value is not None else None


def check_cookie_key(key: str | None, production: bool) -> str:
    """Return a usable cookie key, or raise ConfigError in production for a weak one."""
    weak = not key or key.strip().lower() in KNOWN_WEAK_KEYS or len(key.encode()) < MIN_COOKIE_KEY_BYTES
    if weak and production:
        raise ConfigError(
            "Refusing to start in production: set COCKPIT_COOKIE_KEY (or cookie_key in "
            f".streamlit/secrets.toml) to a random value of at least {MIN_COOKIE_KEY_BYTES} bytes, "
            "e.g. `python -c \"import secrets; print(secrets.token_urlsafe(48))\"`."
        )
    if weak:
        # Development only: a per-process key, so nobody can forge a login with a known one.
        return secrets.token_urlsafe(48)
    return key  # type: ignore[return-value]


def load(env: dict[str, str] | None = None) -> Config:
    """Read the configuration from the environment (and .streamlit/secrets.toml)."""
    env = dict(os.environ) if env is None else env
    environment = env.get("COCKPIT_ENV", "development").strip().lower() or "development"
    if environment not in {"development", "production"}:
        raise ConfigError(f"COCKPIT_ENV must be 'development' or 'production', not {environment!r}.")
    url = env.get("DATABASE_URL") or f"sqlite:///{DEFAULT_DB_PATH}"
    key = env.get("COCKPIT_COOKIE_KEY") or _secrets_file_value("cookie_key")
    expiry = float(env.get("COCKPIT_COOKIE_EXPIRY_DAYS", "1"))
    return Config(
        database_url=normalise_url(url),
        environment=environment,
        cookie_key=check_cookie_key(key, environment == "production"),
        cookie_expiry_days=expiry,
        public_url=env.get("COCKPIT_PUBLIC_URL", "").strip().rstrip("/"),
    )


def normalise_url(url: str) -> str:
    """Accept the usual postgres:// forms and point them at psycopg 3."""
    url = url.strip()
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
