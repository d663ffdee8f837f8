"""The house rules, checked on the import graph (docs/architecture.md):

- a page never imports sqlalchemy, core.base.db or core.base.models, and never sees a session;
- no module of core imports streamlit, ui, pages or data;
- no module imports another module's underscore name;
- no import circle (two modules that import each other, or a longer ring);
- the per-feature cached-reader modules (ui/*_data.py) are gone: pages read through ui.read.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted([ROOT / "Home.py", ROOT / "cli.py", *(ROOT / "pages").glob("*.py"),
                  *[p for top in ("core", "ui", "data", "scripts") for p in (ROOT / top).rglob("*.py")]])
PAGES = [p for p in SOURCES if p.parent.name == "pages" or p.name == "Home.py"]



def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


MODULES = {module_name(p): p for p in SOURCES}


def resolve(importer: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = importer.split(".")
    if not MODULES[importer].name == "__init__.py":
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports_of(path: Path) -> list[tuple[str, str | None, int]]:
    """(module, name or None, line) for every import in the file, at any depth."""
    me = module_name(path)
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out += [(alias.name, None, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            mod = resolve(me, node)
            for alias in node.names:
                full = f"{mod}.{alias.name}"
                if full in MODULES:  # `from core.funnel import stages`: a module, not a name
                    out.append((full, None, node.lineno))
                else:
                    out.append((mod, alias.name, node.lineno))
    return out


def project_edges() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {m: set() for m in MODULES}
    for name, path in MODULES.items():
        for mod, _, _ in imports_of(path):
            target = mod
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != name and not MODULES[target].name == "__init__.py":
                edges[name].add(target)
    return edges


def _is(mod: str, *roots: str) -> bool:
    return any(mod == r or mod.startswith(r + ".") for r in roots)


def test_pages_never_touch_the_database():
    bad = [f"{p.relative_to(ROOT)}:{line} imports {mod}" for p in PAGES
           for mod, _, line in imports_of(p)
           if _is(mod, "sqlalchemy", "core.base.db", "core.base.models")]
    assert not bad, "pages read through ui.read and write through ui.write:\n" + "\n".join(bad)


def test_pages_never_see_a_session():
    bad = []
    for p in PAGES:
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Name) and node.id == "session":
                bad.append(f"{p.relative_to(ROOT)}:{node.lineno}")
            if isinstance(node, ast.Attribute) and node.attr in ("reader", "write", "require_role", "settings") \
                    and isinstance(node.value, ast.Name) and node.value.id == "context":
                bad.append(f"{p.relative_to(ROOT)}:{node.lineno} context.{node.attr}")
    assert not bad, "a page reads with ui.read.read and writes with ui.write.submit:\n" + "\n".join(bad)


def test_core_never_imports_streamlit_ui_pages_or_data():
    bad = [f"{p.relative_to(ROOT)}:{line} imports {mod}" for name, p in MODULES.items() if _is(name, "core")
           for mod, _, line in imports_of(p) if _is(mod, "streamlit", "ui", "pages", "data")]
    assert not bad, "\n".join(bad)


def test_no_module_imports_another_modules_underscore_name():
    bad = []
    for name, path in MODULES.items():
        for mod, imported, line in imports_of(path):
            if imported and imported.startswith("_") and not imported.startswith("__") and _is(mod, *TOPS):
                bad.append(f"{path.relative_to(ROOT)}:{line} from {mod} import {imported}")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases = {a.asname or a.name: f"{resolve(name, n)}.{a.name}" if isinstance(n, ast.ImportFrom) else a.name
                   for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom)) for a in n.names}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
                    and isinstance(node.value, ast.Name) and aliases.get(node.value.id, "") in MODULES):
                bad.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value.id}.{node.attr}")
    assert not bad, "make the name public where another module needs it:\n" + "\n".join(bad)


TOPS = ("core", "ui", "pages", "data", "cli", "scripts")


def test_no_import_circles():
    edges = project_edges()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    rings: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            ring = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                ring.append(w)
                if w == v:
                    break
            if len(ring) > 1:
                rings.append(sorted(ring))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    assert not rings, f"modules that import each other (directly or round a ring): {rings}"


def test_the_per_feature_cached_readers_are_gone():
    left = sorted(p.name for p in (ROOT / "ui").glob("*data.py"))
    assert not left, "pages read through ui.read.read"


@pytest.mark.parametrize("rule, sample", [
    ("page", "import sqlalchemy\n"),
    ("core", "import streamlit as st\n"),
])
def test_the_checks_catch_a_bad_import(tmp_path, rule, sample):
    """The walkers above see an offending import (so the rules cannot pass by not looking)."""
    path = tmp_path / "x.py"
    path.write_text(sample)
    mods = [m for m, _, _ in ast_imports(path)]
    assert mods == (["sqlalchemy"] if rule == "page" else ["streamlit"])


def ast_imports(path: Path):
    tree = ast.parse(path.read_text())
    return [(a.name, None, n.lineno) for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]


SESSION_OWNERS = {"ui.read", "ui.write", "ui.auth", "ui.context"}  # the only ui modules that open sessions


def test_only_the_read_and_write_paths_open_sessions_in_ui():
    bad = []
    for name, path in MODULES.items():
        if not _is(name, "ui") or name in SESSION_OWNERS:
            continue
        bad += [f"{path.relative_to(ROOT)}:{line} imports {mod}" for mod, _, line in imports_of(path)
                if _is(mod, "core.base.db", "sqlalchemy")]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("reader", "write") \
                    and isinstance(node.value, ast.Name) and node.value.id == "context":
                bad.append(f"{path.relative_to(ROOT)}:{node.lineno} context.{node.attr}")
    assert not bad, "ui helpers read with ui.read.read and write with ui.write.submit:\n" + "\n".join(bad)
