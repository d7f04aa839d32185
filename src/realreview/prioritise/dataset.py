"""Labelled screening data read from CSV: the records' text and the known include/exclude labels.

The CSV needs a ``title`` and/or ``abstract`` column and a label column of 0/1 values; ``keywords`` is
used when present. Missing abstracts are empty text. Every problem names the file and, where one is to
blame, the line.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from realreview.errors import EncodingError, InputError, ParseError

__all__ = ["LabelledDataset", "ScreeningText", "load_labelled_csv"]

_ENCODINGS = ("utf-8-sig", "latin-1")
_TRUE = {"1", "1.0", "true", "yes", "y", "included", "include"}
_FALSE = {"0", "0.0", "false", "no", "n", "excluded", "exclude"}


@dataclass(frozen=True)
class ScreeningText:
    """What a screener (and the model) sees of a record at title/abstract stage."""

    title: str = ""
    abstract: str = ""
    keywords: str = ""


@dataclass(frozen=True)
class LabelledDataset:
    """Records with known labels, in file order (``labels[i]`` is 1 for a relevant record)."""

    name: str
    texts: tuple[ScreeningText, ...]
    labels: np.ndarray

    def __len__(self) -> int:
        return len(self.texts)

    def shuffled(self, rng: np.random.Generator) -> LabelledDataset:
        """The same records in an order drawn from ``rng`` (for files sorted by label)."""
        order = rng.permutation(len(self.texts))
        return LabelledDataset(self.name, tuple(self.texts[i] for i in order), self.labels[order])


def _decode(path: Path) -> str:
    raw = path.read_bytes()
    for encoding in _ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise EncodingError(f"{path}: not UTF-8 or Latin-1 text")  # pragma: no cover (latin-1 decodes anything)


def _label(value: str, path: Path, line: int, column: str) -> int:
    text = value.strip().lower()
    if text in _TRUE:
        return 1
    if text in _FALSE:
        return 0
    raise ParseError(f"{path}, line {line}: {column} is {value!r}, expected 0 or 1")


def load_labelled_csv(path: str | Path, *, label: str) -> LabelledDataset:
    """Read a labelled CSV (``title``, ``abstract``, optional ``keywords``, the label column ``label``).

    Raises:
        InputError: the file is missing, has no text or label column, no records or no relevant record.
        ParseError: a label value is not 0/1 (the line is named).
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    reader = csv.DictReader(io.StringIO(_decode(path), newline=""))
    columns = {name.strip().lower(): name for name in reader.fieldnames or []}
    if label.lower() not in columns:
        raise InputError(f"{path}: no column {label!r} (columns: {', '.join(reader.fieldnames or [])})")
    if "title" not in columns and "abstract" not in columns:
        raise InputError(f"{path}: needs a 'title' or 'abstract' column")
    texts, labels = [], []
    for line, row in enumerate(reader, start=2):
        texts.append(
            ScreeningText(
                *((row.get(columns.get(c, ""), "") or "").strip() for c in ("title", "abstract", "keywords"))
            )
        )
        labels.append(_label(row.get(columns[label.lower()]) or "", path, line, label))
    if not texts:
        raise InputError(f"{path}: no records")
    array = np.asarray(labels, dtype=np.int8)
    if array.sum() == 0:
        raise InputError(f"{path}: no record has {label} = 1, nothing to find")
    return LabelledDataset(path.stem, tuple(texts), array)
