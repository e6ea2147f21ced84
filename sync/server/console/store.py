"""The console's tables, read and written with statements SQLite and PostgreSQL share.

Everything goes through the central storage's `transaction(branch)` (serialized with the sync
writers of that branch) and `reader()`; statements use `?` placeholders. Decisions are
idempotent by their keys (`INSERT ... ON CONFLICT DO NOTHING`): a page submitted twice, or two
supervisors deciding the same item at once, leave one decision and tell the second so.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sync.server.central import utc_stamp
from sync.server.console import codes

CODE_HOURS = 24  # a setup code or a first sign-in code is good for this long
SESSION_IDLE = dt.timedelta(minutes=30)
SESSION_MAX = dt.timedelta(hours=12)
FREE_FAILURES = 3  # failed sign-ins before the delay starts
MAX_LOCK_SECONDS = 3600
ROLES = ("supervisor", "admin")


class Refused(Exception):
    """A request the console turns down: `key` is the `console.*` message, with params."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True, slots=True)
class Staff:
    username: str
    branch: str
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True, slots=True)
class SignedIn:
    staff: Staff
    csrf: str


def _parse(stamp: str) -> dt.datetime:
    return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def lock_seconds(failures: int) -> int:
    """How long sign-in is refused after `failures` failed attempts in a row (doubling)."""
    if failures < FREE_FAILURES:
        return 0
    return min(MAX_LOCK_SECONDS, 30 * 2 ** (failures - FREE_FAILURES))


class ConsoleStore:
    """Staff, sessions, codes, decisions and the audit log of the branch console."""

    def __init__(self, storage: Any, *, clock: Any = None) -> None:
        self.storage = storage
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))

    def now(self) -> dt.datetime:
        return self._clock()

    @contextmanager
    def tx(self, branch: str | None = None) -> Iterator[Any]:
        """A write transaction of `branch` (serialized with its sync writers): a `?` runner."""
        with self.storage.transaction(branch) as run:
            yield run

    def rows(self, query: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """The rows of one `?` query, outside a write transaction."""
        with self.storage.reader() as run:
            return list(run(query, params).fetchall())

    def audit_in(  # one audit entry inside a transaction of `tx`
        self, run: Any, actor: str, action: str, branch: str, *, record_id: str | None = None,
        reason: str = "", detail: dict[str, Any] | None = None,
    ) -> None:  # fmt: skip
        run(
            "INSERT INTO central_audit (at, actor, action, record_id, reason, branch, detail) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (utc_stamp(self.now()), actor, action, record_id, reason[:500], branch,
             json.dumps(detail or {}, ensure_ascii=False)),
        )  # fmt: skip

    # -- staff ----------------------------------------------------------------------------------
    def add_staff(self, branch: str, username: str, role: str, *, by: str) -> str:
        """A new staff account with no password yet; returns the first sign-in code."""
        username, branch = username.strip().lower(), branch.strip()
        if role not in ROLES:
            raise Refused("console.staff.bad_role")
        if (
            not username
            or len(username) > 64
            or not username.replace(".", "").replace("_", "").replace("-", "").isalnum()
        ):
            raise Refused("console.staff.bad_username")
        if not branch:
            raise Refused("console.staff.no_branch")
        code = codes.new_code()
        now = self.now()
        expires = utc_stamp(now + dt.timedelta(hours=CODE_HOURS))
        with self.tx(branch) as run:
            added = run(
                "INSERT INTO staff (username, branch, role, setup_code_hash, setup_expires_at, "
                "failed_count, created_at) VALUES (?, ?, ?, ?, ?, 0, ?) "
                "ON CONFLICT (username) DO NOTHING",
                (username, branch, role, codes.digest(codes.normalize_code(code) or ""), expires,
                 utc_stamp(now)),
            ).rowcount  # fmt: skip
            if not added:
                raise Refused("console.staff.exists")
            self.audit_in(
                run, by, "staff_added", branch, detail={"username": username, "role": role}
            )
        return code

    def new_staff_code(self, username: str, *, by: str) -> str:
        """A new first sign-in code for an account (a forgotten password): the old one stops."""
        code = codes.new_code()
        now = self.now()
        staff = self.staff(username)
        if staff is None:
            raise Refused("console.staff.unknown")
        with self.tx(staff.branch) as run:
            run(
                "UPDATE staff SET setup_code_hash = ?, setup_expires_at = ? WHERE username = ?",
                (codes.digest(codes.normalize_code(code) or ""),
                 utc_stamp(now + dt.timedelta(hours=CODE_HOURS)), staff.username),
            )  # fmt: skip
            self.audit_in(run, by, "staff_code", staff.branch, detail={"username": staff.username})
        return code

    def disable_staff(self, username: str, *, by: Staff) -> None:
        """Close an account of the admin's branch (its sessions end); never the admin's own."""
        target = self.staff(username)
        if target is None or target.branch != by.branch:
            raise Refused("console.staff.unknown")
        if target.username == by.username:
            raise Refused("console.staff.not_self")
        with self.tx(by.branch) as run:
            run("UPDATE staff SET disabled_at = ? WHERE username = ?",
                (utc_stamp(self.now()), target.username))  # fmt: skip
            run("DELETE FROM staff_sessions WHERE username = ?", (target.username,))
            self.audit_in(run, f"staff:{by.username}", "staff_disabled", by.branch,
                        detail={"username": target.username})  # fmt: skip

    def staff(self, username: str) -> Staff | None:
        rows = self.rows(
            "SELECT username, branch, role FROM staff WHERE username = ? AND disabled_at IS NULL",
            (username.strip().lower(),),
        )
        return Staff(*rows[0]) if rows else None

    def branch_staff(self, branch: str) -> list[dict[str, Any]]:
        rows = self.rows(
            "SELECT username, role, password_hash IS NOT NULL, created_at, disabled_at "
            "FROM staff WHERE branch = ? ORDER BY username",
            (branch,),
        )
        keys = ("username", "role", "active", "created_at", "disabled_at")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    def set_password(self, username: str, code: str, password: str) -> Staff:
        """The person's own password, set with the one-time code (which is then used up)."""
        normalized = codes.normalize_code(code)
        if normalized is None:
            raise Refused("console.code.mistyped")
        username = username.strip().lower()
        rows = self.rows(
            "SELECT setup_code_hash, setup_expires_at, branch FROM staff "
            "WHERE username = ? AND disabled_at IS NULL",
            (username,),
        )
        if not rows or rows[0][0] != codes.digest(normalized):
            raise Refused("console.code.unknown")
        if rows[0][1] and _parse(rows[0][1]) < self.now():
            raise Refused("console.code.expired")
        problem = codes.password_problem(password, username)
        if problem:
            raise Refused(problem, min=codes.MIN_PASSWORD)
        with self.tx(rows[0][2]) as run:
            done = run(
                "UPDATE staff SET password_hash = ?, setup_code_hash = NULL, "
                "setup_expires_at = NULL, failed_count = 0, locked_until = NULL "
                "WHERE username = ? AND setup_code_hash = ?",
                (codes.hash_password(password), username, codes.digest(normalized)),
            ).rowcount
            if not done:
                raise Refused("console.code.used")
            self.audit_in(run, f"staff:{username}", "password_set", rows[0][2])
        staff = self.staff(username)
        assert staff is not None
        return staff

    # -- signing in -----------------------------------------------------------------------------
    def sign_in(self, username: str, password: str) -> tuple[Staff, str]:
        """Check a password; returns the staff member and a new session token. A wrong
        password, an unknown name and a locked account say the same (`console.signin.failed`)
        except for the wait, which is only told for a known account."""
        username = username.strip().lower()[:64]
        rows = self.rows(
            "SELECT password_hash, failed_count, locked_until, branch, role FROM staff "
            "WHERE username = ? AND disabled_at IS NULL",
            (username,),
        )
        now = self.now()
        if not rows:
            codes.password_ok(_DUMMY_HASH, password)  # the same time as a known name
            raise Refused("console.signin.failed")
        stored, failures, locked_until, branch, role = rows[0]
        if locked_until and _parse(locked_until) > now:
            wait = int((_parse(locked_until) - now).total_seconds()) + 1
            raise Refused("console.signin.locked", seconds=wait)
        if not codes.password_ok(stored, password):
            failures = int(failures) + 1
            wait = lock_seconds(failures)
            until = utc_stamp(now + dt.timedelta(seconds=wait)) if wait else None
            with self.tx(branch) as run:
                run(
                    "UPDATE staff SET failed_count = ?, locked_until = ? WHERE username = ?",
                    (failures, until, username),
                )
                self.audit_in(run, f"staff:{username}", "sign_in_failed", branch,
                            detail={"failures": failures})  # fmt: skip
            if wait:
                raise Refused("console.signin.locked", seconds=wait)
            raise Refused("console.signin.failed")
        token = codes.new_token()
        with self.tx(branch) as run:
            run(
                "UPDATE staff SET failed_count = 0, locked_until = NULL WHERE username = ?",
                (username,),
            )
            run(
                "INSERT INTO staff_sessions (token_hash, username, csrf, created_at, last_seen) "
                "VALUES (?, ?, ?, ?, ?)",
                (codes.digest(token), username, codes.new_token(), utc_stamp(now), utc_stamp(now)),
            )
            self.audit_in(run, f"staff:{username}", "sign_in", branch)
        return Staff(username, branch, role), token

    def session(self, token: str | None) -> SignedIn | None:
        """The signed-in staff member of a session token (None when unknown or expired); a
        live session's idle clock restarts."""
        if not token or len(token) > 128:
            return None
        rows = self.rows(
            "SELECT s.username, t.branch, t.role, s.csrf, s.created_at, s.last_seen "
            "FROM staff_sessions s JOIN staff t ON t.username = s.username "
            "WHERE s.token_hash = ? AND t.disabled_at IS NULL",
            (codes.digest(token),),
        )
        if not rows:
            return None
        username, branch, role, csrf, created, seen = rows[0]
        now = self.now()
        if now - _parse(seen) > SESSION_IDLE or now - _parse(created) > SESSION_MAX:
            self.sign_out(token)
            return None
        if now - _parse(seen) > dt.timedelta(seconds=60):
            with self.tx(branch) as run:
                run(
                    "UPDATE staff_sessions SET last_seen = ? WHERE token_hash = ?",
                    (utc_stamp(now), codes.digest(token)),
                )
        return SignedIn(Staff(username, branch, role), csrf)

    def sign_out(self, token: str) -> None:
        with self.tx() as run:
            run("DELETE FROM staff_sessions WHERE token_hash = ?", (codes.digest(token),))

    # -- devices: setup codes -------------------------------------------------------------------
    def new_setup_code(self, staff: Staff, officer_id: str) -> str:
        """A one-time code an officer types into `outreach setup --code` (24 h, single use)."""
        officer_id = officer_id.strip()
        if not officer_id or len(officer_id) > 64:
            raise Refused("console.device.officer_required")
        code = codes.new_code()
        now = self.now()
        with self.tx(staff.branch) as run:
            run(
                "INSERT INTO setup_codes (code_hash, branch, officer_id, created_by, created_at, "
                "expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                (codes.digest(codes.normalize_code(code) or ""), staff.branch, officer_id,
                 staff.username, utc_stamp(now), utc_stamp(now + dt.timedelta(hours=CODE_HOURS))),
            )  # fmt: skip
            self.audit_in(run, f"staff:{staff.username}", "setup_code", staff.branch,
                        detail={"officer_id": officer_id})  # fmt: skip
        return code

    def redeem_setup_code(self, code: str) -> tuple[str, str, str]:
        """Use a setup code up: (branch, officer id, code hash); refused when mistyped,
        unknown, expired or used, each said apart."""
        normalized = codes.normalize_code(code)
        if normalized is None:
            raise Refused("console.code.mistyped")
        digest = codes.digest(normalized)
        rows = self.rows(
            "SELECT branch, officer_id, expires_at, used_at FROM setup_codes WHERE code_hash = ?",
            (digest,),
        )
        if not rows:
            raise Refused("console.code.unknown")
        branch, officer_id, expires, used = rows[0]
        if used:
            raise Refused("console.code.used")
        if _parse(expires) < self.now():
            raise Refused("console.code.expired")
        return branch, officer_id, digest

    def mark_code_used(self, run: Any, digest: str, device_id: str) -> bool:
        return bool(
            run(
                "UPDATE setup_codes SET used_at = ?, device_id = ? "
                "WHERE code_hash = ? AND used_at IS NULL",
                (utc_stamp(self.now()), device_id, digest),
            ).rowcount
        )

    def pending_codes(self, branch: str) -> list[dict[str, Any]]:
        rows = self.rows(
            "SELECT officer_id, created_by, created_at, expires_at, used_at, device_id "
            "FROM setup_codes WHERE branch = ? ORDER BY created_at DESC LIMIT 50",
            (branch,),
        )
        keys = ("officer_id", "created_by", "created_at", "expires_at", "used_at", "device_id")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    # -- the audit log --------------------------------------------------------------------------
    def audit_log(self, branch: str, limit: int = 200) -> list[dict[str, Any]]:
        rows = self.rows(
            "SELECT at, actor, action, record_id, reason, detail FROM central_audit "
            "WHERE branch = ? ORDER BY id DESC LIMIT ?",
            (branch, limit),
        )
        keys = ("at", "actor", "action", "record_id", "reason", "detail")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    def audit(self, staff: Staff, action: str, **kwargs: Any) -> None:
        with self.tx(staff.branch) as run:
            self.audit_in(run, f"staff:{staff.username}", action, staff.branch, **kwargs)


_DUMMY_HASH = codes.hash_password("not-a-password-of-anyone")
