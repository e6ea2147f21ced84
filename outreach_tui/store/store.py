"""The Store: the local SQLite store of one officer's laptop, assembled from its parts."""

from __future__ import annotations

from .audit import AuditMixin
from .changes import ChangesMixin
from .conflicts import ConflictsMixin
from .dashboard import DashboardMixin
from .group_outbox import GroupOutboxMixin
from .groups import GroupsMixin
from .importing import ImportingMixin
from .listing import ListingMixin
from .outbox import OutboxMixin
from .records import RecordsMixin
from .recovery import RecoveryMixin
from .reports import ReportsMixin
from .retention import RetentionMixin
from .search import SearchMixin
from .visits import VisitsMixin


class Store(
    RecordsMixin,
    ListingMixin,
    SearchMixin,
    VisitsMixin,
    ChangesMixin,
    AuditMixin,
    ImportingMixin,
    OutboxMixin,
    ConflictsMixin,
    RetentionMixin,
    DashboardMixin,
    ReportsMixin,
    RecoveryMixin,
    GroupsMixin,
    GroupOutboxMixin,
):
    """Records, visits, search, change log and audit log over one SQLite connection.

    Made by :func:`outreach_tui.store.open_store`. It belongs to the thread that opened it
    (any call from another thread raises RuntimeError); use it as a context manager or call
    :meth:`close`. Every write method commits durably before it returns.
    """

    def unsent_count(self) -> int:
        """Changes the central API has not answered yet: records and visits, and groups,
        memberships, events and attendance (what the header and the quit question count)."""
        return self.outbox_size() + self.group_outbox_size()
