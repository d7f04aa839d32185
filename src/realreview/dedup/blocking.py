"""Candidate pairs: only records that share a blocking key are ever compared.

Comparing all pairs is quadratic (3 billion pairs at 80,000 records). Each blocking key below catches
duplicates that the others miss (a typo early in a title, a missing title, a missing DOI), and a block
larger than ``max_block`` is skipped because a key shared by hundreds of records (a common surname in one
year, a generic title such as "Editorial") says nothing about any one pair. Keys are built one kind at a
time and dropped before the next, so memory stays linear in the number of records.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator, Sequence

from realreview.dedup.names import family_key
from realreview.dedup.profile import Profile

__all__ = ["KEYS", "candidate_pairs"]

KeyFunction = Callable[[Profile], str | None]

_PREFIX = 36


def _compact(profile: Profile) -> str | None:
    return profile.title.replace(" ", "") if profile.title else None


def _title_start(profile: Profile) -> str | None:
    compact = _compact(profile)
    return compact[:_PREFIX] if compact and len(compact) >= 12 else None


def _title_short_start(profile: Profile) -> str | None:
    compact = _compact(profile)
    return compact[: _PREFIX // 2] if compact and len(compact) >= _PREFIX // 2 else None


def _title_end(profile: Profile) -> str | None:
    compact = _compact(profile)
    return compact[-_PREFIX:] if compact and len(compact) >= 2 * _PREFIX else None


def _title_words(profile: Profile) -> str | None:
    # The four longest words, sorted: survives word-order changes and typos in short words.
    if not profile.title:
        return None
    words = sorted(set(profile.title.split()), key=lambda w: (-len(w), w))[:4]
    return " ".join(sorted(words)) if len(words) >= 3 else None


def _title_author_year(profile: Profile) -> str | None:
    # Generic titles ("Preface", "Editorial") fill huge title blocks; with the first author and year
    # the block is small again, and pages in roman numerals ("xiii-xv") need no page key.
    compact = _compact(profile)
    if not compact or not profile.authors:
        return None
    return f"{compact[:_PREFIX]}|{family_key(profile.authors[0])}|{profile.year}"


def _author_year_page(profile: Profile) -> str | None:
    if not profile.authors or profile.first_page is None:
        return None
    return f"{family_key(profile.authors[0])}|{profile.year}|{profile.first_page}"


def _volume_page(profile: Profile) -> str | None:
    if profile.volume is None or profile.first_page is None:
        return None
    return f"{profile.year}|{profile.volume}|{profile.first_page}"


KEYS: dict[str, KeyFunction] = {
    "doi": lambda p: p.doi,
    "pmid": lambda p: p.pmid,
    "cochrane": lambda p: p.cochrane,
    "title_start": _title_start,
    "title_short_start": _title_short_start,
    "title_end": _title_end,
    "title_words": _title_words,
    "title_author_year": _title_author_year,
    "author_year_page": _author_year_page,
    "volume_page": _volume_page,
}


def candidate_pairs(
    profiles: Sequence[Profile], *, max_block: int = 64, window: int = 6
) -> Iterator[tuple[int, int]]:
    """Yield each candidate pair ``(a, b)`` with ``a < b`` once, key kind by key kind.

    Blocks of up to ``max_block`` records give all their pairs; a larger block (a generic title start,
    a prolific author's year) gives each record's ``window`` next neighbours in title order.

    A pair is given once without remembering every pair given (at a million records that set alone
    would take most of a gigabyte): a pair from a small block is skipped when an earlier key kind
    already put both records in one small block, which is known from the 8-byte key hash each record
    keeps per kind. Only pairs from large blocks, a small share, are remembered in a set.

    >>> from realreview.dedup.profile import profile
    >>> from realreview.records import make_record
    >>> records = [make_record((), title=t, year="2020") for t in
    ...            ["A study of sleep in adolescents", "A study of sleep in adolescent", "Something else entirely"]]
    >>> sorted(candidate_pairs([profile(r) for r in records]))
    [(0, 1)]
    """
    size = len(profiles)
    hashes: list[array[int]] = []
    small: list[bytearray] = []
    windowed: set[int] = set()
    for key_function in KEYS.values():
        kind_hashes = array("q", bytes(8 * size))
        kind_small = bytearray(size)
        blocks: dict[int, int | list[int]] = {}
        for index, item in enumerate(profiles):
            key = key_function(item)
            if key is None:
                continue
            # Zero marks "no key"; a real key hashing to zero only loses the skip shortcut.
            code = hash(key) or 1
            kind_hashes[index] = code
            found = blocks.get(code)
            if found is None:
                blocks[code] = index
            elif isinstance(found, int):
                blocks[code] = [found, index]
            else:
                found.append(index)
        for members in blocks.values():
            if isinstance(members, int):
                continue
            is_small = len(members) <= max_block
            if is_small:
                for member in members:
                    kind_small[member] = 1
            for a, b in _block_pairs(members, profiles, max_block=max_block, window=window):
                if a > b:
                    a, b = b, a
                if _seen_before(a, b, hashes, small):
                    continue
                code = a * size + b
                if code in windowed:
                    continue
                if not is_small:
                    windowed.add(code)
                yield a, b
        hashes.append(kind_hashes)
        small.append(kind_small)


def _seen_before(a: int, b: int, hashes: list[array[int]], small: list[bytearray]) -> bool:
    """Whether an earlier key kind put ``a`` and ``b`` in one small block (and so gave the pair)."""
    for kind_hashes, kind_small in zip(hashes, small, strict=True):
        code = kind_hashes[a]
        if code and code == kind_hashes[b] and kind_small[a]:
            return True
    return False


def _block_pairs(
    members: list[int], profiles: Sequence[Profile], *, max_block: int, window: int
) -> Iterator[tuple[int, int]]:
    """All pairs of a small block; in a large one, only neighbours in title order (sorted neighbourhood)."""
    if len(members) <= max_block:
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                yield a, b
        return
    ordered = sorted(members, key=lambda index: profiles[index].title or "")
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 : i + 1 + window]:
            yield a, b
