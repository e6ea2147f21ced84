"""The officer's vault: create, unlock and re-wrap the data key that opens the encrypted store.

This is the API the CLI uses now and the TUI's unlock and idle-lock screens will use later;
it never prompts and never prints, so both front ends word things their own way.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from outreach_tui.config import Paths

from . import keyfile
from .keyfile import KEY_BYTES, BadPassphrase, KdfParams, KeyFileError
from .throttle import FailureCounter

MIN_PASSPHRASE_LENGTH = 10
KEY_FILE = "datakey.json"
FAILURES_FILE = "unlock-failures.json"


class VaultError(Exception):
    """Base of the vault's errors; messages never contain a passphrase or a key."""


class PassphraseTooShort(VaultError):
    """A new passphrase breaks the length rule."""

    def __init__(self, minimum: int = MIN_PASSPHRASE_LENGTH) -> None:
        super().__init__(f"a passphrase needs at least {minimum} characters")
        self.minimum = minimum


class VaultMissing(VaultError):
    """No data key exists yet: `outreach setup` has not been run with a passphrase."""


class VaultExists(VaultError):
    """A data key already exists; creating another would lock the old data away for good."""


class VaultDamaged(VaultError):
    """The key file is unreadable or altered: the data cannot be opened on this laptop."""


class WrongPassphrase(VaultError):
    """The passphrase does not open the data key; ``delay_seconds`` holds back the next try."""

    def __init__(self, failures: int, delay_seconds: float) -> None:
        super().__init__(f"wrong passphrase ({failures} in a row)")
        self.failures = failures
        self.delay_seconds = delay_seconds


def check_passphrase(passphrase: str) -> None:
    """Raise PassphraseTooShort unless ``passphrase`` follows the rules (10+ characters)."""
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise PassphraseTooShort()


class Vault:
    """The wrapped data key in ``keys_dir`` plus the counter that slows down guessing."""

    def __init__(
        self,
        paths: Paths,
        *,
        clock: Callable[[], float] = time.time,
        sleeper: Callable[[float], None] = time.sleep,
        kdf: KdfParams | None = None,
    ) -> None:
        self.paths = paths
        self.key_file: Path = paths.keys_dir / KEY_FILE
        self.failures = FailureCounter(paths.keys_dir / FAILURES_FILE)
        self._clock = clock
        self._sleep = sleeper
        self._kdf = kdf

    @property
    def kdf(self) -> KdfParams:
        """The Argon2id cost used for new wraps (read late so tests can lower it)."""
        return self._kdf or keyfile.DEFAULT_KDF

    def exists(self) -> bool:
        """Whether a data key has been created on this laptop."""
        return self.key_file.exists()

    def create(self, passphrase: str) -> bytes:
        """Make a new random data key, store it wrapped under ``passphrase``, and return it."""
        check_passphrase(passphrase)
        if self.exists():
            raise VaultExists("a data key already exists")
        data_key = os.urandom(KEY_BYTES)
        self.paths.ensure()
        try:
            keyfile.write_private(
                self.key_file, keyfile.wrap(data_key, passphrase, self.kdf), exclusive=True
            )
        except FileExistsError:
            raise VaultExists("a data key already exists") from None
        self.failures.reset()
        return data_key

    def pending_delay(self) -> float:
        """Seconds the next unlock will wait because of earlier wrong passphrases."""
        return self.failures.wait_needed(self._clock())

    def unlock(self, passphrase: str, *, on_wait: Callable[[float], None] | None = None) -> bytes:
        """The data key; WrongPassphrase (with the next delay) when the passphrase is wrong.

        The counter's lock is held from the wait to the update, so parallel attempts (threads or
        processes) are checked one at a time, each after its due delay; ``on_wait`` hears the
        real remaining seconds just before the wait starts.
        """
        content = self._content()
        with self.failures.locked():
            wait = self.pending_delay()
            if wait > 0:
                if on_wait is not None:
                    on_wait(wait)
                self._sleep(wait)
            try:
                data_key = keyfile.unwrap(content, passphrase)
            except BadPassphrase:
                state = self.failures.record_failure(self._clock())
                raise WrongPassphrase(state.failures, self.pending_delay()) from None
            except KeyFileError as exc:
                raise VaultDamaged(str(exc)) from None
            self.failures.reset()
        return data_key

    def change_passphrase(self, old: str, new: str) -> None:
        """Re-wrap the same data key under ``new``; the database is not touched."""
        check_passphrase(new)
        created = self._content().get("created")
        data_key = self.unlock(old)
        keyfile.write_private(
            self.key_file,
            keyfile.wrap(data_key, new, self.kdf, created if isinstance(created, str) else None),
        )

    def _content(self) -> dict:
        if not self.exists():
            raise VaultMissing("no data key on this laptop yet")
        try:
            return keyfile.read_json(self.key_file)
        except (KeyFileError, OSError) as exc:
            raise VaultDamaged(str(exc)) from None
