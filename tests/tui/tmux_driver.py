"""Drive the real `outreach` command in a tmux pane, as an officer at a terminal would."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import time
import uuid
from collections.abc import Mapping
from pathlib import Path


class Tmux:
    """One detached tmux session running one command; keys in, screen text out."""

    def __init__(self, command: str, env: Mapping[str, str], *, width: int = 120, height: int = 40):
        if shutil.which("tmux") is None:
            raise RuntimeError("tmux is not installed (.ci/run installs it with apt)")
        self.name = f"outreach-{uuid.uuid4().hex[:8]}"
        exports = " ".join(f"{key}={shlex.quote(value)}" for key, value in env.items())
        # A clean environment (no COLUMNS/LINES from the test runner: the pane decides the size).
        # The pane stays open after the command ends, so the test can read what it printed.
        script = f"env -i {exports} {command}; echo '[exit '$?']'; sleep 600"
        # A server of its own (-L): other tmux sessions on the machine cannot resize this one.
        self.tmux = ["tmux", "-L", self.name]
        subprocess.run(
            [*self.tmux, "-f", "/dev/null", "new-session", "-d", "-s", self.name,
             "-x", str(width), "-y", str(height), "bash", "-c", script],
            check=True,
        )  # fmt: skip
        subprocess.run(
            [*self.tmux, "resize-window", "-t", self.name, "-x", str(width), "-y", str(height)],
            check=False,
        )

    def screen(self) -> str:
        """The pane's text right now."""
        out = subprocess.run(
            [*self.tmux, "capture-pane", "-p", "-t", self.name],
            check=True,
            capture_output=True,
            text=True,
        )
        return out.stdout

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        """Wait until ``text`` shows in the pane; fail with the pane's content."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if text in screen:
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never showed; the screen was:\n{screen}")
            time.sleep(0.2)

    def keys(self, *keys: str) -> None:
        """Press keys by tmux name (`Enter`, `F4`, `C-s`, `Escape`)."""
        subprocess.run([*self.tmux, "send-keys", "-t", self.name, *keys], check=True)
        time.sleep(0.15)

    def type(self, text: str) -> None:
        """Type text literally."""
        subprocess.run([*self.tmux, "send-keys", "-t", self.name, "-l", text], check=True)
        time.sleep(0.15)

    def close(self) -> None:
        """Kill the session (and the command, if still running)."""
        subprocess.run([*self.tmux, "kill-server"], check=False)

    def save(self, path: Path) -> None:
        """Keep the last screen for a failing test's report."""
        path.write_text(self.screen(), encoding="utf-8")
