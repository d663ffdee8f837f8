"""Every user-facing string goes through core.base.i18n.t, complete in English and Simplified Chinese."""
from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from core.base import rules
from core.base.i18n import EN, ZH, t

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "Home.py", *ROOT.glob("pages/*.py"), *ROOT.glob("ui/*.py"), *ROOT.glob("core/*.py")]
# t(lang, "key" …) and ctx.t("key" …) with a literal key
LITERAL_KEY = re.compile(r"""\bt\((?:\s*[\w.]+\s*,)?\s*["']([a-z_]+\.[\w.]+)["']""")
NOT_CHINESE = {"list.sep"}  # punctuation only


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_languages_have_the_same_keys():
    assert set(EN) == set(ZH)


@pytest.mark.parametrize("key", sorted(EN))
def test_each_text_has_the_same_placeholders_in_both_languages(key):
    assert placeholders(EN[key]) == placeholders(ZH[key]), key


@pytest.mark.parametrize("key", sorted(set(ZH) - NOT_CHINESE))
def test_chinese_texts_are_chinese(key):
    assert re.search(r"[\u4e00-\u9fff]", ZH[key]), f"{key}: {ZH[key]!r}"


def test_every_literal_key_used_in_the_code_exists():
    used = {(path.name, key) for path in SOURCES for key in LITERAL_KEY.findall(path.read_text(encoding="utf-8"))}
    assert used, "the scan found no keys: the pattern is broken"
    missing = sorted((name, key) for name, key in used if key not in EN)
    assert not missing


def test_every_setting_has_a_name_in_both_languages():
    for key in rules.DEFINITIONS:
        assert f"setting.{key}" in EN and f"setting.{key}" in ZH


def test_every_role_and_colour_has_a_name():
    for role in ("director", "lead", "rep", "finance", "admin"):
        assert t("zh", f"role.{role}") != f"role.{role}"
    for colour in ("red", "yellow", "green", "grey"):
        assert t("en", f"light.color.{colour}") != f"light.color.{colour}"


def test_unknown_language_falls_back_to_english():
    assert t("fr", "login.title") == "Log in"
