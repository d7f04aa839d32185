"""BibTeX entries that repeat a field (issue #10): Scopus writes one ``funding_details`` per funder.

No openly licensed real Scopus BibTeX export with repeated fields was found to copy into tests/data
(the public copies seen sit in repositories without a licence), so these entries are constructed: they
follow the shape of Scopus's BibTeX export (``key={value}`` lines, one ``funding_details`` per funder,
``funding_text 1``, ``source={Scopus}``) with invented values.
"""

from __future__ import annotations

import io
from pathlib import Path

from realreview.formats import bibtex, read_export
from realreview.formats.base import Diagnostics
from realreview.records import Author, Record

SCOPUS_STYLE = """Scopus
EXPORT DATE: 2 March 2019

@ARTICLE{Cooper2018,
author={Cooper, C. and Booth, A.},
title={Defining the process to literature searching in systematic reviews},
journal={BMC Medical Research Methodology},
year={2018},
volume={18},
number={1},
doi={10.1186/s12874-018-0545-3},
url={https://www.scopus.com/inward/record.uri?eid=2-s2.0-85051415084&partnerID=40},
funding_details={National Institute for Health Research, NIHR},
funding_details={National Institute for Health Research, NIHR},
funding_details={Health Technology Assessment Programme, HTA, 16/54/11},
funding_text 1={This work was funded through the HTA Programme.},
document_type={Article},
source={Scopus},
}

@ARTICLE{Riegelman201822,
author={Riegelman, A. and Kocher, M.},
title={A model for developing a systematic review service},
journal={Reference and User Services Quarterly},
year={2018},
volume={58},
pages={22-27},
url={https://www.scopus.com/inward/record.uri?eid=2-s2.0-85055700346&partnerID=40},
document_type={Article},
source={Scopus},
}
"""


def loads(text: str) -> tuple[list[Record], Diagnostics]:
    diagnostics = Diagnostics()
    return list(bibtex.read(io.StringIO(text), diagnostics)), diagnostics


def test_an_entry_with_a_repeated_field_is_read_not_skipped() -> None:
    records, diagnostics = loads(SCOPUS_STYLE)

    assert [record.title for record in records] == [
        "Defining the process to literature searching in systematic reviews",
        "A model for developing a systematic review service",
    ]
    first = records[0]
    assert first.doi == "10.1186/s12874-018-0545-3"
    assert first.authors == (Author("Cooper", "C."), Author("Booth", "A."))
    assert (first.position, first.line, records[1].line) == (1, 4, 21)
    assert [str(d) for d in diagnostics] == [
        "record 1 (line 4): field 'funding_details' appears 3 times (lines 13, 14, 15); the values are kept "
        "in order, joined with '; '"
    ]


def test_raw_keeps_every_occurrence_as_written() -> None:
    records, _ = loads(SCOPUS_STYLE)

    assert [value for key, value in records[0].raw if key == "funding_details"] == [
        "National Institute for Health Research, NIHR",
        "National Institute for Health Research, NIHR",
        "Health Technology Assessment Programme, HTA, 16/54/11",
    ]
    assert ("funding_text 1", "This work was funded through the HTA Programme.") in records[0].raw


def test_repeated_authors_and_keywords_are_joined_in_order() -> None:
    records, diagnostics = loads(
        "@article{k,\n author={Pawson, Ray},\n keywords={realist; synthesis},\n title={Realist review},\n"
        " author={Tilley, Nick},\n keywords={programme theory},\n}\n"
    )

    assert records[0].authors == (Author("Pawson", "Ray"), Author("Tilley", "Nick"))
    assert records[0].keywords == ("realist", "synthesis", "programme theory")
    assert [d.message for d in diagnostics] == [
        "field 'author' appears 2 times (lines 2, 5); the values are kept in order, joined with ' and '",
        "field 'keywords' appears 2 times (lines 3, 6); the values are kept in order, joined with '; '",
    ]


def test_a_repeated_single_valued_field_uses_its_first_value_and_says_so() -> None:
    records, diagnostics = loads(
        "@article{k,\n title={First title},\n year={2019},\n year={2020},\n title={First title},\n}\n"
    )

    assert (records[0].title, records[0].year) == ("First title", 2019)
    assert [value for key, value in records[0].raw if key == "year"] == ["2019", "2020"]
    assert [d.message for d in diagnostics] == [
        "field 'title' appears 2 times (lines 2, 5) with the same value; kept once",
        "field 'year' appears 2 times (lines 3, 4) with different values; the first is used, all are kept "
        "as written",
    ]


def test_string_macros_and_braces_are_resolved_in_a_repeated_field() -> None:
    records, _ = loads(
        '@string{nihr = "National Institute for Health Research"}\n'
        "@article{k,\n title={T},\n funding_details = nihr,\n funding_details = {Wellcome {Trust}},\n}\n"
    )

    assert [value for key, value in records[0].raw if key == "funding_details"] == [
        "National Institute for Health Research",
        "Wellcome {Trust}",
    ]


def test_a_scopus_style_file_opens_as_bibtex_with_every_record(tmp_path: Path) -> None:
    path = tmp_path / "scopus.bib"
    path.write_text(SCOPUS_STYLE, encoding="utf-8")

    opened = read_export(path)
    records = list(opened.records())

    assert (opened.format, opened.source.database) == ("bibtex", "Scopus")
    assert len(records) == 2
    assert [d.record for d in opened.diagnostics] == [1]
