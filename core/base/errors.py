"""Errors a person can fix. Each carries a translation key, its values and the field it concerns,
so a page shows it in the user's language next to the right input."""
from __future__ import annotations

from core.base.i18n import t


class UserError(Exception):
    def __init__(self, msg_key: str, field: str | None = None, **params):
        self.msg_key, self.field, self.params = msg_key, field, params
        super().__init__(t("en", msg_key, **params))

    def message(self, lang: str) -> str:
        return t(lang, self.msg_key, **self.params)
