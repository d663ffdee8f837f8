"""Every module of the core package, imported, and what they define: the scoped reads and the
guarded writes. The scope proof, the access-table test and the architecture test walk these."""
from __future__ import annotations

import importlib
import inspect
import pkgutil
from types import ModuleType

import core


def import_all() -> tuple[dict[str, ModuleType], dict[str, str]]:
    """{name: module} of every core module, and {name: error} of those that fail to import."""
    modules, errors = {}, {}
    for info in pkgutil.walk_packages(core.__path__, "core."):
        try:
            modules[info.name] = importlib.import_module(info.name)
        except Exception as exc:  # reported by the tests that use this
            errors[info.name] = f"{type(exc).__name__}: {exc}"
    return modules, errors


MODULES, IMPORT_ERRORS = import_all()


def defined(kind_attr: str, value=None) -> dict[str, object]:
    """{"module.name": function} of the functions defined (not imported) in core modules that carry
    the marker attribute ``kind_attr`` (equal to ``value`` when given)."""
    found = {}
    for mod_name, mod in MODULES.items():
        for name, obj in vars(mod).items():
            if not inspect.isfunction(obj) or getattr(obj, "__module__", None) != mod_name:
                continue
            mark = getattr(obj, kind_attr, None)
            if mark is not None and (value is None or mark == value):
                found[f"{mod_name}.{name}"] = obj
    return found


SCOPED_READS = defined("read_kind", "scoped")
GUARDED_WRITES = defined("action")
