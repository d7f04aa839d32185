"""Tag vocabularies a review starts with; each review keeps its own editable copy.

PROGRESS-Plus (O'Neill et al. 2014, J Clin Epidemiol 67:56-64; Cochrane Equity Methods Group) names
the characteristics across which health inequities arise; the equity approach says how an
intervention addresses them (closing a gap, targeting a disadvantaged group, or a gradient).
"""

from __future__ import annotations

__all__ = ["EQUITY_APPROACHES", "PROGRESS_PLUS"]

PROGRESS_PLUS: tuple[str, ...] = (
    "Place of residence",
    "Race, ethnicity, culture, language",
    "Occupation",
    "Gender, sex",
    "Religion",
    "Education",
    "Socioeconomic status",
    "Social capital",
    "Plus: age",
    "Plus: disability",
    "Plus: sexual orientation",
    "Plus: other personal characteristics associated with discrimination",
    "Plus: features of relationships",
    "Plus: time-dependent relationships",
)

EQUITY_APPROACHES: tuple[str, ...] = ("gap", "targeted", "gradient", "none")
