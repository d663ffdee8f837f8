"""One table of who may do what (core.base.access): the navigation, the page guard and every core
write read it, and they agree."""
from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from core.base import access
from core.base.scope import Scope
from core.base.vocabulary import ROLES
from tests.core_modules import GUARDED_WRITES, IMPORT_ERRORS, MODULES
from ui import nav

ROOT = Path(__file__).resolve().parents[2]
SOURCES = "\n".join(p.read_text(encoding="utf-8") for top in ("core", "ui", "pages")
                    for p in (ROOT / top).rglob("*.py"))

# Functions of core that take (session, scope, …) but only check or look up, never write.
NOT_WRITES: set[str] = {
    "core.leads.desk.validate_entry",  # checks an entry's fields (refusing roles without "lead.enter"); writes nothing
    "core.leads.desk.find_duplicates",  # looks up possible duplicates, masked outside the scope; enter_lead runs it
    "core.leads.desk.check_entry",  # validate_entry and find_duplicates together, before an entry; writes nothing
}



def test_every_core_module_imports():
    assert not IMPORT_ERRORS


def test_every_page_in_the_navigation_is_in_the_table_and_back():
    assert [p.name for p in nav.PAGES] == list(access.PAGES) or set(p.name for p in nav.PAGES) == set(access.PAGES)
    for p in nav.PAGES:
        assert (ROOT / p.path).is_file(), p.path
    assert {p.stem for p in (ROOT / "pages").glob("*.py")} == set(access.PAGES)


@pytest.mark.parametrize("role", ROLES)
def test_each_roles_navigation_is_what_the_table_says(role):
    assert {p.name for p in nav.pages_for(role)} == {page for page, roles in access.PAGES.items() if role in roles}
    assert nav.pages_for(role), f"a {role} can open no page"


def test_every_page_guards_itself_with_the_table():
    for path in (ROOT / "pages").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "ctx = page.open(__file__)" in text, path.name


def test_every_guarded_write_names_an_action_of_the_table():
    assert GUARDED_WRITES, "no core write is guarded"
    for name, fn in GUARDED_WRITES.items():
        assert fn.action in access.ACTIONS, name


def test_every_action_of_the_table_is_taken_somewhere():
    used = {fn.action for fn in GUARDED_WRITES.values()}
    used |= set(re.findall(r"""(?:require|may|guarded)\(\s*(?:[\w.]+,\s*)?["']([a-z_]+\.[a-z_]+)["']""", SOURCES))
    # an import entity's action (core.exchange.entities), which core.exchange.importer.import_file requires
    used |= set(re.findall(r"""^\s+action = ["']([a-z_]+\.[a-z_]+)["']""", SOURCES, re.MULTILINE))
    assert not sorted(set(access.ACTIONS) - used), "actions nobody checks: remove them or guard their write"


def test_every_core_function_taking_session_and_scope_is_a_read_or_a_guarded_write():
    unmarked = []
    for mod_name, mod in MODULES.items():
        for name, fn in vars(mod).items():
            if not inspect.isfunction(fn) or fn.__module__ != mod_name or name.startswith("_"):
                continue
            params = list(inspect.signature(inspect.unwrap(fn)).parameters)
            if params[:2] == ["session", "scope"] and not hasattr(fn, "action") \
                    and f"{mod_name}.{name}" not in NOT_WRITES:
                unmarked.append(f"{mod_name}.{name}")
    assert not unmarked, "mark each with @guarded(ACTION) (core.base.access) or list it in NOT_WRITES"


@pytest.mark.parametrize("name", sorted(GUARDED_WRITES))
def test_a_write_refuses_every_role_the_table_does_not_list_before_touching_anything(name):
    fn = GUARDED_WRITES[name]
    for role in ROLES:
        if role in access.ACTIONS[fn.action]:
            continue
        with pytest.raises(access.Forbidden):
            fn(None, Scope(1, role, frozenset({1}), own_only=role == "rep"))  # session None: nothing is touched


def test_a_write_refuses_a_caller_without_a_scope():
    fn = next(iter(GUARDED_WRITES.values()))
    with pytest.raises(access.ScopeError):
        fn(None, None)


def test_forbidden_speaks_the_users_language():
    exc = access.Forbidden("rep", "settings.save")
    assert exc.message("en") != exc.message("zh")
