"""What every screen shares: the session, translation, localized key bindings."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, cast

from textual import events
from textual.binding import ActiveBinding, BindingsMap
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen

from outreach_tui.domain.i18n import has_key, translate

if TYPE_CHECKING:
    from outreach_tui.app import OutreachApp
    from outreach_tui.session import Session


def localize_bindings(node: DOMNode, lang: str) -> None:
    """Translate binding descriptions written as table keys (`key.save`) for the footer.

    Textual reads descriptions from the class's BINDINGS; the officer's language is only known
    at run time, so each node gets its own translated copy of the map.
    """
    source = getattr(node, "_source_bindings", None)
    if source is None:
        source = node._bindings
        node._source_bindings = source  # type: ignore[attr-defined]
    localized = BindingsMap()
    for key, bindings in source.key_to_bindings.items():
        for binding in bindings:
            text = binding.description
            if text and has_key(text):
                binding = dataclasses.replace(binding, description=translate(text, lang))
            localized.key_to_bindings.setdefault(key, []).append(binding)
    node._bindings = localized


class OutreachScreen(Screen[Any]):
    """A full screen of the tool: header with online state, footer with translated keys."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The keys the footer shows; those of Textual's own widgets (an open dropdown's
        "Dismiss menu") in the officer's language too, through `textual.<description>` keys."""
        active = super().active_bindings
        lang = self.session.lang
        for key, entry in active.items():
            text = entry.binding.description
            if text and has_key(f"textual.{text}"):
                binding = dataclasses.replace(
                    entry.binding, description=translate(f"textual.{text}", lang)
                )
                active[key] = entry._replace(binding=binding)
        return active

    @property
    def session(self) -> Session:
        """The officer's session (settings, and the store while unlocked)."""
        return cast("OutreachApp", self.app).session

    def t(self, key: str, **params: Any) -> str:
        """Translate ``key`` into the officer's language."""
        return translate(key, self.session.lang, **params)

    def on_mount(self) -> None:
        """Translate the footer's key descriptions."""
        localize_bindings(self, self.session.lang)

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        """The first show needs no second styling pass: mounting the widgets just styled them
        (Textual restyles the whole screen on every resume; for a screen built ahead, such as
        the new-person form, that was most of its first show). Later resumes restyle as usual
        (the theme or language may have changed meanwhile)."""
        if not getattr(self, "_shown_once", False):
            self._shown_once = True
            event.refresh_styles = False
        super()._on_screen_resume(event)


class OutreachModal(OutreachScreen, ModalScreen[Any]):
    """A dialog over the current screen (confirmation, reason, passphrase)."""
