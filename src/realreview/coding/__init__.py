"""Qualitative coding: codes, excerpts, memos, the reading view, the matrix and REFI-QDA exchange.

Codes and their tree, excerpts, memos and appraisals, the reading view's segments, the code ×
document matrix, and REFI-QDA project files (``.qdpx``, bare ``.qde``) and codebooks (``.qdc``).

Everything here is pure: it takes and returns dataclasses and bytes, and never touches the database.
The REFI-QDA model lives in :mod:`~realreview.coding.qda`; :func:`read_qdpx` / :func:`read_qde` read
files from NVivo, ATLAS.ti, MAXQDA or QualCoder into it, :func:`read_qdc` a codebook and
:func:`read_refi_qda` whichever of the three a file is; :func:`write_qdpx` and :func:`write_qdc` write
them back.
"""

from realreview.coding.codebook import (
    DEFAULT_COLOR,
    Branch,
    Code,
    CodeNode,
    CodeOrigin,
    branches,
    descendants,
    ordered,
    paths,
    tree_rows,
    would_cycle,
)
from realreview.coding.excerpts import Excerpt, page_of
from realreview.coding.matrix import CodeDocumentMatrix, build_matrix, to_csv, to_xlsx
from realreview.coding.notes import APPRAISED, Appraisal, Judgement, Memo, MemoTarget, parse_judgement
from realreview.coding.offsets import Utf16Map, index_to_utf16, utf16_to_index
from realreview.coding.qda import (
    VARIABLE_TYPES,
    CaseValue,
    QdaCase,
    QdaCode,
    QdaCoding,
    QdaCounts,
    QdaNote,
    QdaProject,
    QdaSelection,
    QdaSet,
    QdaSource,
    QdaUser,
    QdaVariable,
    count,
    walk_codes,
)
from realreview.coding.qdc import read_qdc, validate_codebook_xml, write_qdc
from realreview.coding.qdpx_archive import folder_files
from realreview.coding.qdpx_read import read_qde, read_qdpx, read_refi_qda
from realreview.coding.qdpx_write import project_xml, validate_project_xml, write_qdpx
from realreview.coding.segments import PageView, Segment, cuts, page_views

__all__ = [
    "APPRAISED",
    "DEFAULT_COLOR",
    "VARIABLE_TYPES",
    "Appraisal",
    "Branch",
    "CaseValue",
    "Code",
    "CodeDocumentMatrix",
    "CodeNode",
    "CodeOrigin",
    "Excerpt",
    "Judgement",
    "Memo",
    "MemoTarget",
    "PageView",
    "QdaCase",
    "QdaCode",
    "QdaCoding",
    "QdaCounts",
    "QdaNote",
    "QdaProject",
    "QdaSelection",
    "QdaSet",
    "QdaSource",
    "QdaUser",
    "QdaVariable",
    "Segment",
    "Utf16Map",
    "branches",
    "build_matrix",
    "count",
    "cuts",
    "descendants",
    "folder_files",
    "index_to_utf16",
    "ordered",
    "page_of",
    "page_views",
    "parse_judgement",
    "paths",
    "project_xml",
    "read_qdc",
    "read_qde",
    "read_qdpx",
    "read_refi_qda",
    "to_csv",
    "to_xlsx",
    "tree_rows",
    "utf16_to_index",
    "validate_codebook_xml",
    "validate_project_xml",
    "walk_codes",
    "would_cycle",
    "write_qdc",
    "write_qdpx",
]
