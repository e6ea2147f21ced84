"""The key footer, rebuilt only when the keys it shows change.

Textual's Footer recomposes (every key a new widget, styled and laid out) on each "bindings
updated" signal, which a screen sends when it mounts, when focus moves and at idle; opening the
record form sent four, and rebuilding the same 28 keys four times was a third of its first show
(issue 11). This footer remembers what it last showed and skips a rebuild that would change
nothing: the same keys, descriptions (in the officer's language), states and tooltips.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Footer


class KeyFooter(Footer):
    """A Footer that recomposes only when its keys differ from the ones it shows."""

    _shown_keys: tuple[Any, ...] | None = None

    def _keys(self) -> tuple[Any, ...] | None:
        """What the footer would show now (None before the screen's bindings are ready)."""
        if not self._bindings_ready:
            return None
        shown = tuple(
            (b.key, b.key_display, b.description, b.action, b.group, enabled, tooltip)
            for (_, b, enabled, tooltip) in self.screen.active_bindings.values()
            if b.show or b.key == self.app.COMMAND_PALETTE_BINDING
        )
        return (self.show_command_palette, self.compact, shown)

    def compose(self) -> Any:
        self._shown_keys = self._keys()
        return super().compose()

    async def recompose(self) -> None:
        """Rebuild the keys, unless they are the ones already shown."""
        if self.is_attached and self._shown_keys is not None and self._keys() == self._shown_keys:
            return
        await super().recompose()
