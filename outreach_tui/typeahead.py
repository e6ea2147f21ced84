"""Keys typed ahead land where the officer meant them, at any speed, on a slow laptop.

Textual hands a key to the focused widget by posting it to that widget's queue and goes on at
once with the next key. A burst (`Siti`, Tab, `3201…`) therefore reaches the name field whole,
before the Tab that moves focus has been handled, and keys typed right after F4 reach a form
that is not mounted yet. `TypeAhead` makes key handling sequential, as if typed slowly:

- while the current screen is not ready (not mounted yet, or it says `hold_keys`), or a
  message that opens a screen (`messages.OpensScreen`) waits in the app's queue, keys wait
  in order and are replayed as soon as the screen is there;
- after each key is handed over, the next waits until the widgets that received it (the
  focused widget and its ancestors up to the screen) have handled it, and a key none of them
  kept has its app-level bindings (Tab moves focus there) run at once instead of behind the
  keys queued after it; so a Tab, an Enter or a save has moved focus or opened its screen
  before the next key is routed;
- and what the key set off on the screen (an Enter on a radio button posts Changed messages that
  show the decline reasons; a choice in a dropdown re-checks the form) has been handled by
  every widget of the screen, and the layout that follows has run, before the next key: a Tab
  then moves to the field that a slow typist would have seen appear (focus order follows
  where widgets are placed).

  Each wait is bounded (`SETTLE_SECONDS`), so a busy widget can slow typing but never swallow it.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from textual import events

from outreach_tui.messages import OpensScreen

SETTLE_SECONDS = 1.0  # at most, per key, for the widgets that got it to handle it (slow laptop)
# What a key set off on the screen may take on a loaded laptop before the next key goes anyway.
SCREEN_SETTLE_SECONDS = 1.0
FOCUS_GRACE = 0.5  # how long a new screen may take to focus its first field
POLL_SECONDS = 0.005

Dispatch = Callable[[events.Event], Awaitable[None]]


class TypeAhead:
    """Routes the app's key presses one after another (see the module doc)."""

    def __init__(self, app: Any, dispatch: Dispatch) -> None:
        self.app = app
        self.dispatch = dispatch
        self.held: deque[events.Key] = deque()
        self._timer: Any = None
        self._busy = False  # a key is being routed (the release runs in the timer's task)

    def ready(self) -> bool:
        """Whether the current screen can take keys now (and no screen is about to open)."""
        try:
            screen = self.app.screen
        except Exception:  # no screen yet (starting up)
            return False
        if not screen.is_mounted or getattr(screen, "hold_keys", False):
            return False
        if screen.focused is None and screen.focus_chain and self._just_mounted(screen):
            return False  # its first field is being focused (Widget.focus() is deferred)
        return not self._screen_coming()

    @staticmethod
    def _just_mounted(screen: Any) -> bool:
        """Within FOCUS_GRACE of the first time a key saw this screen mounted (a screen that
        focuses nothing on purpose takes keys after that)."""
        seen = getattr(screen, "_typeahead_mounted_at", None)
        if seen is None:
            seen = time.monotonic()
            screen._typeahead_mounted_at = seen
        return time.monotonic() - seen < FOCUS_GRACE

    def _screen_coming(self) -> bool:
        """Whether a message that opens a screen waits in the app's queue (posted by a key)."""
        pending = getattr(getattr(self.app, "_message_queue", None), "values", ())
        return any(isinstance(message, OpensScreen) for message in pending)

    async def key(self, event: events.Key) -> None:
        """Route one key from the terminal: now, or after the keys held before it."""
        if self.held or self._busy or not self.ready():
            self.held.append(event)
            if self._timer is None:
                self._timer = self.app.set_interval(POLL_SECONDS, self._release)
            return
        await self._send(event)

    async def _release(self) -> None:
        """Replay the held keys, in order, once the screen is ready (runs in the app's task)."""
        while self.held and self.ready():
            await self._send(self.held.popleft())
        if not self.held and self._timer is not None:
            self._timer.stop()
            self._timer = None

    async def _send(self, event: events.Key) -> None:
        """Route one key, never two at once (see `_route`)."""
        self._busy = True
        try:
            await self._route(event)
        finally:
            self._busy = False

    async def _route(self, event: events.Key) -> None:
        """Hand the key over, then wait until the widgets that got it have handled it.

        A key goes to the focused widget and bubbles up to the screen; each widget handles it
        in its own task and then publishes it on its `message_signal`. The key is done when
        the last widget that handled it did not pass it on (stopped, or its parent is the app).
        """
        target = self.app.focused or self.app.screen
        chain = [node for node in (target, *target.ancestors) if node is not self.app]
        handled: list[Any] = []
        queued_before = {id(message) for message in self._app_queue()}

        def seen(node: Any) -> Callable[[Any], None]:
            def record(message: Any) -> None:
                if message is event:
                    handled.append(node)

            return record

        subscribed = []
        if not self.app.is_running:  # shutting down: nothing to route to any more
            return
        for node in chain:
            if node.is_running:
                node.message_signal.subscribe(self.app, seen(node), immediate=True)
                subscribed.append(node)
        try:
            await self.dispatch(event)
            # A priority binding of the app (F2-F8, Ctrl+Q) keeps the key: nobody else gets it.
            forwarded = handled or any(_holds(node, event) for node in chain)
            deadline = time.monotonic() + (SETTLE_SECONDS if forwarded else 0)
            while time.monotonic() < deadline:
                await asyncio.sleep(0)
                if handled and self._finished(event, handled[-1], chain):
                    break
                await asyncio.sleep(POLL_SECONDS)
        finally:
            for node in subscribed:
                node.message_signal.unsubscribe(self.app)
        # The app's part first (a binding such as Enter on a radio set runs there), then what
        # it set off on the screen, then whatever that left for the app (a focus() call).
        await self._catch_up(event, queued_before)
        if forwarded:  # a main key's screen switch needs this (the app's) task: no waiting
            await self._settle(chain[-1] if chain else None)
            await self._catch_up(event, queued_before)

    @staticmethod
    async def _settle(screen: Any) -> None:
        """Wait until no widget of the screen has a message waiting or being handled."""
        if screen is None or not screen.is_running or not screen.is_current:
            return  # the key opened or closed a screen: that one's readiness is `ready()`'s
        deadline = time.monotonic() + SCREEN_SETTLE_SECONDS
        quiet = 0  # a message taken off a queue is handled by the next look: two quiet looks
        while time.monotonic() < deadline and quiet < 2:
            await asyncio.sleep(0)
            # A widget shown or hidden by the key has no place until the layout ran, and focus
            # order (Tab) follows places: wait for a pending layout too.
            busy = (screen.is_current and getattr(screen, "_layout_required", False)) or any(
                _busy(node) for node in (screen, *screen.walk_children())
            )
            quiet = 0 if busy else quiet + 1
            if busy:
                await asyncio.sleep(POLL_SECONDS)

    def _app_queue(self) -> list[Any]:
        return list(getattr(getattr(self.app, "_message_queue", None), "values", ()))

    async def _catch_up(self, event: events.Key, queued_before: set[int]) -> None:
        """Run now what the key left for the app, which would otherwise run only after every
        key already queued behind it: the key itself when no widget kept it (the app's own
        bindings: Tab, Escape, ...), and the callbacks it scheduled (`Widget.focus()` moves
        focus through one). Each is handled here, in typing order; the copy still queued is
        skipped when the app reaches it (taking it out would race the app's wait on it)."""
        done: set[int] = set()
        while True:  # what one runs may schedule more (a binding's action calls focus())
            due = [
                message
                for message in self._app_queue()
                if id(message) not in queued_before
                and id(message) not in done
                and not message.no_dispatch
                and (message is event or isinstance(message, events.Callback))
            ]
            if not due:
                return
            for message in due:
                done.add(id(message))
                await self.app._dispatch_message(message)
                message.no_dispatch = True  # type: ignore[misc]

    @staticmethod
    def _finished(event: events.Key, last: Any, chain: list[Any]) -> bool:
        """Whether the widget that handled the key last kept it (nobody else will get it)."""
        parent = last.parent
        return bool(event._stop_propagation) or not event.bubble or parent not in chain


def _busy(node: Any) -> bool:
    """Whether a widget has messages waiting (a `_message_queue` never made yet has none)."""
    queue = node.__dict__.get("_message_queue")
    return bool(queue is not None and not queue.empty())


def _holds(node: Any, message: Any) -> bool:
    """Whether a message waits in a widget's queue."""
    queue = node.__dict__.get("_message_queue")
    return queue is not None and any(waiting is message for waiting in queue.values)
