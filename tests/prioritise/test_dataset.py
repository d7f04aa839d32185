from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from realreview.errors import InputError, ParseError
from realreview.prioritise.dataset import ScreeningText, load_labelled_csv

DATA = Path(__file__).parent.parent / "data" / "screening"
ANTIHISTAMINES = DATA / "cohen_2006" / "Antihistamines.csv"


def test_reads_a_real_review_with_its_counts() -> None:
    dataset = load_labelled_csv(ANTIHISTAMINES, label="label_included")
    assert len(dataset) == 310
    assert int(dataset.labels.sum()) == 16
    assert int(load_labelled_csv(ANTIHISTAMINES, label="label_abstract_screening").labels.sum()) == 92
    # PROVENANCE: 277 non-empty abstracts; the others are read as empty text
    assert sum(1 for t in dataset.texts if t.abstract) == 277


def test_keywords_and_missing_abstracts(tmp_path: Path) -> None:
    path = tmp_path / "k.csv"
    path.write_text("Title,Abstract,Keywords,included\nA,,nudge,1\nB,text,,0\n", encoding="utf-8")
    dataset = load_labelled_csv(path, label="included")
    assert dataset.texts[0] == ScreeningText(title="A", abstract="", keywords="nudge")
    assert dataset.labels.tolist() == [1, 0]


def test_missing_label_column_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"Antihistamines\.csv: no column 'label_x'"):
        load_labelled_csv(ANTIHISTAMINES, label="label_x")


def test_no_relevant_record(tmp_path: Path) -> None:
    path = tmp_path / "none.csv"
    path.write_text("title,label\nA,0\nB,0\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"none\.csv: no record has label = 1"):
        load_labelled_csv(path, label="label")


def test_bad_label_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("title,label\nA,1\nB,maybe\n", encoding="utf-8")
    with pytest.raises(ParseError, match=r"bad\.csv, line 3: label is 'maybe'"):
        load_labelled_csv(path, label="label")


def test_missing_file_and_no_text_column(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_labelled_csv(tmp_path / "absent.csv", label="label")
    path = tmp_path / "notext.csv"
    path.write_text("id,label\n1,1\n", encoding="utf-8")
    with pytest.raises(InputError, match="'title' or 'abstract'"):
        load_labelled_csv(path, label="label")


def test_latin1_file(tmp_path: Path) -> None:
    path = tmp_path / "l1.csv"
    path.write_bytes("title,label\nCaf\xe9 study,1\n".encode("latin-1"))
    assert load_labelled_csv(path, label="label").texts[0].title == "Café study"


def test_shuffle_keeps_pairs() -> None:
    dataset = load_labelled_csv(ANTIHISTAMINES, label="label_included")
    shuffled = dataset.shuffled(np.random.default_rng(1))
    pairs = set(zip(dataset.texts, dataset.labels.tolist(), strict=True))
    assert set(zip(shuffled.texts, shuffled.labels.tolist(), strict=True)) == pairs
    assert shuffled.texts != dataset.texts
