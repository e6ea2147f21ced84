"""A line of labelled boxes typed left to right (a new event, a new group): Enter moves to the
next box, Enter on the last one calls `on_done` at once, in the same key's handling, so keys
typed ahead after it land where the screen then puts the focus."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label


class BoxRow(Horizontal):
    """Boxes `(id, label)` in a row; `on_done` runs on Enter in the last box."""

    def __init__(
        self, boxes: Sequence[tuple[str, str]], *, on_done: Callable[[], None], max_length: int,
        id: str | None = None,
    ) -> None:  # fmt: skip
        super().__init__(id=id)
        self.boxes = list(boxes)
        self.on_done = on_done
        self.max_length = max_length

    def compose(self) -> ComposeResult:
        for name, label in self.boxes:
            with Vertical(classes="ev-cell"):
                yield Label(label, classes="field-label")
                yield Input(id=name, max_length=self.max_length)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        names = [name for name, _label in self.boxes]
        name = event.input.id or ""
        if name == names[-1]:
            self.on_done()
        elif name in names:
            self.query_one(f"#{names[names.index(name) + 1]}", Input).focus()
