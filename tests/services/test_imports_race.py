"""Two imports of the same file at the same moment: the loser gets one clear error (issue #11)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from realreview import services
from realreview.errors import DuplicateImportError
from realreview.storage import queries
from realreview.storage.models import ImportFileRow, RecordRow

RIS = "TY  - JOUR\nTI  - Record {n}\nAU  - Doe, Jane\nPY  - 2020\nER  - \n"


@pytest.fixture
def review(database_url: str):  # type: ignore[no-untyped-def]
    factory = services.connect(database_url)
    with services.transaction(factory) as session:
        created = services.create_review(session, title="Race", actor="tester")
    yield factory, created.id
    factory.close()


def _file(tmp_path: Path) -> Path:
    path = tmp_path / "same.ris"
    path.write_text("".join(RIS.format(n=n) for n in range(50)), encoding="utf-8")
    return path


def _import(factory, review_id: int, path: Path):  # type: ignore[no-untyped-def]
    with services.transaction(factory) as session:
        ctx = services.trusted_context(session, review_id=review_id, actor="tester")
        return services.import_export(session, ctx, path=path, max_bytes=1 << 30)


def _counts(factory) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with factory.unit_of_work() as session:
        files = session.scalar(select(func.count()).select_from(ImportFileRow)) or 0
        records = session.scalar(select(func.count()).select_from(RecordRow)) or 0
    return files, records


def test_the_unique_constraint_of_a_lost_race_is_a_duplicate_import_error(
    review, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The loser checked before the winner committed; its insert then meets the winner's row."""
    factory, review_id = review
    path = _file(tmp_path)
    _import(factory, review_id, path)
    monkeypatch.setattr(queries, "find_import_by_sha", lambda *_args, **_kwargs: None)
    with pytest.raises(DuplicateImportError, match="by another import at this moment") as raised:
        _import(factory, review_id, path)
    assert str(raised.value) == (
        f"{path}: being imported into review {review_id} by another import at this moment "
        "(same SHA-256); nothing imported"
    )
    assert _counts(factory) == (1, 50)


def test_two_threads_importing_one_file_store_it_once(
    review, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both threads pass the duplicate check together where the database lets them (PostgreSQL)."""
    factory, review_id = review
    path = _file(tmp_path)
    barrier = threading.Barrier(2, timeout=3)
    check = queries.find_import_by_sha

    def check_together(*args: object, **kwargs: object) -> object:
        found = check(*args, **kwargs)  # type: ignore[arg-type]
        try:
            barrier.wait()  # on SQLite the second writer waits for the first: the barrier breaks
        except threading.BrokenBarrierError:
            pass
        return found

    monkeypatch.setattr(queries, "find_import_by_sha", check_together)
    outcomes: list[object] = []

    def attempt() -> None:
        try:
            outcomes.append(_import(factory, review_id, path).records)
        except Exception as error:  # noqa: BLE001 - the test sorts what each thread got
            outcomes.append(error)

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(outcomes) == 2
    assert 50 in outcomes
    (lost,) = [outcome for outcome in outcomes if outcome != 50]
    assert isinstance(lost, DuplicateImportError), repr(lost)
    if database_url.startswith("postgresql"):  # both passed the check; the constraint decided
        assert "by another import at this moment" in str(lost)
    assert _counts(factory) == (1, 50)
