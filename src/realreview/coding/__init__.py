"""Qualitative coding: the code tree, the code × document matrix, and REFI-QDA (``.qdpx``) exchange.

Everything here is pure: it takes and returns dataclasses and bytes, and never touches the database.
The REFI-QDA model lives in :mod:`~realreview.coding.qda`; :func:`read_qdpx` / :func:`read_qde` read
files from NVivo, ATLAS.ti, MAXQDA or QualCoder into it, and :func:`write_qdpx` writes it back.
"""

from realreview.coding.codebook import CodeNode, descendants, ordered, paths, would_cycle
from realreview.coding.matrix import CodeDocumentMatrix, build_matrix, to_csv, to_xlsx
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
from realreview.coding.qdpx_read import read_qde, read_qdpx
from realreview.coding.qdpx_write import project_xml, validate_project_xml, write_qdpx

__all__ = [
    "VARIABLE_TYPES",
    "CaseValue",
    "CodeDocumentMatrix",
    "CodeNode",
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
    "Utf16Map",
    "build_matrix",
    "count",
    "descendants",
    "index_to_utf16",
    "ordered",
    "paths",
    "project_xml",
    "read_qde",
    "read_qdpx",
    "to_csv",
    "to_xlsx",
    "utf16_to_index",
    "validate_project_xml",
    "walk_codes",
    "would_cycle",
    "write_qdpx",
]
