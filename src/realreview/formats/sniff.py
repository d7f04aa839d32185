"""Which export format a file is in, and which database and platform produced it.

File names lie (PubMed MEDLINE saved as ``.ris``, RIS saved as ``.txt``), so detection reads the first
64 KiB of text. Each rule looks for the markers a format cannot do without (``TY  - `` lines for RIS,
``PMID- `` for MEDLINE, ``FN``/``PT`` for Web of Science...) and gives a confidence; the producing
database is then read from the markers vendors leave behind (``DB  - Scopus``, Ovid's numbered
preambles, Wiley's ``Provider:`` header, ``WOS:`` accession numbers...). Like CoLRev's
``SearchSource.heuristic``, it returns every candidate with its confidence, best first.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass

from realreview.formats.base import Source
from realreview.formats.csv_exports import FIELD_COLUMNS

__all__ = ["Detection", "detect"]


@dataclass(frozen=True, slots=True)
class Detection:
    """One candidate format for a file with its confidence and the source the file points to."""

    format: str
    confidence: float
    source: Source


_UNKNOWN = Source(None, None, 0.0)


def detect(head: str) -> list[Detection]:
    """Rank the formats ``head`` (the start of a file's text) may be in, best first; empty if none fits."""
    text = head.lstrip("\ufeff")
    found = [detection for rule in _RULES if (detection := rule(text)) is not None]
    return sorted(found, key=lambda d: d.confidence, reverse=True)


def _lines_matching(pattern: str, text: str) -> list[str]:
    return re.findall(pattern, text, flags=re.MULTILINE)


# --- XML -------------------------------------------------------------------------------------------


def _xml(text: str) -> Detection | None:
    start = text.lstrip()[:4096]
    if not start.startswith("<"):
        return None
    if "<PubmedArticleSet" in start or "<PubmedArticle>" in start or "<PubmedBookArticle" in start:
        return Detection("pubmed-xml", 0.99, Source("PubMed", "PubMed", 0.95))
    if re.search(r"<xml>\s*<records>|<records>\s*<record>", start) and "<ref-type" in text:
        return Detection("endnote-xml", 0.97, _endnote_xml_source(text))
    return None


def _endnote_xml_source(text: str) -> Source:
    names = re.findall(r"<remote-database-(?:name|provider)>(?:<style[^>]*>)?([^<]+)", text)
    joined = " ".join(names).lower()
    if "pubmed" in joined or "nlm" in joined:
        return Source("PubMed", "EndNote", 0.6)
    if "embase" in joined:
        return Source("Embase", "EndNote", 0.6)
    if "scopus" in joined:
        return Source("Scopus", "EndNote", 0.6)
    return Source(None, "EndNote", 0.8)


# --- tagged text -------------------------------------------------------------------------------------

_RIS_TY = r"^TY {1,2}- {1,2}\S"


def _ris(text: str) -> Detection | None:
    starts = _lines_matching(_RIS_TY, text)
    if not starts:
        return None
    ends = _lines_matching(r"^ER {1,2}-", text)
    confidence = 0.98 if ends else 0.85
    return Detection("ris", confidence, _ris_source(text))


def _ris_tag(tag: str, text: str) -> list[str]:
    return [value.strip() for value in re.findall(rf"^{tag} {{1,2}}- {{1,2}}(.*)$", text, flags=re.MULTILINE)]


_EBSCO_DATABASES = {
    "cin20": "CINAHL",
    "ccm": "CINAHL",
    "rzh": "CINAHL",
    "cul": "CINAHL",
    "aph": "Academic Search Premier",
    "psyh": "APA PsycInfo",
    "mdc": "MEDLINE",
    "cmedm": "MEDLINE",
    "mnh": "MEDLINE",
    "eric": "ERIC",
}


def _ris_source(text: str) -> Source:
    databases = " ".join(_ris_tag("DB", text))
    providers = " ".join(_ris_tag("DP", text))
    urls = " ".join(_ris_tag("UR", text))
    accession = _ris_tag("AN", text)
    if re.search(r"^Record #\d+ of \d+\s*$", text, flags=re.MULTILINE) and "Wiley" in text[:2000]:
        return Source("Cochrane Library", "Wiley", 0.95)
    if any(a.startswith("rayyan-") for a in accession):
        return Source(_database_from_urls(urls), "Rayyan", 0.9)
    is_ovid = re.search(r"^\d+\. *$", text, flags=re.MULTILINE) is not None or "Ovid" in text[:20000]
    if is_ovid:
        return Source(_ovid_database(databases), "Ovid", 0.9)
    if "EBSCOhost" in providers:
        code = databases.split()[0] if databases else ""
        return Source(_EBSCO_DATABASES.get(code.lower(), code or None), "EBSCOhost", 0.9)
    if "Scopus" in databases or "scopus.com" in urls:
        return Source("Scopus", "Scopus", 0.95)
    if any(a.startswith("WOS:") for a in accession):
        return Source("Web of Science", "Clarivate", 0.95)
    if "proquest.com" in urls or "ProQuest" in providers:
        first = _ris_tag("DB", text)
        return Source(first[0] if first and first[0] else None, "ProQuest", 0.9)
    if "NLM" in providers or "PubMed" in providers:
        return Source("PubMed", "PubMed", 0.8)
    if "Embase" in databases or "embase.com" in urls:
        return Source("Embase", "Embase.com", 0.8)
    if "cochranelibrary.com" in urls:
        return Source("Cochrane Library", "Wiley", 0.8)
    return _UNKNOWN


def _ovid_database(databases: str) -> str | None:
    lowered = databases.lower()
    for marker, name in (
        ("psycinfo", "APA PsycInfo"),
        ("eric", "ERIC"),
        ("embase", "Embase"),
        ("medline", "MEDLINE"),
        ("global health", "Global Health"),
        ("hmic", "HMIC"),
    ):
        if marker in lowered:
            return name
    return None


def _database_from_urls(urls: str) -> str | None:
    """The one database the record links point to; ``None`` when they point to none or to several."""
    hosts = (
        ("embase.com", "Embase"),
        ("scopus.com", "Scopus"),
        ("ncbi.nlm.nih.gov/pubmed", "PubMed"),
        ("pubmed.ncbi.nlm.nih.gov", "PubMed"),
        ("WOS:", "Web of Science"),
    )
    found = {name for host, name in hosts if host in urls}
    return found.pop() if len(found) == 1 else None


def _medline(text: str) -> Detection | None:
    if not re.search(r"^PMID- ?\d", text, flags=re.MULTILINE):
        return None
    return Detection("medline", 0.98, Source("PubMed", "PubMed", 0.9))


def _wos_plaintext(text: str) -> Detection | None:
    has_header = re.match(r"^FN .*\nVR ", text) is not None
    has_pt = re.search(r"^PT [A-Z]\s*$", text, flags=re.MULTILINE) is not None
    if not has_pt or not (has_header or re.search(r"^UT (WOS|ISI):", text, flags=re.MULTILINE)):
        return None
    return Detection(
        "wos-plaintext", 0.98 if has_header else 0.9, Source("Web of Science", "Clarivate", 0.95)
    )


def _wos_tab(text: str) -> Detection | None:
    first = text.split("\n", 1)[0]
    tags = first.rstrip("\t").split("\t")
    if len(tags) >= 10 and tags[0] in {"PT", "FN"} and {"AU", "TI"} <= set(tags):
        return Detection("wos-tab", 0.98, Source("Web of Science", "Clarivate", 0.95))
    return None


def _endnote_tagged(text: str) -> Detection | None:
    tagged = _lines_matching(r"^%[0-9A-Z@!#$&()*+\[\]=^|~>?] ", text)
    if len(tagged) < 2 or not any(line.startswith(("%T ", "%0 ")) for line in tagged):
        return None
    return Detection("endnote-tagged", 0.9, _UNKNOWN)


def _bibtex(text: str) -> Detection | None:
    entries = _lines_matching(r"^\s*@\s*[A-Za-z]+\s*[{(]", text)
    if not entries:
        return None
    if re.search(r"^\s*@\s*[A-Za-z]+\s*[{(]\s*(WOS|ISI):", text, flags=re.MULTILINE | re.IGNORECASE):
        return Detection("bibtex", 0.95, Source("Web of Science", "Clarivate", 0.85))
    if "scopus.com" in text:
        return Detection("bibtex", 0.95, Source("Scopus", "Scopus", 0.8))
    return Detection("bibtex", 0.9, _UNKNOWN)


# --- CSV -----------------------------------------------------------------------------------------------

_CSV_TITLE_COLUMNS = frozenset(FIELD_COLUMNS["title"])


def _csv(text: str) -> Detection | None:
    lines = text.split("\n")[:12]
    for offset, line in enumerate(lines):
        delimiter = max(",;\t", key=line.count)
        if line.count(delimiter) < 2:
            continue
        try:
            header = next(csv.reader([line], delimiter=delimiter))
        except (csv.Error, StopIteration):
            continue
        columns = {cell.strip().lower() for cell in header}
        if columns & _CSV_TITLE_COLUMNS:
            return Detection("csv", 0.9 if offset == 0 else 0.85, _csv_source(columns, text))
    return None


def _csv_source(columns: set[str], text: str) -> Source:
    if "eid" in columns or ("source title" in columns and "link" in columns and "scopus" in text):
        return Source("Scopus", "Scopus", 0.95)
    if "key" in columns and "notes" in columns and "rayyan-" in text:
        return Source(_database_from_urls(text[:20000]), "Rayyan", 0.9)
    if "central id" in columns:
        return Source("Cochrane Library", "Wiley", 0.95)
    if "pmid" in columns and "citation" in columns and "journal/book" in columns:
        return Source("PubMed", "PubMed", 0.95)
    if text.startswith('"SEARCH QUERY"') or {"emtree medical index terms", "author names"} <= columns:
        return Source("Embase", "Embase.com", 0.9)
    if "covidence #" in columns:
        return Source(None, "Covidence", 0.9)
    if {"key", "item type", "publication title"} <= columns:
        return Source(None, "Zotero", 0.9)
    if {"plink", "accession number", "doctype"} <= columns:
        return Source(None, "EBSCOhost", 0.8)
    return _UNKNOWN


_RULES: tuple[Callable[[str], Detection | None], ...] = (
    _xml,
    _medline,
    _wos_plaintext,
    _wos_tab,
    _ris,
    _endnote_tagged,
    _bibtex,
    _csv,
)
