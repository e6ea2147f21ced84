"""No screen's key is swallowed by one of the app's global keys (they are priority bindings,
acted on before a screen sees the key): a screen that binds the same key never gets it. Found
when Ctrl+E (events) took the reports screen's Ctrl+E (export to a folder)."""

from __future__ import annotations

import importlib
import pkgutil

from textual.binding import Binding

import outreach_tui.screens
from outreach_tui.app import OutreachApp
from outreach_tui.screens.base import OutreachScreen

# A screen that takes a global key on purpose, with a priority binding of its own.
ON_PURPOSE = {("AttendanceScreen", "f4")}  # F4 there: the form of the last person typed


def _keys(bindings: object) -> dict[str, Binding]:
    found = {}
    for binding in bindings:  # type: ignore[attr-defined]
        if isinstance(binding, Binding):
            for key in binding.key.split(","):
                found[key.strip()] = binding
    return found


def test_no_screen_key_is_taken_by_a_global_key() -> None:
    for module in pkgutil.iter_modules(outreach_tui.screens.__path__):
        importlib.import_module(f"outreach_tui.screens.{module.name}")
    global_keys = {k for k, b in _keys(OutreachApp.BINDINGS).items() if b.priority}
    screens = set()
    stack = list(OutreachScreen.__subclasses__())
    while stack:
        cls = stack.pop()
        screens.add(cls)
        stack.extend(cls.__subclasses__())
    clashes = []
    for screen in screens:
        for key, binding in _keys(screen.__dict__.get("BINDINGS", [])).items():
            if key in global_keys and (screen.__name__, key) not in ON_PURPOSE:
                clashes.append((screen.__name__, key))
            if (screen.__name__, key) in ON_PURPOSE:
                assert binding.priority, (screen.__name__, key)
    assert len(screens) > 10
    assert clashes == []
