"""Beranda (home): today at a glance, the month's target, follow-ups due, the area's coverage."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.widgets import (
    DataTable,
    Digits,
    Header,
    Label,
    OptionList,
    ProgressBar,
    Static,
)
from textual.widgets.option_list import Option

from outreach_tui import messages
from outreach_tui.domain.codes import STATUSES
from outreach_tui.domain.formats import moment_text
from outreach_tui.domain.reference import region_name
from outreach_tui.screens.base import OutreachScreen
from outreach_tui.session import Locked
from outreach_tui.store.backup import LAST_BACKUP_META
from outreach_tui.store.dashboard import Coverage, DaySummary
from outreach_tui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from outreach_tui.app import OutreachApp

FOLLOW_UP_ROWS = 100  # the list shows the first ones; the counts above it say how many in all


def utc_stamp(moment: datetime) -> str:
    """A moment as the store's UTC stamp (text order is time order)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def day_range(first: date, last: date) -> tuple[str, str]:
    """The officer's local days ``first`` to ``last`` as a [start, end) range of UTC stamps."""
    start = datetime.combine(first, time.min).astimezone()
    end = datetime.combine(last + timedelta(days=1), time.min).astimezone()
    return utc_stamp(start), utc_stamp(end)


@dataclass
class HomeFigures:
    """Everything the home screen shows, counted in one pass (in a thread worker)."""

    today: DaySummary
    month: DaySummary
    month_enrolled_mine: int
    unsent: int
    last_sync: str | None
    overdue: int
    due_today: int
    follow_ups: list[dict[str, Any]] = field(default_factory=list)
    inactive: list[dict[str, Any]] = field(default_factory=list)  # in arrears (the centre says)
    coverage: Coverage = field(default_factory=Coverage)
    backup_due: bool = False  # changes waited unsent too long and no backup was made since


def backup_due(store: Any, hours: int, now: datetime | None = None) -> bool:
    """Whether to remind the officer to back up: the laptop is the only copy for too long."""
    if hours <= 0:
        return False
    oldest = store.oldest_unsent_at()
    if not oldest:
        return False
    now = now or datetime.now(UTC)
    waited = now - datetime.fromisoformat(oldest.replace("Z", "+00:00"))
    if waited.total_seconds() < hours * 3600:
        return False
    last = store.get_meta(LAST_BACKUP_META)
    return not last or datetime.fromisoformat(last) < datetime.fromisoformat(
        oldest.replace("Z", "+00:00")
    )


def count_home(
    store: Any, today: date, officer_id: str, area_code: str, backup_hours: int = 24
) -> HomeFigures:
    """Count what the home screen shows; aggregate queries only (safe at 100k records)."""
    day = day_range(today, today)
    month = day_range(today.replace(day=1), today)
    yesterday = today - timedelta(days=1)
    # Two passes over each period's records (a 100k import day: ~0.25 s), not eight.
    month_summary, month_enrolled_mine = store.period_summary(*month, officer_id)
    return HomeFigures(
        today=store.period_summary(*day, officer_id)[0],
        month=month_summary,
        month_enrolled_mine=month_enrolled_mine,
        unsent=store.unsent_count(),
        last_sync=store.last_good_sync(),
        overdue=store.count_records(follow_up_due=yesterday),
        due_today=store.count_records(follow_up_due=today)
        - store.count_records(follow_up_due=yesterday),
        follow_ups=store.list_records(
            follow_up_due=today, order_by="follow_up", limit=FOLLOW_UP_ROWS
        ),
        inactive=store.arrears()[:FOLLOW_UP_ROWS],
        coverage=store.area_coverage(area_code) if area_code else Coverage(),
        backup_due=backup_due(store, backup_hours),
    )


class Card(Vertical):
    """One big readable number with its label (read at arm's length in the sun)."""

    def __init__(self, label: str, *, id: str) -> None:
        super().__init__(id=id, classes="card")
        self.label = label

    def compose(self) -> ComposeResult:
        yield Label(self.label, classes="card-label")
        yield Digits("-", classes="card-value")
        yield Label("", classes="card-note")

    def show(self, value: int | str, note: str = "") -> None:
        """Show a new figure and the small line under it."""
        self.query_one(Digits).update(str(value))
        self.query_one(".card-note", Label).update(note)


class HomeScreen(OutreachScreen):
    """Today at a glance: what was done, what waits, how far the month's target is."""

    CSS_PATH = "home.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "refresh_figures", "key.home_refresh"),
        Binding("ctrl+o", "focus_follow_ups", "key.home_follow_ups"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.figures: HomeFigures | None = None
        self._counting = False  # one count at a time: a second one waits for the first
        self._stale = False
        self._area_text = ""  # the working area's line, names looked up in a thread

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home-body"):
            # Filled from a thread: the region list takes 0.4 s to load, once.
            yield Static(self._area_text, id="home-area")
            with Horizontal(id="home-cards"):
                yield Card(self.t("home.card.met"), id="card-met")
                yield Card(self.t("home.card.new"), id="card-new")
                yield Card(self.t("home.card.enrolled"), id="card-enrolled")
                yield Card(self.t("home.card.declined"), id="card-declined")
                yield Card(self.t("home.card.unsent"), id="card-unsent")
            yield Static("", id="home-sync")
            with Horizontal(id="home-target"):
                yield Label("", id="home-target-label")
                yield ProgressBar(total=None, show_eta=False, id="home-target-bar")
            with Horizontal(id="home-lists"):
                with Vertical(id="home-follow-ups-box"):
                    yield Label("", id="home-follow-ups-title", classes="section-title")
                    yield OptionList(id="home-follow-ups")
                with Vertical(id="home-coverage-box"):
                    yield Label("", id="home-coverage-title", classes="section-title")
                    yield DataTable(id="home-coverage", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        """Count in the background and follow the online state."""
        self.watch(self.app, "online", self._online_changed, init=False)
        self.refresh_figures()

    async def recompose(self) -> None:
        """After a language or theme change: rebuild, then show the figures again."""
        await super().recompose()
        if self.session.is_unlocked:
            self._resolve_area()  # in the new language
        if self.figures is not None:
            self._show(self.figures)

    def on_screen_resume(self) -> None:
        """Back on the home screen (after the area or the settings changed): count again."""
        self.refresh_figures()

    def on_data_changed(self, _message: messages.DataChanged) -> None:
        """Records or visits were saved or synced: the figures are stale."""
        self.refresh_figures()

    def _online_changed(self, _online: bool | None) -> None:
        with contextlib.suppress(NoMatches):
            self._show_sync()

    def action_refresh_figures(self) -> None:
        """Count again now."""
        self.refresh_figures()

    def action_focus_follow_ups(self) -> None:
        """Move to the list of follow-ups due (Enter opens one)."""
        self.query_one("#home-follow-ups", OptionList).focus()

    def refresh_figures(self) -> None:
        """Start counting in a thread (a 100k import day reads every record of the month).

        One count at a time: asking again while one runs marks the figures stale and counts
        once more when it ends. (A cancelled thread worker still runs to its end: counts
        started on mount, on resume and on every data change used to pile up, each with its
        own connection and page cache, and took the CPU for seconds after an unlock.)
        """
        if not self.session.is_unlocked:
            return
        self._resolve_area()
        if self._counting:
            self._stale = True
            return
        self._counting, self._stale = True, False
        self._count(self.session.today(), self.session.officer_id, self.session.settings.area_code)

    @work(thread=True, group="home")
    def _count(self, today: date, officer_id: str, area_code: str) -> None:
        figures: HomeFigures | None = None
        try:
            store = self.session.open_thread_store(short_lived=True)
        except Locked:
            pass
        else:
            try:
                hours = self.session.settings.backup_reminder_hours
                figures = count_home(store, today, officer_id, area_code, hours)
            finally:
                store.close()
        self.app.call_from_thread(self._counted, figures)

    @work(thread=True, exclusive=True, group="home-area")
    def _resolve_area(self) -> None:
        """The working area's line with its names (beside the count, not after it)."""
        line = self._area_line()
        self.app.call_from_thread(self._area_resolved, line)

    def _area_resolved(self, line: str) -> None:
        self._area_text = line
        with contextlib.suppress(NoMatches):
            self.query_one("#home-area", Static).update(line)

    def _counted(self, figures: HomeFigures | None) -> None:
        """A count finished: show it, and count again when data changed meanwhile."""
        self._counting = False
        if figures is not None and self.is_attached:
            self._show(figures)
        if self._stale:
            self.refresh_figures()

    # -- showing ------------------------------------------------------------------------------
    def _show(self, figures: HomeFigures) -> None:
        """Put freshly counted figures on screen."""
        self.figures = figures
        # While being rebuilt (language or theme changed) recompose() shows them afterwards.
        with contextlib.suppress(NoMatches):
            self._show_all(figures)

    def _show_all(self, figures: HomeFigures) -> None:
        month = self.t("home.this_month", count="{count}")
        cards = (
            ("#card-met", figures.today.met, figures.month.met),
            ("#card-new", figures.today.new_prospects, figures.month.new_prospects),
            ("#card-enrolled", figures.today.enrolled, figures.month.enrolled),
            ("#card-declined", figures.today.declined, figures.month.declined),
        )
        for selector, value, in_month in cards:
            self.query_one(selector, Card).show(value, month.format(count=in_month))
        self.query_one("#card-unsent", Card).show(figures.unsent, self.t("home.unsent_note"))
        self._show_sync()
        self._show_target(figures.month_enrolled_mine)
        self._show_follow_ups(figures)
        self._show_coverage(figures.coverage)

    def _show_sync(self) -> None:
        state = {True: "net.online", False: "net.offline", None: "net.unknown"}
        last = self.figures.last_sync if self.figures else None
        when = _local_time(last) if last else self.t("home.never_synced")
        line = self.t(
            "home.sync_line", state=self.t(state[cast("OutreachApp", self.app).online]), last=when
        )
        if self.figures is not None and self.figures.backup_due:
            hours = self.session.settings.backup_reminder_hours
            line += "\n" + self.t("home.backup_due", hours=hours)
        self.query_one("#home-sync", Static).update(line)

    def _show_target(self, enrolled: int) -> None:
        target = self.session.settings.monthly_target
        bar = self.query_one("#home-target-bar", ProgressBar)
        label = self.query_one("#home-target-label", Label)
        if target <= 0:
            label.update(self.t("home.target_none", count=enrolled))
            bar.display = False
            return
        bar.display = True
        bar.update(total=target, progress=min(enrolled, target))
        percent = round(100 * enrolled / target)
        label.update(self.t("home.target", count=enrolled, target=target, percent=percent))

    def _show_follow_ups(self, figures: HomeFigures) -> None:
        title = self.t("home.follow_ups", overdue=figures.overdue, today=figures.due_today)
        self.query_one("#home-follow-ups-title", Label).update(title)
        options = self.query_one("#home-follow-ups", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        today = self.session.today().isoformat()
        for record in figures.follow_ups:
            day = record.get("follow_up_on") or ""
            mark = self.t("home.overdue") if day < today else self.t("home.due_today")
            place = f"{record.get('rw') or '-'}/{record.get('rt') or '-'}"
            prompt = f"{mark:<9} {_short_day(day)}  {record['full_name']} · {place}"
            options.add_option(Option(prompt, id=record["id"]))
        for person in figures.inactive:  # participants to bring back (a visit, a payment)
            mark = self.t("home.inactive", months=person.get("months") or "3+")
            place = f"{person.get('rw') or '-'}/{person.get('rt') or '-'}"
            options.add_option(Option(f"{mark:<15} {person['full_name']} · {place}",
                                      id=f"inactive-{person['id']}"))  # fmt: skip
        shown = len(figures.follow_ups) + len(figures.inactive)
        if not shown:
            options.add_option(Option(self.t("home.no_follow_ups"), disabled=True))
        else:
            options.highlighted = min(highlighted or 0, shown - 1)

    def _show_coverage(self, coverage: Coverage) -> None:
        """One row per RW; the current RW also split by RT (compact: short status names)."""
        settings = self.session.settings
        title = self.t("home.coverage", total=coverage.total)
        self.query_one("#home-coverage-title", Label).update(title)
        table = self.query_one("#home-coverage", DataTable)
        table.clear(columns=True)
        statuses = [s for s in STATUSES if any(s in c for c in coverage.rows.values())]
        # Fixed widths: auto widths were measured on the first (empty) fill and then kept.
        all_rt = self.t("home.all_rt")
        # One space between columns instead of the cell padding: every column fits at 80.
        table.cell_padding = 0
        table.add_column("RW", key="rw", width=5)
        table.add_column("RT", key="rt", width=max(len(all_rt), 4) + 1)
        for key, label in [("total", self.t("home.total"))] + [
            (status, self.t(f"home.status_short.{status}")) for status in statuses
        ]:
            table.add_column(label, key=key, width=max(len(label), 4) + 1)
        for rw, total, by_rt in _by_rw(coverage):
            here = rw == settings.area_rw
            table.add_row(
                f"▶{rw}" if here else rw or "-",
                all_rt,
                *_cells(total, statuses),
                key=rw,
            )
            if not here:
                continue
            for rt, counts in by_rt:
                mark = "▶" if rt == settings.area_rt else " "
                table.add_row("", f"{mark}{rt or '-'}", *_cells(counts, statuses), key=f"{rw}/{rt}")

    def _area_line(self) -> str:
        settings = self.session.settings
        if not settings.area_code:
            return self.t("home.no_area")
        return self.t(
            "home.area",
            desa=region_name(settings.area_code) or settings.area_code,
            kecamatan=region_name(settings.area_code[:8]) or "-",
            rw=settings.area_rw or "-",
            rt=settings.area_rt or "-",
        )

    # -- opening a follow-up ------------------------------------------------------------------
    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a follow-up opens that person's record."""
        event.stop()
        if event.option.id:
            self.post_message(messages.OpenRecord(event.option.id.removeprefix("inactive-")))


def _by_rw(
    coverage: Coverage,
) -> list[tuple[str, dict[str, int], list[tuple[str, dict[str, int]]]]]:
    """The coverage grouped by RW: (rw, counts of the RW, [(rt, counts)...])."""
    groups: dict[str, tuple[dict[str, int], list[tuple[str, dict[str, int]]]]] = {}
    for (rw, rt), counts in sorted(coverage.rows.items()):
        total, by_rt = groups.setdefault(rw, ({}, []))
        for status, count in counts.items():
            total[status] = total.get(status, 0) + count
        by_rt.append((rt, counts))
    return [(rw, total, by_rt) for rw, (total, by_rt) in groups.items()]


def _cells(counts: dict[str, int], statuses: list[str]) -> list[int]:
    """The total, then the count of each status, for one coverage row."""
    return [sum(counts.values()), *(counts.get(status, 0) for status in statuses)]


def _local_time(stamp: str) -> str:
    """A UTC stamp of the store as the officer's local date and time."""
    try:
        moment = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    except ValueError:
        return stamp
    return moment_text(moment)


def _short_day(day: str) -> str:
    """An ISO date as dd/mm (the year is nearly always this one)."""
    return f"{day[8:10]}/{day[5:7]}" if len(day) >= 10 else day
