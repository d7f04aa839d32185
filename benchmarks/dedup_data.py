"""Load a labelled deduplication dataset (bib-dedupe benchmark layout) into RealReview records.

A dataset folder holds ``records_pre_merged*.csv[.gz]`` (one or more parts, concatenated in name order)
and ``merged_record_ids.csv`` (one row per true duplicate group, IDs joined by ``;``).
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from realreview import make_record
from realreview.records import Record

csv.field_size_limit(sys.maxsize)

_AUTHOR_SPLIT = re.compile(r"\s+and\s+|\s*;\s*")


@dataclass
class Dataset:
    name: str
    ids: list[str]
    records: list[Record]
    groups: list[list[str]]


def record_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.startswith("records_pre_merged") and ".csv" in p.name)


def is_dataset(folder: Path) -> bool:
    return folder.is_dir() and (folder / "merged_record_ids.csv").exists() and bool(record_files(folder))


def _rows(path: Path) -> Iterator[dict[str, str]]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rb") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        yield from csv.DictReader(text)


def row_to_record(row: dict[str, str], position: int) -> Record:
    def get(name: str) -> str | None:
        value = row.get(name)
        return value if value else None

    authors = [a for a in _AUTHOR_SPLIT.split(row.get("author") or "") if a.strip()]
    raw = tuple((k, v) for k, v in row.items() if v and k is not None)
    return make_record(
        raw,
        title=get("title"),
        authors=authors,
        year=get("year"),
        journal=[get("journal"), get("booktitle")],
        volume=get("volume"),
        issue=[get("number"), get("issue")],
        pages=get("pages"),
        doi=get("doi"),
        abstract=get("abstract"),
        publication_type=get("ENTRYTYPE"),
        position=position,
    )


def load_records(folder: Path) -> tuple[list[str], list[Record]]:
    ids: list[str] = []
    records: list[Record] = []
    for path in record_files(folder):
        for row in _rows(path):
            ids.append(row["ID"])
            records.append(row_to_record(row, len(records) + 1))
    return ids, records


def load_groups(folder: Path) -> list[list[str]]:
    with open(folder / "merged_record_ids.csv", encoding="utf-8", newline="") as handle:
        return [row["merged_ids"].split(";") for row in csv.DictReader(handle) if row.get("merged_ids")]


def load_dataset(folder: Path) -> Dataset:
    ids, records = load_records(folder)
    return Dataset(folder.name, ids, records, load_groups(folder))
