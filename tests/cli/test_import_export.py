"""`outreach import`, `export` and `search` through click's CliRunner on real store files."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from outreach_tui.cli import main

HEADER = (
    "full_name,nik,phone,occupation,monthly_income,programs,payment_period,"
    "region_code,rw,rt,status,consent\n"
)
SITI = (
    "Siti Aminah,3201015508950003,0812-3456-7890,pedagang_pasar,1500000,JKK JKM,1,"
    "3201011001,1,2,enrolled,ya\n"
)
BUDI = "Budi,3201011508950001,+62 813 1111 2222,ojol,,,,32.01.01.1001,001,002,prospect,true\n"


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def import_json(path: Path, *extra: str) -> tuple[int, dict]:
    result = run("import", str(path), "--json", *extra)
    return result.exit_code, json.loads(result.stdout)


def export_json(*extra: str) -> list[dict]:
    result = run("export", "--format", "json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_good_file_is_stored_and_exported(tmp_path: Path) -> None:
    code, report = import_json(write(tmp_path, "a.csv", HEADER + SITI + BUDI))
    assert code == 0, report
    assert report["stored"] == 2 and report["updated"] == 0 and report["rejected"] == []
    records = {r["full_name"]: r for r in export_json()}
    siti = records["Siti Aminah"]
    assert siti["phone"] == "+6281234567890"
    assert siti["birth_date"] == "1995-08-15" and siti["sex"] == "F"
    assert siti["region_code"] == "32.01.01.1001" and siti["rw"] == "001" and siti["rt"] == "002"
    assert siti["programs"] == "JKK,JKM" and siti["consent"] is True
    assert siti["monthly_contribution"] == 21800  # 1% of 1.5M + 6,800
    assert siti["sync_state"] == "pending"
    assert len(siti["id"]) == 36
    assert set(siti) >= {
        "monthly_contribution",
        "kpj_number",
        "sync_state",
        "officer_id",
        "created_at",
    }


def test_rejected_rows_are_reported_by_file_line(tmp_path: Path) -> None:
    text = (
        HEADER
        + SITI
        + '"Multi\nLine",3201011508950002,12345,,,,,,,,prospect,true\n'  # lines 3-4: bad phone
        + "\n"  # line 5 blank
        + "Joko 2,,,,,,,,,,prospect,\n"  # line 6: digits in a name
        + BUDI  # line 7: fine
        + "Ani,3201015508950003,,,,,,,,,prospect,true\n"  # line 8: NIK repeats line 2
    )
    code, report = import_json(write(tmp_path, "b.csv", text))
    assert code == 1
    assert report["stored"] == 2
    rows = {r["row"]: r["errors"] for r in report["rejected"]}
    assert set(rows) == {3, 6, 8}, rows
    assert rows[6][0]["field"] == "full_name"
    assert rows[8][0]["code"] == "nik.duplicate_file"
    for errors in rows.values():
        for error in errors:
            assert error["message"] and error["code"] and error["field"]


def test_reimport_stores_nothing_twice(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", HEADER + SITI + BUDI + "Tanpa Nik,,,,,,,,,,prospect,\n")
    assert import_json(path)[0] == 0
    code, report = import_json(path)
    assert code == 1
    assert report["stored"] == 0
    codes = sorted(e["code"] for r in report["rejected"] for e in r["errors"])
    assert codes == ["nik.duplicate_store", "nik.duplicate_store", "person.duplicate_store"]
    assert len(export_json()) == 3


def test_row_with_stored_id_updates_the_record(tmp_path: Path) -> None:
    import_json(write(tmp_path, "a.csv", HEADER + BUDI))
    (budi,) = export_json()
    # Only the columns that change: the others (NIK, phone, area) keep their stored values.
    update = f"id,status,decline_reason\n{budi['id']},declined,biaya\n"
    code, report = import_json(write(tmp_path, "u.csv", update))
    assert code == 0, report
    assert report["stored"] == 0 and report["updated"] == 1
    (after,) = export_json()
    assert after["status"] == "declined" and after["decline_reason"] == "biaya"
    assert after["id"] == budi["id"]
    assert after["phone"] == budi["phone"] == "+6281311112222"
    assert after["nik"] == "3201011508950001" and after["rt"] == "002"


def test_dry_run_stores_nothing(tmp_path: Path) -> None:
    code, report = import_json(write(tmp_path, "a.csv", HEADER + SITI), "--dry-run")
    assert code == 0 and report["stored"] == 1 and report["dry_run"] is True
    assert export_json() == []


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252"])
def test_spreadsheet_encodings(tmp_path: Path, encoding: str) -> None:
    text = "full_name;status;notes\nJosé Müller;prospect;café\n"
    code, report = import_json(write(tmp_path, "w.csv", text, encoding))
    assert code == 0, report
    (rec,) = export_json()
    assert rec["full_name"] == "José Müller" and rec["notes"] == "café"


@pytest.mark.parametrize(
    ("content", "key"),
    [
        (b"\x00\x01\x02binary\xff\xfe" * 50, "biner"),
        (b"PK\x03\x04workbook", "Excel"),
        (b"", "kosong"),
        (b"foo,bar\n1,2\n", "kolom yang dikenal"),
        (b"full_name,full_name\nA,B\n", "dua kali"),
    ],
)
def test_unreadable_files_exit_2_and_store_nothing(
    tmp_path: Path, content: bytes, key: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    result = run("import", str(path))
    assert result.exit_code == 2
    assert key in result.stderr
    assert "Traceback" not in result.output
    assert export_json() == []


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = run("import", str(tmp_path / "nope.csv"))
    assert result.exit_code == 2 and "tidak ditemukan" in result.stderr


def test_unknown_columns_warn_and_long_fields_are_rejected(tmp_path: Path) -> None:
    text = 'full_name,hobby,notes\nAni,catur,ok\nBeni,,"' + "x" * 100_000 + '"\n'
    code, report = import_json(write(tmp_path, "l.csv", text))
    assert code == 1 and report["stored"] == 1
    assert report["warnings"][0]["row"] == 1 and report["warnings"][0]["code"] == "column.unknown"
    assert (
        report["rejected"][0]["row"] == 3 and report["rejected"][0]["errors"][0]["field"] == "notes"
    )


def test_english_messages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OUTREACH_LANG", "en")
    result = run("import", str(tmp_path / "nope.csv"))
    assert "not found" in result.stderr


def test_csv_export_is_spreadsheet_safe_and_reimportable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_json(write(tmp_path, "a.csv", HEADER + SITI + BUDI))
    out = tmp_path / "out.csv"
    assert run("export", "--out", str(out)).exit_code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert {r["nik"] for r in rows} == {'="3201015508950003"', '="3201011508950001"'}
    assert rows[0]["rw"] == '="001"'
    # A fresh laptop reads the export back to the same people.
    monkeypatch.setenv("OUTREACH_HOME", str(tmp_path / "other"))
    code, report = import_json(out)
    assert code == 0 and report["stored"] == 2, report
    assert {r["nik"] for r in export_json()} == {"3201015508950003", "3201011508950001"}


def test_xlsx_export_keeps_identifiers_as_text(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    import_json(write(tmp_path, "a.csv", HEADER + SITI))
    out = tmp_path / "out.xlsx"
    assert run("export", "--format", "xlsx", "--out", str(out)).exit_code == 0
    sheet = load_workbook(out).active
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert row["nik"] == "3201015508950003" and row["rw"] == "001"


def test_export_filters(tmp_path: Path) -> None:
    import_json(write(tmp_path, "a.csv", HEADER + SITI + BUDI))
    assert [r["full_name"] for r in export_json("--status", "enrolled")] == ["Siti Aminah"]
    assert len(export_json("--region", "3201")) == 2
    assert export_json("--region", "3276") == []
    assert len(export_json("--since", "2000-01-01")) == 2
    bad = run("export", "--status", "nonsense")
    assert bad.exit_code == 2


def test_search_by_name_nik_and_phone(tmp_path: Path) -> None:
    import_json(write(tmp_path, "a.csv", HEADER + SITI + BUDI))
    for query in ("siti", "Siti Ami", "320101550", "0812 3456", "+62812345", "6281234"):
        result = run("search", query, "--json")
        assert result.exit_code == 0, (query, result.output)
        names = [r["full_name"] for r in json.loads(result.stdout)]
        assert names and names[0] == "Siti Aminah", (query, names)
    table = run("search", "budi")
    assert "3201********0001" in table.stdout and "3201011508950001" not in table.stdout
    assert run("search", "zzzz").exit_code == 1


@pytest.mark.parametrize(
    ("cell", "value"),
    [('"=""001"""', "001"), ("'=SUM(1)", "=SUM(1)"), ("'@x", "@x"), ("Ma'ruf", "Ma'ruf")],
)
def test_guards_are_undone_only_where_written(tmp_path: Path, cell: str, value: str) -> None:
    from outreach_tui.transfer.csvfile import read_csv

    path = tmp_path / "g.csv"
    path.write_text(f"full_name,rw\nSiti,{cell}\n", encoding="utf-8")
    rows = list(read_csv(path, ("full_name", "rw")).rows())
    assert rows == [(2, {"full_name": "Siti", "rw": value}, 0)]


def test_groups_events_and_attendance_export(tmp_path: Path, isolated_home: Path) -> None:
    """`export --kind groups|events|attendance`: coverage, attendance, status then and now."""
    import datetime as dt
    import stat

    from tests.conftest import unlocked_store

    code, _ = import_json(write(tmp_path, "a.csv", HEADER + SITI + BUDI))
    assert code == 0
    store = unlocked_store(isolated_home)
    try:
        ids = {r["full_name"]: r["id"] for r in store.list_records(limit=5)}
        group = store.save_group({"name": "=Pasar Baru", "kind": "pasar",
                                  "region_code": "32.01.01.1001", "declared_workers": 4},
                                 actor="t")  # fmt: skip
        store.add_members(group, list(ids.values()), actor="t")
        event = store.save_event(
            {"kind": "sosialisasi", "starts_at": "2026-11-01 09:00", "held": True,
             "place": "Pasar Baru", "group_id": group},
            actor="t", now=dt.datetime(2026, 12, 6, tzinfo=dt.UTC),
        )  # fmt: skip
        store.attend(event, ids["Budi"], actor="t")
    finally:
        store.close()
    groups = json.loads(run("export", "--kind", "groups", "--format", "json").stdout)
    assert [(g["members"], g["enrolled"], g["of_members"], g["of_declared"],
             g["decline_reasons"]) for g in groups] == [(2, 1, 50, 25, "")]  # fmt: skip
    events = json.loads(run("export", "--kind", "events", "--format", "json").stdout)
    assert [(e["attended"], e["held"], e["place"]) for e in events] == [(1, True, "Pasar Baru")]
    text = run("export", "--kind", "attendance").stdout
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [(r["full_name"], r["status_then"], r["status_now"]) for r in rows] == [
        ("Budi", "prospect", "prospect")
    ]
    sheet = tmp_path / "groups.csv"
    assert run("export", "--kind", "groups", "--out", str(sheet)).exit_code == 0
    assert "'=Pasar Baru" in sheet.read_text(encoding="utf-8-sig")  # no formula from data
    assert stat.S_IMODE(sheet.stat().st_mode) == 0o600
    book = tmp_path / "events.xlsx"
    assert run("export", "--kind", "events", "--format", "xlsx", "--out", str(book)).exit_code == 0
    from openpyxl import load_workbook

    assert load_workbook(book).active.max_row == 2
