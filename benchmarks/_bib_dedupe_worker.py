"""Run bib-dedupe 0.11.0 fully automatically on one dataset (runs inside its own venv).

Usage: ``python _bib_dedupe_worker.py DATASET_DIR OUT_JSON [CPU]``.

Mirrors bib-dedupe's ``tests/full_test.py``: ``pd.read_csv`` of the (sorted, concatenated)
``records_pre_merged*.csv.gz`` parts -> prep -> block -> match -> connected components.
``get_connected_components`` keeps only pairs labelled 'duplicate', so 'maybe' pairs are not merged.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import bib_dedupe.cluster
import pandas as pd
from bib_dedupe.bib_dedupe import block, match, prep


def main(dataset_dir: Path, out_path: Path, cpu: int = -1) -> None:
    """Deduplicate the dataset and write groups and stage timings as JSON.

    Args:
        dataset_dir: Folder holding ``records_pre_merged*.csv.gz``.
        out_path: Where to write the JSON result.
        cpu: Process count passed to bib-dedupe (-1 = all cores, its default).
    """
    t0 = time.perf_counter()
    parts = sorted(dataset_dir.glob("records_pre_merged*.csv*"))
    records_df = pd.concat((pd.read_csv(p) for p in parts), ignore_index=True)
    t1 = time.perf_counter()
    prepped = prep(records_df, verbosity_level=0, cpu=cpu)
    t2 = time.perf_counter()
    blocked = block(prepped, verbosity_level=0, cpu=cpu)
    t3 = time.perf_counter()
    matched = match(blocked, verbosity_level=0, cpu=cpu)
    t4 = time.perf_counter()
    components = bib_dedupe.cluster.get_connected_components(matched)
    t5 = time.perf_counter()
    labels = matched["duplicate_label"] if not matched.empty else pd.Series(dtype=str)
    result = {
        "groups": [sorted(str(i) for i in g) for g in components if len(g) > 1],
        "records": int(records_df.shape[0]),
        "blocked_pairs": int(blocked.shape[0]),
        "maybe_pairs": int((labels == "maybe").sum()),
        "seconds": t5 - t0,
        "stages": {
            "load": t1 - t0,
            "prep": t2 - t1,
            "block": t3 - t2,
            "match": t4 - t3,
            "cluster": t5 - t4,
        },
    }
    out_path.write_text(json.dumps(result))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else -1)
