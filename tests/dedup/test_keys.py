from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from realreview.dedup.keys import (
    author_keys,
    is_conference,
    journal_key,
    journals_match,
    number_key,
    page_keys,
    split_embedded_citation,
    title_key,
    title_kind,
    title_numbers,
)
from realreview.records import Author


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Effects of Rhodiola rosea. [Chinese]", "effects of rhodiola rosea"),
        ("[Effects of Rhodiola rosea]. [Article in French]", "effects of rhodiola rosea"),
        ("Über die Wirkung (author's transl)", "uber die wirkung"),
        ("Ca<sup>2+</sup> handling", "ca2 handling"),
        ("Na&#x2B;/H&amp;+ exchange", "na h exchange"),
        ("#NAME?", None),
        ("   ", None),
        (None, None),
    ],
)
def test_title_key(raw: str | None, expected: str | None) -> None:
    assert title_key(raw) == expected


@given(st.text())
def test_title_key_is_idempotent(text: str) -> None:
    key = title_key(text)
    if key is not None:
        assert title_key(key) == key


def test_title_numbers_ignore_spacing_but_not_values() -> None:
    assert title_numbers(title_key("Adenosine A(1) receptor")) == title_numbers(
        title_key("Adenosine A1 receptor")
    )
    assert title_numbers(title_key("Guidelines part 1")) != title_numbers(title_key("Guidelines part 2"))


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Erratum: Gain-of-function mutations", "erratum"),
        ("Correction to: Sleep in adolescents", "erratum"),
        ("Retraction notice to: sleep in adolescents", "retraction"),
        ("Sleep in adolescents - Reply", "reply"),
        ("Comment on: sleep in adolescents", "comment"),
        ("Sleep in adolescents", ""),
    ],
)
def test_title_kind(title: str, kind: str) -> None:
    assert title_kind(title_key(title)) == kind


@pytest.mark.parametrize(
    ("authors", "expected"),
    [
        ([Author.parse("Keefer, Amy"), Author.parse("Müri, R. M.")], ("keefer", "muri")),
        ([Author.parse("Yamada K.Matsui K.Yamamoto S.")], ("yamada", "matsui", "yamamoto")),
        ([Author.parse("ChenJ.JohnsonR.W.")], ("chen", "johnson")),
        ([Author.parse("Slavin S. A.Lin S. J.")], ("slavin", "lin")),
        ([], ()),
    ],
)
def test_author_keys(authors: list[Author], expected: tuple[str, ...]) -> None:
    assert author_keys(authors) == expected


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("Plast Reconstr Surg", "Plastic and Reconstructive Surgery"),
        (
            "Am J Physiol Heart Circ Physiol",
            "American Journal of Physiology Heart and Circulatory Physiology",
        ),
        ("J. Natl. Cancer Inst.", "Journal of the National Cancer Institute"),
        ("Arch Phys Med Rehabil", "Archives of Physical Medicine & Rehabilitation"),
    ],
)
def test_journal_abbreviations_match(short: str, full: str) -> None:
    assert journals_match(journal_key(short), journal_key(full))


def test_different_journals_do_not_match() -> None:
    assert not journals_match(journal_key("Brain"), journal_key("Brain Research"))
    assert not journals_match(journal_key("Circulation"), journal_key("Circulation Research"))
    assert not journals_match(journal_key("J Neurosci"), journal_key("J Neurochem"))


def test_embedded_citation() -> None:
    assert split_embedded_citation("Physiol Behav.82 (4) ()(pp 713-719) 2004.") == (
        "Physiol Behav",
        "82",
        "4",
        "713-719",
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("H384-91", ("384", "391")),
        ("H384-H391", ("384", "391")),
        ("1309 - 1348", ("1309", "1348")),
        ("70s-85s", ("70", "85")),
        ("S498", ("498", None)),
        ("e0245", ("245", None)),
        ("Sep-16", ("9", "16")),
        ("01-Oct", ("1", "10")),
        ("December", (None, None)),
        ("", (None, None)),
    ],
)
def test_page_keys(raw: str, expected: tuple[str | None, str | None]) -> None:
    assert page_keys(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("152 (5 Supplement 1)", "152"), ("007", "7"), ("Suppl", None), ("2)", None), (None, None)],
)
def test_number_key(raw: str | None, expected: str | None) -> None:
    assert number_key(raw) == expected


@given(st.text(alphabet="0123456789-HSe ", max_size=12))
def test_page_keys_are_digits(text: str) -> None:
    first, last = page_keys(text)
    assert first is None or first.isdigit()
    assert last is None or last.isdigit()


def test_is_conference() -> None:
    assert is_conference(
        publication_type="article", journal="Diabetologia. Conference: 48th EASD Annual Meeting"
    )
    assert not is_conference(publication_type="article", journal="Diabetologia")
