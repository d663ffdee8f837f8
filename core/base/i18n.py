"""Every user-facing string, in English and Simplified Chinese, through one function: ``t``.

The texts live in the catalogues of core/texts, one per capability, listed in ``CATALOGS``.
"""
from __future__ import annotations

from core.texts import (
    brief, cash, collections, common, company, delivery, funnel, imports, incentives, leads, people,
    process, psi, quality, routing, scorecard, target_health, targets,
)

CATALOGS = (common.TEXTS, brief.TEXTS, cash.TEXTS, collections.TEXTS, company.TEXTS, delivery.TEXTS,
            funnel.TEXTS, imports.TEXTS, incentives.TEXTS, leads.TEXTS, people.TEXTS,
            process.TEXTS, psi.TEXTS, quality.TEXTS, routing.TEXTS, scorecard.TEXTS,
            target_health.TEXTS, targets.TEXTS)


def _merge(catalogs) -> tuple[dict[str, str], dict[str, str]]:
    en: dict[str, str] = {}
    zh: dict[str, str] = {}
    for catalog in catalogs:
        twice = sorted(set(en) & set(catalog.en))
        if twice:
            raise ValueError(f"texts defined in two catalogues: {', '.join(twice[:5])}")
        en.update(catalog.en)
        zh.update(catalog.zh)
    return en, zh


EN, ZH = _merge(CATALOGS)


def t(lang: str, key: str, /, **kw) -> str:
    """The text for ``key`` in ``lang`` (falls back to English, then to the key itself)."""
    catalog = ZH if lang == "zh" else EN
    text = catalog.get(key) or EN.get(key) or key
    return text.format(**kw) if kw else text
