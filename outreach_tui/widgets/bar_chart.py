"""A horizontal bar chart drawn with block characters: label, bar (to an eighth of a cell), count.

Reusable: give it (label, count) pairs with `set_data`; it draws one line per pair, bars
scaled to the largest count and the widget's width, in the theme's colours.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

EIGHTHS = ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")
FULL = "█"
MAX_LABEL = 28


def bar_cells(value: int, maximum: int, width: int) -> str:
    """The bar for ``value`` out of ``maximum`` in ``width`` cells (a non-zero value shows)."""
    if value <= 0 or maximum <= 0 or width <= 0:
        return ""
    eighths = round(min(value, maximum) / maximum * width * 8)
    eighths = max(eighths, 1)
    full, rest = divmod(eighths, 8)
    return FULL * full + EIGHTHS[rest]


def _fit(label: str, width: int) -> str:
    """``label`` cut (with an ellipsis) or padded to ``width`` cells."""
    if cell_len(label) > width:
        label = label[: max(width - 1, 0)] + "…"
    return label + " " * max(width - cell_len(label), 0)


def chart_lines(items: Sequence[tuple[str, int]], width: int) -> list[tuple[str, str, str]]:
    """(label, bar, count) per item, each padded so the bars start and the counts end aligned."""
    if not items:
        return []
    label_width = min(max(cell_len(label) for label, _ in items), MAX_LABEL)
    counts = [f"{count:,}".replace(",", ".") for _, count in items]
    count_width = max(len(c) for c in counts)
    bar_width = max(width - label_width - count_width - 2, 1)
    maximum = max(count for _, count in items)
    lines = []
    for (label, count), shown in zip(items, counts, strict=True):
        bar = bar_cells(count, maximum, bar_width)
        lines.append((_fit(label, label_width), bar.ljust(bar_width), shown.rjust(count_width)))
    return lines


class BarChart(Widget):
    """Counts as horizontal bars; labels on the left, numbers on the right."""

    DEFAULT_CSS = """
    BarChart {
        height: auto;
        width: 1fr;
    }
    BarChart > .bar-chart--label {
        color: $foreground;
    }
    BarChart > .bar-chart--bar {
        color: $primary;
    }
    BarChart > .bar-chart--count {
        color: $foreground;
        text-style: bold;
    }
    BarChart > .bar-chart--empty {
        color: $foreground 70%;
    }
    """
    COMPONENT_CLASSES = {
        "bar-chart--label",
        "bar-chart--bar",
        "bar-chart--count",
        "bar-chart--empty",
    }

    def __init__(
        self,
        items: Sequence[tuple[str, int]] = (),
        *,
        empty_text: str = "-",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.items: list[tuple[str, int]] = list(items)
        self.empty_text = empty_text

    def set_data(self, items: Sequence[tuple[str, int]], empty_text: str | None = None) -> None:
        """Show new counts (and the words for "nothing to show")."""
        self.items = list(items)
        if empty_text is not None:
            self.empty_text = empty_text
        self.refresh(layout=True)

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        """One line per bar (one for the empty text)."""
        return max(len(self.items), 1)

    def render(self) -> Text:
        """The chart as styled text for the widget's current width."""
        if not self.items:
            return Text(self.empty_text, style=self.get_component_rich_style("bar-chart--empty"))
        label_style = self.get_component_rich_style("bar-chart--label")
        bar_style = self.get_component_rich_style("bar-chart--bar")
        count_style = self.get_component_rich_style("bar-chart--count")
        text = Text(no_wrap=True, overflow="crop")
        for index, (label, bar, count) in enumerate(chart_lines(self.items, self.size.width)):
            if index:
                text.append("\n")
            text.append(label + " ", label_style)
            text.append(bar + " ", bar_style)
            text.append(count, count_style)
        return text
