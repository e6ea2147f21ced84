"""Search as officers type: name prefixes, NIK prefixes, phones in any form, any junk."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outreach_tui.store import Store
from outreach_tui.store.search import match_expression, parse_query

from .conftest import person


@pytest.fixture
def people(store: Store) -> dict[str, str]:
    """A few people; name → id."""
    rows = {
        "Siti Nurhaliza": dict(nik="3201014501900001", phone="+6281234567890"),
        "Siti Aminah": dict(nik="3201024602910002", phone="+6285700001111"),
        "Nur Aini Siti": dict(nik="3578010101800003", phone="+6281399998888"),
        "Élodie Pratama": dict(nik=None, consent=False, phone="+6287812345678"),
        "Ma'ruf Amin": dict(nik="6201010101700004", phone=None),
        "Budi Santoso": dict(nik="3201030303850005", phone="+6281234500000"),
    }
    return {
        name: store.save_record(person(full_name=name, **fields), actor="t").id
        for name, fields in rows.items()
    }


def names(store: Store, query: str) -> list[str]:
    return [row["full_name"] for row in store.search(query)]


def test_name_prefix_finds_every_word_of_the_name(store: Store, people: dict) -> None:
    assert set(names(store, "siti")) == {"Siti Nurhaliza", "Siti Aminah", "Nur Aini Siti"}
    assert set(names(store, "sit")) == set(names(store, "SITI"))
    assert set(names(store, "amin")) == {"Siti Aminah", "Ma'ruf Amin"}
    assert names(store, "budi") == ["Budi Santoso"]


def test_several_words_must_all_match_in_any_order(store: Store, people: dict) -> None:
    assert set(names(store, "siti nur")) == {"Siti Nurhaliza", "Nur Aini Siti"}
    assert names(store, "nur siti") == names(store, "siti nur")
    assert names(store, "siti ami") == ["Siti Aminah"]
    assert names(store, "siti budi") == []


def test_diacritics_and_apostrophes_do_not_matter(store: Store, people: dict) -> None:
    assert names(store, "elodie") == ["Élodie Pratama"]
    assert names(store, "Élo") == ["Élodie Pratama"]
    assert names(store, "ÉLODIE pratama") == ["Élodie Pratama"]
    assert names(store, "maruf") == ["Ma'ruf Amin"]
    assert names(store, "ma'ruf") == ["Ma'ruf Amin"]


def test_nik_prefix(store: Store, people: dict) -> None:
    assert names(store, "3201") == ["Siti Nurhaliza", "Siti Aminah", "Budi Santoso"]
    assert names(store, "320102") == ["Siti Aminah"]
    assert names(store, "3201024602910002") == ["Siti Aminah"]
    assert names(store, "3578 0101") == ["Nur Aini Siti"]


@pytest.mark.parametrize(
    "query",
    ["0812 3456", "08123456", "0812-3456-7890", "62812345", "+62812345", "+62 812-3456", "8123456"],
)
def test_phone_in_any_common_form(store: Store, people: dict, query: str) -> None:
    found = names(store, query)
    assert "Siti Nurhaliza" in found
    assert set(found) <= {"Siti Nurhaliza", "Budi Santoso"}  # +62812345… is both of theirs


def test_an_exact_number_comes_first(store: Store, people: dict) -> None:
    assert names(store, "081234500000") == ["Budi Santoso"]
    # 62… is both an NIK prefix (Kalimantan Tengah) and a phone prefix: both kinds match,
    # but the person whose whole phone number it is comes first.
    assert names(store, "6281234567890")[0] == "Siti Nurhaliza"
    assert "Ma'ruf Amin" in names(store, "6201")


def test_a_name_and_a_number_together(store: Store, people: dict) -> None:
    assert names(store, "siti 0857") == ["Siti Aminah"]
    assert names(store, "siti 3578") == ["Nur Aini Siti"]
    assert names(store, "budi 0857") == []


def test_a_renamed_person_is_found_by_the_new_name_only(store: Store, people: dict) -> None:
    record_id = people["Budi Santoso"]
    store.save_record(
        person(
            id=record_id,
            full_name="Bambang Santoso",
            nik="3201030303850005",
            phone="+6281234500000",
        ),
        actor="t",
    )
    assert names(store, "budi") == []
    assert names(store, "bambang") == ["Bambang Santoso"]
    assert names(store, "santoso") == ["Bambang Santoso"]


def test_limit_and_ranking(store: Store) -> None:
    store.save_records(
        [person(full_name=f"Agus {chr(65 + i % 26)}", nik=None, consent=False) for i in range(80)],
        actor="t",
    )
    store.save_record(person(full_name="Agus", nik=None, consent=False), actor="t")
    found = names(store, "agus")
    assert len(found) == 50
    assert found[0] == "Agus"  # the shortest, best bm25 match first
    assert len(store.search("agus", limit=5)) == 5
    assert store.search("agus", limit=0) == []


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '""',
        "*",
        "NEAR(",
        "NEAR(siti budi)",
        "-",
        "-siti",
        "AND",
        "OR",
        "NOT",
        "siti AND",
        "siti OR budi",
        "^siti",
        "siti:",
        "name:siti",
        "{name}: siti",
        "(",
        ")",
        "siti*",
        "'",
        "\\",
        "",
        "   ",
        "+",
        "0",
        "---",
        "%",
        "_",
        "\x00",
        "🙂",
        "s\u0301iti",
    ],
)
def test_fts_syntax_is_just_text(store: Store, people: dict, query: str) -> None:
    store.search(query)  # never raises


def test_only_quoted_prefix_terms_reach_fts() -> None:
    expression = match_expression(parse_query('siti" OR nik:* NEAR(').names)
    assert expression == '"siti"* AND "or"* AND "nik"* AND "near"*'
    assert not parse_query("-*()")
    assert not parse_query("7")


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(st.characters(exclude_categories=()), max_size=60))
def test_any_text_never_raises(store: Store, text: str) -> None:
    """Any string, lone surrogates and control characters included."""
    if not store.count_records():
        store.save_record(person(), actor="t")
    result = store.search(text)
    assert isinstance(result, list) and len(result) <= 50


def test_the_name_index_can_be_rebuilt(store: Store, people: dict) -> None:
    store.db.execute("INSERT INTO records_fts (records_fts) VALUES ('delete-all')")
    assert names(store, "siti") == []
    store.rebuild_search_index()
    assert len(names(store, "siti")) == 3


def test_the_last_four_digits_of_a_phone_find_the_person(tmp_path) -> None:
    """The list shows a phone as 0812-****-5432: typing 5432 finds that person."""
    from outreach_tui.store import open_store

    store = open_store(tmp_path / "s.db")
    try:
        store.save_record({"full_name": "Warga Ekor", "phone": "0812-9876-5432"}, actor="t")
        store.save_record({"full_name": "Warga Lain", "phone": "0813-1111-2222"}, actor="t")
        found = store.search("5432")
        assert [r["full_name"] for r in found] == ["Warga Ekor"]
        plan = " ".join(
            str(row) for row in store.db.execute(
                "EXPLAIN QUERY PLAN SELECT id FROM records WHERE substr(phone, -4) = '5432'"
            ).fetchall()
        )  # fmt: skip
        assert "records_phone_tail" in plan
    finally:
        store.close()
