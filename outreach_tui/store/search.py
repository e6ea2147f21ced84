"""Search by name, NIK prefix and phone, typed the way an officer types them.

Names go through FTS5 (``records_fts``). User text never reaches FTS5 as syntax: it is
folded like the indexed names (lowercase, no diacritics, no punctuation) and each token
becomes a quoted prefix term, so ``"``, ``*``, ``NEAR(``, ``-`` or ``AND`` are plain text,
and text with nothing searchable in it returns no rows rather than an error.

Numbers (``3201``, ``0812 3456``, ``62812``, ``+62812``, ``812``) are NIK or phone prefixes
and are looked up as key ranges on the ``nik`` and ``phone`` B-tree indexes: one index walk,
no matter how many records share the prefix. A phone is stored as E.164 (``+628…``), so
the national ``08…`` and bare ``8…`` forms are translated to it.

Ranking: an exact NIK or phone first; then, for names, bm25 and then the name; for a bare
number, NIK order and then phone order. A one- or two-letter prefix can match tens of
thousands of people; only the first :data:`CANDIDATES` FTS matches (oldest records first)
are ranked then, which keeps every query within a few milliseconds (one more letter
narrows it). A name typed with a number ("siti 0812") is never cut: the number filters
after the FTS match, and cutting first could drop the one person asked for.

Filters (those of ``list_records``: area, status, sync state, follow-up due) apply inside the
query, never cut either: the records they let through are walked on their own index and
looked up among the FTS matches (measured on 100k records, desa filter: "s" ~28 ms, "si"
~2.5 ms, "siti" < 1 ms); for numbers they are conditions of each index range walk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import fts
from .base import StoreBase, owned
from .fields import PUBLIC_FIELDS, fold
from .listing import _where
from .records import public_record

# How many FTS matches are ranked at most. Measured on 100k records: "nur" (4k matches)
# or "siti" are ranked in full in ~2 ms; "s" (21k matches) would take 12 ms to rank and
# means nothing yet, so it is cut to the first 5000 (~4 ms).
CANDIDATES = 5000
# Bounds on what is taken from user text: a pasted paragraph stays a cheap query.
MAX_TOKENS = 8
MAX_TOKEN_LENGTH = 40
PHONE_TAIL_LENGTH = 4  # digits of a phone the record list shows unmasked, at its end
# A lone digit would match nearly every NIK and phone: wait for the second one.
MIN_NUMBER_LENGTH = 2
# A complete number: long enough to be a whole phone number or NIK.
MIN_EXACT_LENGTH = 9
# Up to this many records passing the filters, a number search walks them, not a NIK/phone range.
FEW_FILTERED = 5000

_SELECT = ", ".join(f"r.{name}" for name in PUBLIC_FIELDS)
_PHONE_PUNCTUATION = frozenset("+-(). /")


@dataclass
class Query:
    """User text split into name prefixes and number (NIK / phone) prefixes."""

    names: list[str] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.names or self.numbers)


def parse_query(text: str) -> Query:
    """Split what the officer typed into searchable prefixes (never raises)."""
    query = Query()
    text = text[: MAX_TOKENS * (MAX_TOKEN_LENGTH + 1)]
    if text.strip() and all(ch.isdigit() or ch in _PHONE_PUNCTUATION for ch in text):
        # One number as people write it: "0812-3456", "+62 812 3456", "3201 0145".
        digits = "".join(ch for ch in text if "0" <= ch <= "9")
        if len(digits) >= MIN_NUMBER_LENGTH:
            query.numbers.append(digits[:MAX_TOKEN_LENGTH])
        return query
    for token in fold(text).split()[:MAX_TOKENS]:
        token = token[:MAX_TOKEN_LENGTH]
        if token.isascii() and token.isdigit():
            if len(token) >= MIN_NUMBER_LENGTH:
                query.numbers.append(token)
        else:
            query.names.append(token)
    return query


def match_expression(names: list[str]) -> str:
    """The FTS5 MATCH text for name prefixes: each a quoted prefix term, all required."""
    return " AND ".join('"' + name.replace('"', '""') + '"*' for name in names)


def phone_prefixes(digits: str) -> list[str]:
    """The E.164 prefixes a typed number may begin (``08…``, ``8…``, ``62…``; ``+`` dropped)."""
    forms = ["+" + digits]
    if digits.startswith("0"):
        forms.append("+62" + digits[1:])
    elif digits.startswith("8"):
        forms.append("+62" + digits)
    return forms


def _range(prefix: str) -> tuple[str, str]:
    """The key range [low, high) of the strings starting with ``prefix`` (ASCII digits)."""
    return prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)


class SearchMixin(StoreBase):
    """Finding people by what an officer remembers: part of a name, an NIK, a phone."""

    @owned
    def search(self, query: str, *, limit: int = 50, **filters: Any) -> list[dict[str, Any]]:
        """Records matching ``query``, best first; garbage or empty text gives [] (never raises).

        ``filters`` are those of :meth:`list_records` (status, region_code, rw, rt, since,
        sync_state, follow_up_due), applied in the query: the hits are the best matches
        among the records that pass them.
        """
        parsed = parse_query(query if isinstance(query, str) else "")
        if not parsed or limit <= 0:
            return []
        clauses, params = _where(alias="r.", **filters)
        if parsed.names:
            rows = self._search_names(parsed, limit, clauses, params)
        else:
            rows = self._search_number(parsed.numbers[0], limit, clauses, params)
        return [public_record(row) for row in rows[:limit]]

    def _search_names(
        self, query: Query, limit: int, filters: list[str], filter_params: list[Any]
    ) -> list[dict[str, Any]]:
        """FTS name matches (capped, then ranked), narrowed by numbers typed beside them.

        With filters or numbers nothing is capped: the first CANDIDATES matches could all
        be people of other desas, and the one asked for would be missed.
        """
        conditions, params = list(filters), list(filter_params)
        for number in query.numbers:
            # A number beside a name narrows to records whose NIK or phone starts with it.
            options = ["substr(r.nik, 1, ?) = ?"] + ["substr(r.phone, 1, ?) = ?"] * len(
                phone_prefixes(number)
            )
            conditions.append(f"({' OR '.join(options)})")
            for prefix in [number, *phone_prefixes(number)]:
                params += [len(prefix), prefix]
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        # Filters: walk the records they let through (an index of the filter, covering for
        # area and status) and look each up in the materialized hits, rather than reading
        # the whole row of every hit; without filters, the capped hits lead.
        join = (
            "records AS r CROSS JOIN hits ON hits.rid = r.rid"
            if filters
            else "hits JOIN records AS r ON r.rid = hits.rid"
        )
        # Rank narrow rows (rid, score, name), then read whole records for the winners only.
        return self._rows(
            f"""
            WITH hits AS MATERIALIZED (
                SELECT rowid AS rid, bm25(records_fts) AS score
                FROM records_fts WHERE records_fts MATCH ? LIMIT ?
            ), best AS (
                SELECT hits.rid, hits.score, r.name_key
                FROM {join}
                {where}
                ORDER BY hits.score, r.name_key, r.rid
                LIMIT ?
            )
            SELECT {_SELECT}
            FROM best JOIN records AS r ON r.rid = best.rid
            ORDER BY best.score, best.name_key, best.rid
            """,
            [
                match_expression(query.names),
                -1 if conditions else CANDIDATES,
                *params,
                limit,
            ],
        )

    def _search_number(
        self, digits: str, limit: int, filters: list[str], filter_params: list[Any]
    ) -> list[dict[str, Any]]:
        """NIK-prefix then phone-prefix matches, each an index range walk; exact ones first.

        A filter letting few records through (a sync state, an RT) is walked instead: "08"
        in the conflicts took 0.24 s along the phone index, checking 100k rows for none.
        """
        extra = "".join(f" AND {clause}" for clause in filters)
        # "+column" keeps SQLite off the column's index: the filter's index leads.
        plus = "+" if filters and self._few(filters, filter_params) else ""
        parts = [
            f"SELECT * FROM (SELECT {_SELECT}, 0 AS _kind, r.nik AS _key FROM records AS r "
            f"WHERE {plus}r.nik >= ? AND {plus}r.nik < ?{extra} ORDER BY r.nik LIMIT ?)"
        ]
        params: list[Any] = [*_range(digits), *filter_params, limit]
        for prefix in phone_prefixes(digits):
            parts.append(
                f"SELECT * FROM (SELECT {_SELECT}, 1 AS _kind, r.phone AS _key FROM records AS r "
                f"WHERE {plus}r.phone >= ? AND {plus}r.phone < ?{extra} ORDER BY r.phone LIMIT ?)"
            )
            params += [*_range(prefix), *filter_params, limit]
        if len(digits) == PHONE_TAIL_LENGTH:
            # The last digits the list shows unmasked (…5432): the phone_tail index.
            parts.append(
                f"SELECT * FROM (SELECT {_SELECT}, 2 AS _kind, r.phone AS _key FROM records AS r "
                f"WHERE substr(r.phone, -4) = ?{extra} ORDER BY r.phone LIMIT ?)"
            )
            params += [digits, *filter_params, limit]
        rows = self._rows(" UNION ALL ".join(parts), params)
        exact = {digits, *phone_prefixes(digits)} if len(digits) >= MIN_EXACT_LENGTH else set()
        # Stable sort: exact matches first, then NIK order, then phone order.
        rows.sort(key=lambda row: (row["_key"] not in exact, row["_kind"], row["_key"]))
        seen: set[str] = set()
        unique = []
        for row in rows:
            if row["id"] not in seen:
                seen.add(row["id"])
                unique.append(row)
        return unique

    def _few(self, filters: list[str], params: list[Any]) -> bool:
        """Whether at most FEW_FILTERED records pass the filters (a bounded index walk)."""
        where = " AND ".join(filters)
        sql = f"SELECT count(*) FROM (SELECT 1 FROM records AS r WHERE {where} LIMIT ?)"
        return int(self._scalar(sql, [*params, FEW_FILTERED + 1])) <= FEW_FILTERED

    @owned
    def rebuild_search_index(self) -> None:
        """Recreate the name index from the records (after a restore or a hand edit of the file)."""
        with self._write() as conn:
            fts.rebuild(conn)
