"""The live contribution calculator: what a person would pay, from `contributions.calculate`."""

from __future__ import annotations

import io

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from outreach_tui.domain.contributions import Contribution
from outreach_tui.domain.formats import rupiah
from outreach_tui.domain.i18n import translate
from outreach_tui.domain.rates import rates


def format_rupiah(amount: int, lang: str = "id") -> str:
    """An amount as the slip writes it (`Rp16.800`), so the panel and the slip agree."""
    return rupiah(amount, lang)


def format_date(day: object) -> str:
    """A date as DD/MM/YYYY, the way it is written in Indonesia."""
    return day.strftime("%d/%m/%Y") if hasattr(day, "strftime") else "-"


def discount_names(contribution: Contribution) -> str:
    """The regulations behind a contribution's discounts (`PP 50/2025 (50%)`), not rate codes."""
    found: dict[str, str] = {}
    for month in contribution.months:
        for d in rates().discounts_on(month.month):
            if d.name in contribution.discount_names and d.name not in found:
                found[d.name] = f"{d.regulation} ({float(d.percent):g}%)"
    return ", ".join(found.values()) or ", ".join(contribution.discount_names)


def plain_text(renderable: RenderableType, width: int = 60) -> str:
    """What a renderable shows, as plain text (for tests and for reading the panel aloud)."""
    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    console.print(renderable)
    return console.export_text()


class ContributionPanel(Widget):
    """Shows one `Contribution` (or why there is none); the screen sets `result` and `lang`."""

    DEFAULT_CSS = """
    ContributionPanel {
        height: auto;
        border: round $primary;
        border-title-color: $primary;
        border-title-style: bold;
        padding: 0 1;
    }
    """

    result: reactive[Contribution | None] = reactive(None, layout=True)
    lang: reactive[str] = reactive("id")

    def t(self, key: str, **params: object) -> str:
        """Translate a key into the panel's language."""
        return translate(key, self.lang, **params)

    def watch_lang(self) -> None:
        """The title follows the officer's language."""
        self.border_title = self.t("form.calc.title")

    def on_mount(self) -> None:
        """Title in the panel's language."""
        self.border_title = self.t("form.calc.title")

    @property
    def text(self) -> str:
        """The panel's content as plain text."""
        return plain_text(self.render())

    def render(self) -> RenderableType:
        """One line per program, then the month, the period and the first due date."""
        c = self.result
        if c is None:
            return Text(self.t("form.calc.none"), style="italic")
        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True)
        table.add_column(justify="right", no_wrap=True)
        table.add_column(no_wrap=True)
        table.add_row(self.t("form.calc.basis"), format_rupiah(c.basis, self.lang), "")
        for code in c.programs:
            off = c.discounts.get(code, 0)
            extra = (
                self.t("form.calc.discount", amount=format_rupiah(off, self.lang)) if off else ""
            )
            table.add_row(f"  {code}", format_rupiah(c.amounts[code], self.lang), extra)
        bold = "bold"
        table.add_row(
            Text(self.t("form.calc.monthly"), style=bold),
            Text(format_rupiah(c.monthly_total, self.lang), style=bold),
            "",
        )
        table.add_row(
            self.t("form.calc.period", months=c.payment_period),
            format_rupiah(c.period_total, self.lang),
            "",
        )
        table.add_row(self.t("form.calc.first_due"), format_date(c.first_due_date), "")
        notes = []
        if c.basis_raised:
            notes.append(self.t("form.calc.basis_raised"))
        elif c.basis_capped:
            notes.append(self.t("form.calc.basis_capped"))
        if c.discount_names:
            notes.append(self.t("form.calc.discounts", names=discount_names(c)))
        if not notes:
            return table
        return Group(table, Text("\n".join(notes), style="italic"))
