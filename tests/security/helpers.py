"""What the security tests share: canaries, a byte scan of OUTREACH_HOME, CLI helpers."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from outreach_tui.cli import main

CANARY_NAME = "Kanari Zzyzx Qwerty"
CANARY_NIK = "3201015508950003"
CANARY_PHONE = "0812-9876-5432"
CANARY_TOKEN = "tok-kanari-7f3e9a1b2c4d"
NEEDLES = (
    CANARY_NAME,
    "Zzyzx",
    "ZZYZX",
    "zzyzx",  # the folded name key and the search index
    CANARY_NIK,
    CANARY_PHONE,
    "+6281298765432",
    "6281298765432",
    "081298765432",
    "81298765432",
)
HEADER = (
    "full_name,nik,phone,occupation,monthly_income,programs,payment_period,"
    "region_code,rw,rt,status,consent\n"
)
CANARY_ROW = (
    f"{CANARY_NAME},{CANARY_NIK},{CANARY_PHONE},pedagang_pasar,1500000,JKK JKM,1,"
    "3201011001,1,2,enrolled,ya\n"
)
OTHER_ROW = "Budi Santoso,,+62 813 1111 2222,ojol,,,,32.01.01.1001,001,002,prospect,true\n"


def run(*args: str, input: str | None = None) -> Result:
    """Run `outreach ARGS` in-process."""
    return CliRunner().invoke(main, list(args), input=input)


def write_csv(folder: Path, name: str = "people.csv", rows: str = CANARY_ROW + OTHER_ROW) -> Path:
    """A CSV file outside OUTREACH_HOME."""
    path = folder / name
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def encodings(text: str) -> list[bytes]:
    """``text`` as bytes the way a file could hold it."""
    return [text.encode("utf-8"), text.encode("utf-16-le"), text.encode("utf-16-be")]


def leaks(home: Path, needles: tuple[str, ...] = NEEDLES) -> list[str]:
    """Every (file, needle) where a canary is readable in any file under ``home``."""
    found = []
    files = [p for p in home.rglob("*") if p.is_file()]
    assert files, "nothing to scan"
    for path in files:
        data = path.read_bytes()
        for needle in needles:
            if any(form in data for form in encodings(needle)):
                found.append(f"{path.relative_to(home)}: {needle!r}")
    return found
