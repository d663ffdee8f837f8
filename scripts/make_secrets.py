"""Create .streamlit/secrets.toml with a random cookie key (never committed)."""
import secrets
from pathlib import Path

path = Path(__file__).resolve().parent.parent / ".streamlit" / "secrets.toml"
if not path.exists():
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'cookie_key = "{secrets.token_urlsafe(48)}"\n', encoding="utf-8")
    path.chmod(0o600)
    print(f"wrote {path} with a new random cookie key")
