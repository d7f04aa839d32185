from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from realreview.prioritise.dataset import ScreeningText
from realreview.prioritise.features import FeatureConfig, extract_features

TEXTS = [
    ScreeningText(title="Statins for elderly patients", abstract="A randomised trial of statins."),
    ScreeningText(title="Nudging doctors", abstract="", keywords="nudge; behaviour"),
    ScreeningText(),
]


def test_blocks_are_normalised_and_weighted() -> None:
    words = extract_features(TEXTS, FeatureConfig(char_ngrams=None))
    both = extract_features(TEXTS, FeatureConfig(char_ngrams=(3, 4), char_weight=0.5))
    assert words.shape[0] == both.shape[0] == 3
    assert both.shape[1] > words.shape[1]
    norms = np.asarray(both.multiply(both).sum(axis=1)).ravel()
    # word block norm 1 + char block norm 0.5^2
    assert norms[:2] == pytest.approx([1.25, 1.25])
    assert both.dtype == np.float64 and both.has_sorted_indices


def test_keywords_and_bigrams_are_features() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = extract_features(TEXTS, FeatureConfig(char_ngrams=None, max_df=1.0, title_repeat=1))
    vocabulary = (
        TfidfVectorizer(ngram_range=(1, 2))
        .fit(
            [
                "Statins for elderly patients A randomised trial of statins.",
                "Nudging doctors nudge; behaviour",
                "(empty record)",
            ]
        )
        .vocabulary_
    )
    assert matrix.shape[1] == len(vocabulary)
    assert "nudging doctors" in vocabulary and "behaviour" in vocabulary


def test_title_repeat_weighs_the_title() -> None:
    config = FeatureConfig(
        word_ngrams=(1, 1), char_ngrams=None, max_df=1.0, sublinear_tf=False, title_repeat=1
    )
    once = extract_features(TEXTS[:2], config).toarray()
    twice = extract_features(TEXTS[:2], dataclasses.replace(config, title_repeat=2)).toarray()
    # columns in alphabetical order: behaviour, doctors, elderly, for, ..., randomised, ...
    elderly, randomised = 2, 8
    assert twice[0, elderly] / twice[0, randomised] == pytest.approx(
        2 * once[0, elderly] / once[0, randomised]
    )


def test_no_block_is_an_error() -> None:
    with pytest.raises(ValueError, match="no feature block"):
        extract_features(TEXTS, FeatureConfig(word_ngrams=None, char_ngrams=None))
