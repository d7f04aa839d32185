import realreview


def test_public_api_is_exactly_all() -> None:
    public = {name for name in dir(realreview) if not name.startswith("_")}
    assert set(realreview.__all__) <= public
    for name in realreview.__all__:
        assert getattr(realreview, name) is not None
