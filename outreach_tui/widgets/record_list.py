"""A virtual list of records: draws only the rows on screen, asking a data source for their page.

Textual's DataTable measures every cell it holds (seconds of frozen UI at 100k rows); this
Line-API ``ScrollView`` keeps only a few pages of rows and renders each visible line on demand
(Textual guide, widgets.md, "Line API"). It never touches storage: the screen gives it a
:class:`RecordSource` (attributes down) and turns :class:`RecordList.Selected` into whatever
opening a record means (messages up).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Protocol

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

PAGE_SIZE = 50
MAX_PAGES = 8  # 400 rows kept: a screenful and a few page-downs either way
MIN_FLEX = 22  # the name column never gets narrower than this while other columns can go


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its title and width in cells (0: the one column that takes what is left)."""

    title: str
    width: int = 0


@dataclass(frozen=True, slots=True)
class ListRow:
    """One record as the list shows it: its id, the cell texts and an optional mark per cell.

    A mark names a component class (``overdue``, ``attention``, ``muted``) that styles that cell.
    """

    record_id: str
    cells: tuple[str, ...]
    marks: tuple[str, ...] = ()


class RecordSource(Protocol):
    """Where the list's rows come from; the screen decides (store pages, search results, ...)."""

    def total(self) -> int:
        """How many rows the list has (sets the scrollbar)."""
        ...

    def fetch(self, offset: int, limit: int) -> Sequence[ListRow]:
        """The rows ``offset`` to ``offset + limit`` (fewer at the end)."""
        ...


class EmptySource:
    """No rows: the list before the screen gives it a source, or while the store is locked."""

    def total(self) -> int:
        """Always zero."""
        return 0

    def fetch(self, offset: int, limit: int) -> Sequence[ListRow]:
        """Always nothing."""
        return []


class RecordList(ScrollView, can_focus=True):
    """A scrolling list of records with a cursor; Enter posts :class:`RecordList.Selected`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "key.records_open"),
        Binding("up", "move(-1)", "key.records_up", show=False),
        Binding("down", "move(1)", "key.records_down", show=False),
        Binding("pageup", "page(-1)", "key.records_page_up", show=False),
        Binding("pagedown", "page(1)", "key.records_page_down", show=False),
        Binding("home", "jump(0)", "key.records_first", show=False),
        Binding("end", "jump(-1)", "key.records_last", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "record-list--header",
        "record-list--cursor",
        "record-list--overdue",
        "record-list--attention",
        "record-list--muted",
        "record-list--empty",
    }
    DEFAULT_CSS = """
    RecordList {
        overflow-x: hidden;
        overflow-y: auto;
        background: $surface;
        color: $foreground;
    }
    RecordList > .record-list--header {
        background: $panel;
        color: $foreground;
        text-style: bold;
    }
    RecordList > .record-list--cursor {
        background: $primary 40%;
        color: $foreground;
    }
    RecordList:focus > .record-list--cursor {
        background: $accent;
        color: $background;
        text-style: bold;
    }
    RecordList > .record-list--overdue {
        color: $warning;
        text-style: bold;
    }
    RecordList > .record-list--attention {
        color: $error;
        text-style: bold;
    }
    RecordList > .record-list--muted {
        color: $foreground 70%;
    }
    RecordList > .record-list--empty {
        color: $foreground 80%;
        text-style: italic;
    }
    """

    @dataclass
    class Selected(Message):
        """The officer pressed Enter (or clicked twice) on a record."""

        record_id: str

    cursor: reactive[int] = reactive(0, always_update=True)

    def __init__(
        self,
        columns: Sequence[Column] = (),
        *,
        empty_text: str = "",
        page_size: int = PAGE_SIZE,
        max_pages: int = MAX_PAGES,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.columns: tuple[Column, ...] = tuple(columns)
        self.empty_text = empty_text
        self.page_size = page_size
        self.max_pages = max_pages
        self.source: RecordSource = EmptySource()
        self.total = 0
        self.fetches = 0  # pages asked of the source since the list was made (tests, bench)
        self.rendered_rows = 0  # row lines drawn since the last set_source (tests, bench)
        self._pages: OrderedDict[int, Sequence[ListRow]] = OrderedDict()

    # -- attributes down -------------------------------------------------------------------------
    def set_source(self, source: RecordSource, *, keep_cursor: bool = False) -> None:
        """Show ``source``'s rows (from the top, or at the same cursor row after a refresh)."""
        self.source = source
        self._pages.clear()
        self.total = max(0, source.total())
        self.rendered_rows = 0
        virtual_size = Size(self.size.width, self.total + 1)
        if virtual_size != self.virtual_size:
            self.virtual_size = virtual_size
        if keep_cursor:
            self.cursor = min(self.cursor, max(0, self.total - 1))
        else:
            self.cursor = 0
            self.scroll_to(y=0, animate=False, immediate=True)
        self.refresh()
        self.call_after_refresh(self.prefetch)

    def set_columns(self, columns: Sequence[Column], empty_text: str | None = None) -> None:
        """Change the column titles (the officer switched language)."""
        self.columns = tuple(columns)
        if empty_text is not None:
            self.empty_text = empty_text
        self.refresh()

    # -- rows ------------------------------------------------------------------------------------
    def row_at(self, index: int) -> ListRow | None:
        """The row at ``index``, fetching (and caching) its page when needed."""
        if not 0 <= index < self.total:
            return None
        number = index // self.page_size
        page = self._pages.get(number)
        if page is None:
            page = self.source.fetch(number * self.page_size, self.page_size)
            self.fetches += 1
            self._pages[number] = page
            while len(self._pages) > self.max_pages:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        offset = index - number * self.page_size
        return page[offset] if offset < len(page) else None

    @property
    def selected_id(self) -> str | None:
        """The record under the cursor, if any."""
        row = self.row_at(self.cursor)
        return row.record_id if row else None

    @property
    def visible_rows(self) -> int:
        """Rows that fit below the header line."""
        return max(1, self.scrollable_content_region.height - 1)

    # -- rendering -------------------------------------------------------------------------------
    def _widths(self, width: int) -> list[int]:
        """Cell widths; on a narrow terminal the rightmost fixed columns go (width 0) first,
        so the flexible one (the name) keeps at least MIN_FLEX cells."""
        widths = [column.width for column in self.columns]
        shown = [True] * len(widths)

        def left() -> int:  # the flexible column's share: the rest, less one space per gap
            fixed = sum(w for w, on in zip(widths, shown, strict=True) if on)
            return width - fixed - (sum(shown) - 1)

        for index in range(len(widths) - 1, 0, -1):
            if left() >= MIN_FLEX:
                break
            if widths[index]:
                shown[index] = False
        flex = max(4, left())
        return [(w or flex) if on else 0 for w, on in zip(widths, shown, strict=True)]

    def _line(self, texts: Sequence[str], styles: Sequence[Style], width: int) -> Strip:
        segments = []
        for text, cell_width, style in zip(texts, self._widths(width), styles, strict=False):
            if cell_width:
                segments.append(Segment(set_cell_size(text, cell_width) + " ", style))
        return Strip(segments).crop_extend(0, width, styles[0] if styles else None)

    def render_line(self, y: int) -> Strip:
        """Line 0 is the header; below it the rows from the scroll position on."""
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            style = base + self.get_component_rich_style("record-list--header")
            return self._line([c.title for c in self.columns], [style] * len(self.columns), width)
        index = int(self.scroll_y) + y - 1
        if self.total == 0:
            if y == 1 and self.empty_text:
                style = base + self.get_component_rich_style("record-list--empty")
                return Strip([Segment(set_cell_size(" " + self.empty_text, width), style)])
            return Strip.blank(width, base)
        row = self.row_at(index)
        if row is None:
            return Strip.blank(width, base)
        self.rendered_rows += 1
        cursor = (
            self.get_component_rich_style("record-list--cursor") if index == self.cursor else None
        )
        styles = []
        for position in range(len(self.columns)):
            style = base
            mark = row.marks[position] if position < len(row.marks) else ""
            if mark:
                style += self.get_component_rich_style(f"record-list--{mark}")
            if cursor is not None:
                style += cursor
            styles.append(style)
        return self._line(row.cells, styles, width)

    def watch_scroll_y(self, old: float, new: float) -> None:
        """Redraw at the new position, then read ahead while the officer looks at it."""
        super().watch_scroll_y(old, new)
        self.call_after_refresh(self.prefetch)

    def prefetch(self) -> None:
        """Have the pages of the screenfuls above and below cached, so the next step is quick."""
        top, rows = int(self.scroll_y), self.visible_rows
        for index in (top + rows, top + 2 * rows - 1, top - rows, top - 1):
            if 0 <= index < self.total:
                self.row_at(index)

    # -- cursor ----------------------------------------------------------------------------------
    def watch_cursor(self, old: int, new: int) -> None:
        """Redraw the two rows and keep the cursor on screen."""
        top = int(self.scroll_y)
        if new < top:
            self.scroll_to(y=new, animate=False, immediate=True)
        elif new >= top + self.visible_rows:
            self.scroll_to(y=new - self.visible_rows + 1, animate=False, immediate=True)
        self.refresh()

    def action_move(self, step: int) -> None:
        """One row up or down."""
        self._set_cursor(self.cursor + step)

    def action_page(self, direction: int) -> None:
        """A screenful up or down (the cursor keeps its place on screen)."""
        step = self.visible_rows * direction
        self.scroll_to(y=self.scroll_y + step, animate=False, immediate=True)
        self._set_cursor(self.cursor + step)

    def action_jump(self, index: int) -> None:
        """The first row (0) or the last (-1)."""
        self._set_cursor(self.total - 1 if index < 0 else index)

    def action_select(self) -> None:
        """Tell the screen which record the officer chose."""
        record_id = self.selected_id
        if record_id is not None:
            self.post_message(self.Selected(record_id))

    def _set_cursor(self, index: int) -> None:
        if self.total:
            self.cursor = max(0, min(self.total - 1, index))

    def on_click(self, event: events.Click) -> None:
        """A click puts the cursor on a row; a second click on it opens the record."""
        if event.y < 1:
            return
        index = int(self.scroll_y) + event.y - 1
        if 0 <= index < self.total:
            if index == self.cursor and event.chain >= 2:
                self.action_select()
            self.cursor = index

    def on_focus(self) -> None:
        """The cursor row changes colour with focus."""
        self.refresh()

    def on_blur(self) -> None:
        """The cursor row changes colour with focus."""
        self.refresh()

    def on_resize(self) -> None:
        """Keep the virtual width equal to the view (no sideways scrolling)."""
        self.virtual_size = Size(self.size.width, self.total + 1)
