"""Every real export in tests/data/exports with the record count its PROVENANCE.md states.

Shared by the format-detection, parsing and import tests. ``database``/``platform`` are what the file
itself tells about its producer (``None`` where it tells nothing).
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

EXPORTS = Path(__file__).parent / "data" / "exports"


class Export(NamedTuple):
    path: str
    count: int
    format: str
    database: str | None
    platform: str | None


EXPORT_FILES = [
    Export("bibtex/ecolqrps_wos_savedrecs.bib", 10, "bibtex", "Web of Science", "Clarivate"),
    Export("endnote_enw/colrev_ais_enl.txt", 6, "endnote-tagged", None, None),
    Export("endnote_enw/jabref_Endnote.book.example.enw", 1, "endnote-tagged", None, None),
    Export("endnote_xml/reflib_blue-light.xml", 102, "endnote-xml", "PubMed", "EndNote"),
    Export("endnote_xml/reflib_spidercite_demo.xml", 10, "endnote-xml", "PubMed", "EndNote"),
    Export("endnote_xml/reflib_dump_converted_test.xml", 25, "endnote-xml", None, "EndNote"),
    Export("medline_nbib/cff_pubmed_medline.ris", 50, "medline", "PubMed", "PubMed"),
    Export("medline_nbib/reflib_blue-light.nbib", 80, "medline", "PubMed", "PubMed"),
    Export("medline_nbib/rayyan_plugins_example1.nbib", 10, "medline", "PubMed", "PubMed"),
    Export("other_database_csv/cff_embase.csv", 10, "csv", "Embase", "Embase.com"),
    Export("other_database_csv/cff_pubmed.csv", 10, "csv", "PubMed", "PubMed"),
    Export("other_database_csv/cff_cinahl.csv", 10, "csv", None, "EBSCOhost"),
    Export("other_database_csv/cff_cochrane.csv", 3, "csv", "Cochrane Library", "Wiley"),
    Export("other_database_csv/asreview_embase.csv", 6, "csv", "Embase", "Embase.com"),
    Export("pubmed_xml/asreview_pubmed.xml", 10, "pubmed-xml", "PubMed", "PubMed"),
    Export("rayyan_csv/cff_rayyan.csv", 10, "csv", "Embase", "Rayyan"),
    Export("ris/cff_cinahl.ris", 9, "ris", "Academic Search Premier", "EBSCOhost"),
    Export("ris/cff_embase.ris", 10, "ris", "Embase", "Embase.com"),
    Export("ris/cff_scopus.ris", 10, "ris", "Scopus", "Scopus"),
    Export("ris/cff_webofscience.ris", 10, "ris", "Web of Science", "Clarivate"),
    Export("ris/cff_psycinfo_ovid.ris", 10, "ris", "APA PsycInfo", "Ovid"),
    Export("ris/cff_eric_ovid.ris", 10, "ris", "ERIC", "Ovid"),
    Export("ris/cff_cochrane_library.ris", 3, "ris", "Cochrane Library", "Wiley"),
    Export("ris/cff_rayyan.ris", 10, "ris", "Embase", "Rayyan"),
    Export("ris/cff_zotero.ris", 10, "ris", "Embase", "Embase.com"),
    Export("ris/cff_covidence.ris", 10, "ris", "Embase", "Embase.com"),
    Export("ris/cff_eppireviewer.ris", 10, "ris", "Embase", "Embase.com"),
    Export("ris/asreview_embase.ris", 6, "ris", "Embase", "Embase.com"),
    Export("ris/asreview_scopus.ris", 6, "ris", "Scopus", "Scopus"),
    Export("ris/asreview_ovid_psycinfo.ris", 6, "ris", None, "Ovid"),
    Export("ris/asreview_proquest.ris", 6, "ris", "PTSDpubs", "ProQuest"),
    Export("ris/asreview_pubmed_endnote.txt", 6, "ris", "PubMed", "PubMed"),
    Export("ris/asreview_pubmed_zotero.ris", 6, "ris", None, None),
    Export("ris/asreview_web_of_science.txt", 10, "ris", "Web of Science", "Clarivate"),
    Export("ris/asreview_rayyan_issue_992.txt", 19, "ris", None, "Rayyan"),
    Export("ris/reflib_blue-light.ris", 102, "ris", "PubMed", "PubMed"),
    Export("scopus_csv/cff_scopus.csv", 10, "csv", "Scopus", "Scopus"),
    Export("scopus_csv/umbrella_review_scopus.csv", 29, "csv", "Scopus", "Scopus"),
    Export("wos_plaintext/wosfile_wos_plaintext.txt", 50, "wos-plaintext", "Web of Science", "Clarivate"),
    Export("wos_plaintext/umbrella_review_savedrecs.txt", 29, "wos-plaintext", "Web of Science", "Clarivate"),
    Export(
        "wos_tabdelimited/wosfile_wos_tab_delimited_win_utf8.txt",
        50,
        "wos-tab",
        "Web of Science",
        "Clarivate",
    ),
    Export(
        "wos_tabdelimited/wosfile_wos_tab_delimited_win_utf16.txt",
        50,
        "wos-tab",
        "Web of Science",
        "Clarivate",
    ),
]
