"""Uncertain duplicate pairs from a real export: the Embase records again, as another database wrote them.

The real exports in tests/data give the matcher no pair to leave for a person (every shared record
merges automatically), so the pair-review tests import ``cff_embase.ris`` and a copy of it in which
each record lost its identifiers (DOI, PMID, links) and pages, is dated a year earlier and printed
one volume later: the titles, authors and journals still agree, the year and volume conflict, and
the matcher leaves the ten pairs (records 1-10 beside 11-20) for review.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.exports_table import EXPORTS

from realreview import services

EMBASE = EXPORTS / "ris/cff_embase.ris"


def write_rekeyed_copy(folder: Path) -> Path:
    """``cff_embase.ris`` with identifiers and pages dropped, year - 1 and volume + 1; its path."""
    text = EMBASE.read_text(encoding="utf-8")
    text = re.sub(r"^(?:DO|L2|LK|UR|C5|U2|SP|EP)  - .*\n", "", text, flags=re.M)
    text = re.sub(r"^(Y1  - )(\d{4})", lambda m: f"{m.group(1)}{int(m.group(2)) - 1}", text, flags=re.M)
    text = re.sub(r"^(VL  - )(\d+)", lambda m: f"{m.group(1)}{int(m.group(2)) + 1}", text, flags=re.M)
    path = folder / "embase_rekeyed.ris"
    path.write_text(text, encoding="utf-8")
    return path


def add_uncertain_pairs(database: services.Database, review_id: int, folder: Path) -> services.DedupSummary:
    """Import the re-keyed copy into a review that holds ``cff_embase.ris``, and run deduplication."""
    with database.unit_of_work(write=True) as session:
        owner = services.trusted_context(session, review_id=review_id, actor="tester")
        services.import_export(session, owner, path=write_rekeyed_copy(folder), max_bytes=1024**3)
        return services.run_dedup(session, owner)
