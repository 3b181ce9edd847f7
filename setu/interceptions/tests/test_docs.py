"""docs/interceptions.md lists every flag of the shipped checklist with its weight and source."""

from pathlib import Path

from setu.interceptions.screening import default_checklist_text, load_checklist

DOC = Path(__file__).resolve().parents[3] / "docs" / "interceptions.md"


def test_the_checklist_table_in_the_docs_matches_the_shipped_file():
    text = DOC.read_text(encoding="utf-8")
    checklist = load_checklist(default_checklist_text())
    rows = [line for line in text.splitlines() if line.startswith("| ") and "`" in line]
    assert len(rows) == len(checklist.flags)
    for flag in checklist.flags.values():
        assert f"| `{flag.key}` | {flag.weight} | {flag.name()} | {flag.source} |" in text, flag.key
