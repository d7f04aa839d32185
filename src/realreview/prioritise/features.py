"""Features of records for prioritisation: TF-IDF blocks over title, abstract and keywords.

Each block (word n-grams, character n-grams) is L2-normalised on its own and weighted, then the blocks
are stacked side by side; a further block (e.g. embeddings) is one more entry in ``_blocks``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from realreview.prioritise.dataset import ScreeningText

__all__ = ["FeatureConfig", "extract_features", "record_text"]


@dataclass(frozen=True)
class FeatureConfig:
    """Which TF-IDF blocks to build and how much each weighs (serialisable: plain values only).

    Attributes:
        word_ngrams: smallest and largest word n-gram; ``None`` leaves the word block out.
        char_ngrams: smallest and largest character n-gram (within word boundaries), e.g. (3, 5); ``None``
            (the default: slow to extract, see docs/prioritisation.md) leaves them out.
        char_weight: weight of the character block relative to the word block.
        max_df: terms in more than this share of records are dropped.
        min_df: terms in fewer records than this are dropped.
        sublinear_tf: use 1 + log(tf) instead of raw counts.
        title_repeat: how many times the title enters the text (weights title terms up).
    """

    word_ngrams: tuple[int, int] | None = (1, 2)
    char_ngrams: tuple[int, int] | None = None
    char_weight: float = 1.0
    max_df: float = 0.95
    min_df: int = 1
    sublinear_tf: bool = True
    title_repeat: int = 2


def record_text(text: ScreeningText, *, title_repeat: int = 2) -> str:
    """The string a record is vectorised from.

    >>> record_text(ScreeningText(title="Nudges", abstract="A trial.", keywords="nudge"), title_repeat=2)
    'Nudges Nudges A trial. nudge'
    """
    parts = [text.title] * title_repeat + [text.abstract, text.keywords]
    return " ".join(part for part in parts if part)


def _blocks(strings: list[str], config: FeatureConfig) -> list[sparse.csr_matrix]:
    blocks = []
    common = {"max_df": config.max_df, "min_df": config.min_df, "sublinear_tf": config.sublinear_tf}
    if config.word_ngrams is not None:
        words = TfidfVectorizer(ngram_range=config.word_ngrams, dtype=np.float64, **common)
        blocks.append(words.fit_transform(strings))
    if config.char_ngrams is not None:
        chars = TfidfVectorizer(
            analyzer="char_wb", ngram_range=config.char_ngrams, dtype=np.float64, **common
        )
        blocks.append(chars.fit_transform(strings) * config.char_weight)
    return blocks


def extract_features(
    texts: Sequence[ScreeningText], config: FeatureConfig | None = None
) -> sparse.csr_matrix:
    """A sparse matrix with one row per record (fitted on all records: they are all known at the start).

    >>> texts = [ScreeningText(title="Statins in the elderly"), ScreeningText(title="Nudging doctors")]
    >>> matrix = extract_features(texts, FeatureConfig(char_ngrams=None))
    >>> matrix.shape[0], round(float(matrix[0].multiply(matrix[0]).sum()), 6)
    (2, 1.0)
    """
    config = config or FeatureConfig()
    strings = [record_text(text, title_repeat=config.title_repeat) for text in texts]
    strings = [s if s.strip() else "(empty record)" for s in strings]
    blocks = _blocks(strings, config)
    if not blocks:
        raise ValueError("FeatureConfig builds no feature block")
    # float64 with sorted indices: what liblinear takes without a copy at every retraining
    matrix = sparse.hstack(blocks, format="csr", dtype=np.float64)
    matrix.sort_indices()
    return matrix
