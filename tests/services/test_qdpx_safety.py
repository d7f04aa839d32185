"""REFI-QDA import under hostile or failing conditions: refused unchanged, linear, no orphan file (issue 11)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import event, func, select
from tests.services.conftest import OWNER, TEXT, Review

from realreview import services
from realreview.coding.qda import QdaCode, QdaCoding, QdaProject, QdaSelection, QdaSource
from realreview.coding.qdpx_limits import QdaLimits
from realreview.coding.qdpx_write import write_qdpx
from realreview.errors import FileTooLargeError
from realreview.services import qdpx as qdpx_service
from realreview.storage.models import CodeRow, CodingRow, DocumentRow, ExcerptRow


def _guid(kind: int, number: int) -> str:
    return f"{kind:08x}-0000-4000-8000-{number:012x}"


def _project(
    *,
    selections: int,
    codes: int,
    first: int = 0,
    texts: tuple[str, ...] = ("alpha beta gamma 🙂 delta " * 400,),
) -> bytes:
    tree = tuple(
        QdaCode(_guid(1, i), f"code {i}", children=(QdaCode(_guid(2, i), f"child {i}"),))
        for i in range(codes)
    )
    sources = []
    for number, text in enumerate(texts):
        found = tuple(
            QdaSelection(
                _guid(3, first + number * 100_000 + i),
                start=(i * 7) % (len(text) - 40),
                end=(i * 7) % (len(text) - 40) + 30,
                codings=(QdaCoding(_guid(4, first + number * 100_000 + i), _guid(2, i % codes)),),
            )
            for i in range(selections)
        )
        sources.append(QdaSource(_guid(5, first + number), f"source {number}", text, selections=found))
    return write_qdpx(QdaProject("generated", codes=tree, sources=tuple(sources)))


def _files(store_root: Path) -> set[Path]:
    return {path for path in store_root.rglob("*") if path.is_file()} if store_root.exists() else set()


def _counts(review: Review) -> tuple[int, int, int, int]:
    with review.session() as session:
        return tuple(  # type: ignore[return-value]
            session.scalar(select(func.count()).select_from(model))
            for model in (CodeRow, DocumentRow, ExcerptRow, CodingRow)
        )


def _import(review: Review, session: services.Session, data: bytes, **kwargs: object) -> services.QdpxImport:
    return services.import_qdpx(
        session, review.ctx(session, OWNER), data=data, name="p.qdpx", store=review.store, **kwargs
    )


def test_a_refused_file_leaves_the_database_and_the_store_unchanged(review: Review) -> None:
    before, files = _counts(review), _files(review.store.root)
    data = _project(selections=3, codes=2)
    with (
        pytest.raises(FileTooLargeError, match=r"^p\.qdpx: member project\.qde "),
        review.session() as session,
    ):
        _import(review, session, data, limits=QdaLimits(max_xml_bytes=1000))
    assert (_counts(review), _files(review.store.root)) == (before, files)


def test_the_number_of_statements_does_not_grow_with_the_project(review: Review) -> None:
    """Per-row queries and flushes made the import quadratic; it now issues a fixed number of batches."""

    def statements(data: bytes) -> int:
        issued: list[str] = []
        with review.session() as session:
            engine = session.get_bind()
            listener = lambda *args: issued.append(args[2])  # noqa: E731
            event.listen(engine, "before_cursor_execute", listener)
            try:
                _import(review, session, data)
            finally:
                event.remove(engine, "before_cursor_execute", listener)
        return len(issued)

    small = statements(_project(selections=20, codes=10, texts=("one two three 🙂 four " * 300,)))
    large = statements(
        _project(selections=400, codes=200, first=10**6, texts=("five six seven 🙂 eight " * 300,))
    )
    assert large <= small + 2, (small, large)
    excerpts, codings = _counts(review)[2:]
    assert (excerpts, codings) == (420, 420)


def test_excerpts_keep_their_text_and_page_and_a_second_import_adds_nothing(review: Review) -> None:
    text = "page one 🙂\f" + "page two text " * 15
    data = _project(selections=3, codes=2, texts=(text,))
    with review.session() as session:
        first = _import(review, session, data)
        rows = session.scalars(select(ExcerptRow).order_by(ExcerptRow.start)).all()
        assert [(row.start, row.end, row.text, row.page) for row in rows] == [
            (0, 30, text[0:30], 1),
            (7, 37, text[7:37], 1),
            (14, 44, text[14:44], 2),
        ]
        codes = session.scalars(select(CodeRow).order_by(CodeRow.id)).all()
        # listed depth first, as in the file, each child under its parent
        assert [(c.name, c.parent_id) for c in codes] == [
            ("code 0", None),
            ("child 0", codes[0].id),
            ("code 1", None),
            ("child 1", codes[2].id),
        ]
    with review.session() as session:
        second = _import(review, session, data)
    assert (first.codes_added, first.excerpts_added, first.codings_added) == (4, 3, 3)
    assert (second.codes_added, second.documents_added, second.excerpts_added, second.codings_added) == (
        0,
        0,
        0,
        0,
    )


def test_no_file_reaches_the_store_before_the_import_commits(review: Review) -> None:
    files = _files(review.store.root)
    with review.session() as session:
        _import(review, session, _project(selections=2, codes=1))
        assert _files(review.store.root) == files  # killed here, nothing would be left behind
    assert len(_files(review.store.root)) == len(files) + 1


def test_an_import_failing_after_its_documents_are_stored_leaves_no_file(
    review: Review, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(qdpx_service, "import_cases", fail)
    before, files = _counts(review), _files(review.store.root)
    with pytest.raises(RuntimeError, match="disk went away"), review.session() as session:
        _import(review, session, _project(selections=2, codes=1))
    assert (_counts(review), _files(review.store.root)) == (before, files)


def test_a_commit_failing_after_the_files_are_written_removes_only_the_new_ones(review: Review) -> None:
    """The project's second source is the fixture's committed document: that shared file must stay."""
    before, files = _counts(review), _files(review.store.root)
    data = _project(selections=2, codes=1, texts=("brand new text 🙂 for this import " * 10, TEXT))

    def boom(_session: object) -> None:
        assert len(_files(review.store.root)) == len(files) + 1  # the new file was written
        raise RuntimeError("commit failed")

    with pytest.raises(RuntimeError, match="commit failed"), review.session() as session:
        report = _import(review, session, data)
        assert report.documents_added == 2
        event.listen(session, "before_commit", boom, once=True)
    assert (_counts(review), _files(review.store.root)) == (before, files)
    with review.session() as session:
        document = session.get(DocumentRow, review.document_id)
        assert document is not None and review.store.get(document.sha256) == TEXT.encode("utf-8")
