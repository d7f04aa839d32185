"""What reading one untrusted REFI-QDA file may cost, checked before the expensive step (issue 11).

A ``.qdpx`` is a zip, so a few MB can declare a project file of a GB: every member's declared
unpacked size and compression ratio, and the archive's, are checked from the zip's directory before
anything is decompressed (the zip reader never returns more than a member declares). The XML of a
``project.qde``, bare ``.qde`` or ``.qdc`` is capped in bytes, and its nesting depth is counted by a
streaming pre-scan that keeps no tree, before the document is parsed (entities are never expanded,
no DTD or network is read, and lxml's ``huge_tree`` stays off). Each refusal is a
:class:`~realreview.errors.FileTooLargeError` naming the file, the member and the setting.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from dataclasses import dataclass

from lxml import etree

from realreview.errors import FileTooLargeError

__all__ = ["QdaLimits", "check_depth", "check_xml_size"]

#: Members smaller than this are never refused for their ratio (a short text compresses very well).
_RATIO_FLOOR = 1 << 20


@dataclass(frozen=True, slots=True)
class QdaLimits:
    """Limits on one REFI-QDA file; each field is a ``REALREVIEW_`` setting (see the README)."""

    #: Total unpacked bytes of a ``.qdpx``, sources included (``REALREVIEW_MAX_QDPX_BYTES``): 1 GiB.
    max_unpacked: int = 1 << 30
    #: Bytes of the project XML (``project.qde``, ``.qde``, ``.qdc``) (``REALREVIEW_MAX_QDE_BYTES``): 256 MiB.
    max_xml_bytes: int = 256 << 20
    #: Unpacked / packed size of a member over 1 MiB, and of the archive (``REALREVIEW_MAX_QDPX_RATIO``).
    max_ratio: int = 100
    #: Nesting depth of the project XML (``REALREVIEW_MAX_QDE_DEPTH``); a deep code tree stays well under.
    max_depth: int = 200

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> QdaLimits:
        """The limits the environment sets, the defaults for the rest.

        >>> QdaLimits.from_env({"REALREVIEW_MAX_QDE_DEPTH": "50"}).max_depth
        50
        """
        env = os.environ if environ is None else environ
        default = cls()

        def number(variable: str, fallback: int) -> int:
            raw = env.get(variable)
            return int(raw) if raw else fallback

        return cls(
            max_unpacked=number("REALREVIEW_MAX_QDPX_BYTES", default.max_unpacked),
            max_xml_bytes=number("REALREVIEW_MAX_QDE_BYTES", default.max_xml_bytes),
            max_ratio=number("REALREVIEW_MAX_QDPX_RATIO", default.max_ratio),
            max_depth=number("REALREVIEW_MAX_QDE_DEPTH", default.max_depth),
        )

    def check_member(self, *, name: str, member: str, size: int, packed: int, xml: bool) -> None:
        """Refuse a zip member by its declared sizes, before it is decompressed."""
        if xml and size > self.max_xml_bytes:
            raise FileTooLargeError(
                f"{name}: member {member} would unpack to {size:,} bytes, more than the "
                f"{self.max_xml_bytes:,} allowed for project XML (REALREVIEW_MAX_QDE_BYTES)"
            )
        if size > _RATIO_FLOOR and size > self.max_ratio * max(packed, 1):
            raise FileTooLargeError(
                f"{name}: member {member} would unpack {packed:,} bytes to {size:,}, more than "
                f"{self.max_ratio} times (REALREVIEW_MAX_QDPX_RATIO): a zip bomb?"
            )

    def check_archive(self, *, name: str, size: int, packed: int) -> None:
        """Refuse an archive by the declared unpacked size of all its members."""
        if size > self.max_unpacked:
            raise FileTooLargeError(
                f"{name}: unpacks to {size:,} bytes, more than the {self.max_unpacked:,} allowed "
                "(REALREVIEW_MAX_QDPX_BYTES)"
            )
        if size > _RATIO_FLOOR and size > self.max_ratio * max(packed, 1):
            raise FileTooLargeError(
                f"{name}: unpacks {packed:,} bytes to {size:,}, more than {self.max_ratio} times "
                "(REALREVIEW_MAX_QDPX_RATIO): a zip bomb?"
            )


def check_xml_size(data: bytes, *, where: str, limits: QdaLimits) -> None:
    """Refuse project XML larger than ``limits.max_xml_bytes``."""
    if len(data) > limits.max_xml_bytes:
        raise FileTooLargeError(
            f"{where}: {len(data):,} bytes of XML, more than the {limits.max_xml_bytes:,} allowed "
            "(REALREVIEW_MAX_QDE_BYTES)"
        )


def check_depth(data: bytes, *, where: str, limits: QdaLimits) -> None:
    """Refuse XML nested deeper than ``limits.max_depth``, by a streaming scan that builds no tree.

    Broken XML is left for the parser that follows, whose message names the line.
    """
    events = etree.iterparse(
        io.BytesIO(data),
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
    )
    depth = 0
    try:
        for event, element in events:
            if event == "end":
                depth -= 1
                element.clear(keep_tail=False)  # keep no tree: memory stays flat
                continue
            depth += 1
            if depth > limits.max_depth:
                raise FileTooLargeError(
                    f"{where} line {element.sourceline}: the XML is nested more than {limits.max_depth} "
                    "levels deep (REALREVIEW_MAX_QDE_DEPTH)"
                )
    except etree.XMLSyntaxError:
        return
