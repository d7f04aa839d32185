"""The decisions CSV as text: defused on the way out (web and CLI alike), strict on the way in."""

from __future__ import annotations

import pytest

from realreview import services
from realreview.errors import ValidationError

ROW = {
    "record_id": "1",
    "stage": "title_abstract",
    "reviewer": "ana@example.org",
    "event": "include",
    "reasons": "",
    "tags": "",
    "note": '=HYPERLINK("http://example.org")',
    "at": "2026-01-01T00:00:00+00:00",
    "source": "@web",
}


def test_decisions_csv_defuses_every_formula_like_cell() -> None:
    text = services.decisions_csv([ROW])
    assert text.splitlines()[1] == (
        '1,title_abstract,ana@example.org,include,,,"\'=HYPERLINK(""http://example.org"")",'
        "2026-01-01T00:00:00+00:00,'@web"
    )
    assert services.decisions_csv([ROW], raw=True).splitlines()[1].endswith("+00:00,@web")
    assert [row for _line, row in services.read_decisions_csv(text).rows] == [ROW]


def test_lines_are_counted_across_quoted_line_breaks_and_blank_lines() -> None:
    text = services.decisions_csv([{**ROW, "note": "two\nlines"}, ROW]).replace("\r\n", "\n")
    text = text.replace("\n1,", "\n\n1,", 1)
    assert [line for line, _row in services.read_decisions_csv(text).rows] == [3, 5]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "line 1: the file is empty; expected a header with record_id, stage, reviewer, event"),
        ("id,verdict\n", "line 1: missing column(s) event, record_id, reviewer, stage"),
        (
            "record_id,stage,reviewer,event\n1,ta,a,b,c\n",
            "line 2: 5 field(s) where the header has 4 (an extra comma?)",
        ),
        ('record_id,stage,reviewer,event\n1,ta,"a"b,c\n', "line 2: broken quoting (',' expected after '\"')"),
    ],
)
def test_broken_files_name_their_line(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        services.read_decisions_csv(text)
    assert str(raised.value) == message
