from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from realreview.dedup.keys import (
    cochrane_key,
    doi_match_key,
    is_supplement,
    kind_free_title,
    title_key,
    title_kind,
    title_numbers,
)
from realreview.dedup.names import author_keys
from realreview.dedup.places import number_key, page_keys
from realreview.dedup.venues import is_conference, journal_key, journals_match, split_embedded_citation
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


@pytest.mark.parametrize(
    ("left", "right", "same"),
    [
        ("10.3402/fnr.v57i0.21245", "https://doi.org/10.3402/FNRv57i0.21245", True),
        ("10.1371/journal.pone.0094853", "10.1371/journal.pone.0094853.g001", True),
        ("10.1007/978-3-7091-1646-3_12", "10.1007/978-3-7091-1646-3-12", True),
        (
            "10.1002/1097-0274(200008)38:2<164::AID-AJIM7>3.0.CO;2-2",
            "10.1002/1097-0274(200008)38:2<164::AID-AJIM7>3.3.CO;2-U",
            True,
        ),
        ("10.1007/bf00796217", "10.1007/s003950050053", False),
        ("10.1038/sj.bdj.2009.899", "10.1038/sj.bdj.2009.878", False),
    ],
)
def test_doi_match_key(left: str, right: str, same: bool) -> None:
    assert (doi_match_key(left) == doi_match_key(right)) is same


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (("10.1002/14651858.CD003311.pub3",), "cd003311"),
        ((None, "CD002273"), "cd002273"),
        ((None, None, "CD009270"), "cd009270"),
        (("10.1016/j.cell.2020.01.001", "1-10"), None),
        ((None, "CD00227"), None),
    ],
)
def test_cochrane_key(fields: tuple[str | None, ...], expected: str | None) -> None:
    assert cochrane_key(*fields) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Donor heart preservation. Japanese", "donor heart preservation"),
        ("Muscle cell transplantations. Polish Transplantacje komorek", "muscle cell transplantations"),
        ("CONTROVERSIES IN NEONATAL RESUSCITATION. PORTUGUESE", "controversies in neonatal resuscitation"),
        ("Smoking cessation. French recommendations", "smoking cessation french recommendations"),
        ("REPRINT OF: FMRI STUDIES OF MEMORY", "fmri studies of memory"),
        ("Infection (REPRINTED FROM J CLIN PERIODONTOL VOL 40 PG S1-S7 2013)", "infection"),
        ("Atypical HUS (multiple letters) [1]", "atypical hus"),
        ("BayÃ©s", "bayes"),
    ],
)
def test_title_key_notes_and_translations(raw: str, expected: str) -> None:
    assert title_key(raw) == expected


def test_spreadsheet_dates_and_publication_months_in_pages() -> None:
    assert page_keys("Jan-19") == ("1", "19")
    assert page_keys("01-Oct") == ("1", "10")
    assert page_keys("May-June") == (None, None)
    assert page_keys("October-December") == (None, None)


def test_journal_names_cut_short_or_with_an_extra_word_still_match() -> None:
    assert journals_match(
        journal_key("Zhurnal Nevrologii i Psihiatrii imeni S.S"),
        journal_key("Zhurnal Nevrologii i Psihiatrii imeni S.S. Korsakova"),
    )
    assert journals_match(
        journal_key("Philos Trans R Soc Lond B Biol Sci"),
        journal_key("Philosophical Transactions of the Royal Society B - Biological Sciences"),
    )
    assert journals_match(journal_key("J Rheumatol Suppl"), journal_key("Journal of Rheumatology"))
    assert not journals_match(journal_key("Brain"), journal_key("Brain Research"))
    assert not journals_match(journal_key("Journal of Neurochemistry"), journal_key("Journal of Neurology"))


def test_supplements() -> None:
    assert is_supplement("9", "s2")
    assert is_supplement("23 Suppl 2", None)
    assert not is_supplement("19", "8")


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Can J Anaesth", "Canadian Journal of Anesthesia"),
        ("Br J Haematol", "British Journal of Hematology"),
        ("Dis Oesophagus", "Diseases of the Esophagus"),
        ("Neurocirugia (Astur)", "NEUROCIRUGIA"),
        ("Ann Biol Clin (Paris)", "Ann Biol Clin"),
    ],
)
def test_journal_spellings_and_place_qualifiers_name_one_journal(left: str, right: str) -> None:
    assert journals_match(journal_key(left), journal_key(right))


def test_brain_is_still_not_brain_research_after_spelling_folds() -> None:
    assert not journals_match(journal_key("Brain (Oxford)"), journal_key("Brain Research"))


def test_doi_keys_ignore_a_slash_lost_in_the_suffix() -> None:
    assert doi_match_key("10.1210/endrev/bnz002") == doi_match_key("10.1210/endrevbnz002")
    assert doi_match_key("10.1210/endrev/bnz002") != doi_match_key("10.1211/endrev/bnz002")


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("erratum severe deficiency of adamts 13", "severe deficiency of adamts 13"),
        ("correction to effect of immobilisation", "effect of immobilisation"),
        ("re the tspo debate", "the tspo debate"),
        ("reproducibility of tspo imaging", "reproducibility of tspo imaging"),
        ("erratum", "erratum"),
    ],
)
def test_kind_free_title_drops_only_a_whole_leading_kind_word(key: str, expected: str) -> None:
    assert kind_free_title(key) == expected


@given(st.text(alphabet="abcdeorst ", max_size=40))
def test_kind_free_title_keeps_the_end_of_the_title(text: str) -> None:
    key = " ".join(text.split())
    result = kind_free_title(key)
    assert result is not None or not key
    if key:
        assert key.endswith(result)  # type: ignore[arg-type]
