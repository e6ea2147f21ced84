"""The help screen: every key of the screen below and of the whole app, with what it does."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Markdown

from outreach_tui.screens.base import OutreachScreen
from outreach_tui.widgets.footer import KeyFooter

KEY_NAMES = {"escape": "Esc", "ctrl": "Ctrl", "shift": "Shift", "enter": "Enter"}


def format_key(key: str) -> str:
    """`ctrl+s` -> `Ctrl+S`, `f1` -> `F1`: how keys are printed on a keyboard."""
    return "+".join(
        KEY_NAMES.get(part, part.upper() if len(part) <= 3 else part.title())
        for part in key.split("+")
    )


def binding_rows(node: Any) -> list[tuple[str, str]]:
    """(key as shown, description) for the node's bindings that have a description."""
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    for key, bindings in node._bindings.key_to_bindings.items():
        for binding in bindings:
            if not binding.show or not binding.description or key in seen:
                continue
            seen.add(key)
            shown = binding.key_display or format_key(key)
            rows.append((shown, binding.description))
    return rows


class HelpScreen(OutreachScreen):
    """Keys of `under` and of the app as two tables, then a short guide."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "key.back"),
        Binding("f1", "app.pop_screen", "key.back", show=False),
    ]

    def __init__(self, under: Screen[Any]) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="help"):
            yield Markdown(self._text())
        yield KeyFooter()

    def _text(self) -> str:
        parts = [f"# {self.t('help.title')}", ""]
        sections = (("help.screen_keys", self.under), ("help.global_keys", self.app))
        for title, node in sections:
            rows = binding_rows(node)
            if not rows:
                continue
            parts += [
                f"## {self.t(title)}",
                "",
                f"| {self.t('help.key')} | {self.t('help.does')} |",
            ]
            parts.append("|---|---|")
            parts += [f"| `{key}` | {text} |" for key, text in rows]
            parts.append("")
        parts += [f"## {self.t('help.guide_title')}", "", self.t("help.guide")]
        return "\n".join(parts)
