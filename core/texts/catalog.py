"""A catalogue of texts in English and Simplified Chinese: one per capability in core/texts, merged
by core.base.i18n."""
from __future__ import annotations


class Catalog:
    def __init__(self) -> None:
        self.en: dict[str, str] = {}
        self.zh: dict[str, str] = {}

    def add(self, key: str, en: str, zh: str) -> None:
        """Register one text in both languages."""
        if key in self.en:
            raise ValueError(f"text {key!r} is defined twice")
        self.en[key], self.zh[key] = en, zh
