"""Totals a source reports without per-document values: kept as entered, apart from counted data."""

from __future__ import annotations

import pytest
from tests.services.conftest import ANA, OWNER, Review

from realreview import services
from realreview.errors import ForbiddenError, NotFoundError, ValidationError


def test_totals_keep_their_order_are_corrected_and_reach_the_summary(review: Review) -> None:
    with review.session() as session:
        owner = review.ctx(session, OWNER)
        for topic, label, n in (
            ("Country", "USA", 29),
            ("Setting", "Primary care", 12),
            ("Country", "UK", 5),
        ):
            services.enter_reported_figure(session, owner, topic=topic, label=label, value=n, source="paper")
        services.enter_reported_figure(session, owner, topic="Country", label="UK", value=6)  # corrected
        topics = services.reported_figures(session, review.ctx(session, ANA))
        summary = services.export_summary(session, owner)
        page_csv = services.summary_page(session, owner).csv()
    assert [(t.topic, [(f.label, f.value) for f in t.figures]) for t in topics] == [
        ("Country", [("USA", 29), ("UK", 6)]),
        ("Setting", [("Primary care", 12)]),
    ]
    assert topics[0].total == 35
    assert "Country (reported),USA,29\n" in summary and "Country (reported),UK,6\n" in summary
    assert page_csv == summary


def test_bad_totals_are_refused_and_only_owners_enter(review: Review) -> None:
    with review.session() as session:
        owner = review.ctx(session, OWNER)
        with pytest.raises(ValidationError, match="needs a topic"):
            services.enter_reported_figure(session, owner, topic=" ", label="USA", value=1)
        with pytest.raises(ValidationError, match="Country, USA: a reported total is zero or more, not -1"):
            services.enter_reported_figure(session, owner, topic="Country", label="USA", value=-1)
        with pytest.raises(ForbiddenError):
            services.enter_reported_figure(session, review.ctx(session, ANA), topic="C", label="L", value=1)
        with pytest.raises(NotFoundError, match="no reported figure 'Country', 'USA'"):
            services.clear_reported_figure(session, owner, topic="Country", label="USA")
        services.enter_reported_figure(session, owner, topic="Country", label="USA", value=29)
        services.clear_reported_figure(session, owner, topic="Country", label="USA")
        assert services.reported_figures(session, owner) == []
