"""Two high-contrast themes: dark for indoors, light for reading in the midday sun."""

from __future__ import annotations

from textual.theme import Theme

DARK = Theme(
    name="outreach-dark",
    primary="#4FC3F7",
    secondary="#81C784",
    accent="#FFD54F",
    foreground="#FFFFFF",
    background="#000000",
    surface="#121212",
    panel="#1E2A33",
    success="#66BB6A",
    warning="#FFB300",
    error="#FF5252",
    dark=True,
)

LIGHT = Theme(
    name="outreach-light",
    primary="#0D47A1",
    secondary="#1B5E20",
    accent="#8E2400",
    foreground="#000000",
    background="#FFFFFF",
    surface="#F2F2F2",
    panel="#DCE6F0",
    success="#1B5E20",
    warning="#8A5A00",
    error="#B00020",
    dark=False,
)

THEMES = (DARK, LIGHT)


def theme_name(setting: str) -> str:
    """The Textual theme for the settings value `dark` or `light`."""
    return LIGHT.name if setting == "light" else DARK.name
