"""RealReview: a workbench for realist and systematic reviews, from database exports to a programme theory.

The curated public API for scripts and notebooks; the command line is ``realreview`` and the use cases
behind it live in :mod:`realreview.services`.
"""

from realreview.errors import ReviewError
from realreview.formats import ParseResult, detect, dumps, loads, read_export
from realreview.records import Author, Record, make_record

__all__ = [
    "Author",
    "ParseResult",
    "Record",
    "ReviewError",
    "detect",
    "dumps",
    "loads",
    "make_record",
    "read_export",
]

__version__ = "0.1.0"
