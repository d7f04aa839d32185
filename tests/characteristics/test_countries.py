from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from realreview.characteristics import country_names, normalise_country
from realreview.characteristics.countries import _ALIASES, _TABLE, _key


def test_every_iso_3166_1_entry_is_listed_once() -> None:
    lines = _TABLE.splitlines()
    assert len(lines) == 250  # 249 ISO 3166-1 entries plus Kosovo
    alpha2 = [line.split("|")[0] for line in lines]
    alpha3 = [line.split("|")[1] for line in lines]
    assert len(set(alpha2)) == len(set(alpha3)) == len(set(country_names())) == 250
    assert set(_ALIASES) <= set(alpha2)
    assert list(country_names()) == sorted(country_names())


def test_every_canonical_name_normalises_to_itself() -> None:
    for name in country_names():
        assert normalise_country(name) == name
        assert normalise_country(name.upper()) == name
        assert normalise_country(f"  {name.lower()} ") == name


def test_no_alias_names_two_countries() -> None:
    owners: dict[str, str] = {}
    for line in _TABLE.splitlines():
        alpha2, _, name, iso = line.split("|")
        for alias in (name, *filter(None, iso.split(";")), *_ALIASES.get(alpha2, ())):
            assert owners.setdefault(_key(alias), name) == name, alias


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("UK", "United Kingdom"),
        ("U.K.", "United Kingdom"),
        ("Great Britain", "United Kingdom"),
        ("England", "United Kingdom"),
        ("Scotland", "United Kingdom"),
        ("Wales", "United Kingdom"),
        ("Northern Ireland", "United Kingdom"),
        ("United Kingdom of Great Britain and Northern Ireland", "United Kingdom"),
        ("GB", "United Kingdom"),
        ("USA", "United States"),
        ("US", "United States"),
        ("U.S.A.", "United States"),
        ("United States of America", "United States"),
        ("Korea, Republic of", "South Korea"),
        ("Republic of Korea", "South Korea"),
        ("Korea, Democratic People's Republic of", "North Korea"),
        ("Iran, Islamic Republic of", "Iran"),
        ("Russian Federation", "Russia"),
        ("Viet Nam", "Vietnam"),
        ("Czech Republic", "Czechia"),
        ("Turkey", "Türkiye"),
        ("Turkiye", "Türkiye"),
        ("The Netherlands", "Netherlands"),
        ("Holland", "Netherlands"),
        ("the Gambia", "Gambia"),
        ("Cote d'Ivoire", "Côte d'Ivoire"),
        ("Côte d’Ivoire", "Côte d'Ivoire"),
        ("Ivory Coast", "Côte d'Ivoire"),
        ("DRC", "Democratic Republic of the Congo"),
        ("Congo, The Democratic Republic of the", "Democratic Republic of the Congo"),
        ("Congo", "Congo"),
        ("Republic of the Congo", "Congo"),
        ("St Kitts & Nevis", "Saint Kitts and Nevis"),
        ("St. Lucia", "Saint Lucia"),
        ("Trinidad & Tobago", "Trinidad and Tobago"),
        ("Swaziland", "Eswatini"),
        ("Macedonia", "North Macedonia"),
        ("Burma", "Myanmar"),
        ("Tanzania, United Republic of", "Tanzania"),
        ("Taiwan, Province of China", "Taiwan"),
        ("Hong Kong SAR", "Hong Kong"),
        ("Kosovo", "Kosovo"),
        ("DEU", "Germany"),
        ("IN", "India"),
    ],
)
def test_aliases(text: str, expected: str) -> None:
    assert normalise_country(text) == expected


@pytest.mark.parametrize(
    "text", ["", "   ", "in", "deu", "Atlantis", "Europe", "Korea, Republic", "中国", "!!"]
)
def test_unknown_or_lower_case_codes_are_none(text: str) -> None:
    assert normalise_country(text) is None


@given(st.text(max_size=30))
def test_normalise_country_is_total_and_idempotent(text: str) -> None:
    name = normalise_country(text)
    assert name is None or (name in country_names() and normalise_country(name) == name)
