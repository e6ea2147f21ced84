"""docs/security.md stays true: every test its threat model names exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "security.md"


def _find(name: str) -> Path:
    """A test file named in the doc, by path or by its file name alone."""
    path = ROOT / name
    if path.is_file():
        return path
    found = sorted((ROOT / "tests").rglob(Path(name).name))
    assert found, f"docs/security.md names {name}, which does not exist"
    return found[0]


def test_every_test_the_threat_model_names_exists() -> None:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Threat model", 1)[1].split("\n## ", 1)[0]
    references = re.findall(r"T: ([^|\n]+(?:\n(?!\||#)[^|\n]+)*)", section)
    assert len(references) >= 15
    checked = 0
    current: Path | None = None  # `::name` alone means the file named last
    for reference in references:
        for part in re.split(r",\s*", reference.replace("\n", " ")):
            part = re.sub(r"\s*\(.*\)$", "", part.strip().rstrip("."))
            match = re.match(r"((?:tests/)?[\w/]+\.py)?(?:::(\w+))?", part)
            assert match and (match.group(1) or match.group(2)), part
            if match.group(1):
                current = _find(match.group(1))
            assert current is not None, part
            if match.group(2):
                source = current.read_text(encoding="utf-8")
                assert re.search(rf"def {match.group(2)}\b", source), (current, match.group(2))
                checked += 1
    assert checked >= 30
