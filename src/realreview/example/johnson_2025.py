"""The worked example: the realist review of quality improvement and inequalities, as its paper reports it.

Source: Johnson LL, Wong G, Kuhn I, Martin GP, Kapilashrami A, Lennox L, Bell Black G, Hill M,
Swiers R, Mahmood H, Jones L, Beng J, Ford J. A realist review of how, why, for whom and in which
contexts quality improvement in healthcare impacts inequalities. BMJ Qual Saf 2025;34:537-546,
doi:10.1136/bmjqs-2024-017386, open access under CC BY 4.0. Its text ships beside this module
(``johnson_2025_paper.txt``, unchanged) and is attached to the example as a document.

Everything here is either a fact or figure the paper states, or the paper's content written in our
own words (the question, the criteria, the CMOCs); nothing is added that the paper does not say.
Where the paper gives only totals (countries, settings, PROGRESS-Plus groups), they are kept as
totals (:data:`REPORTED`), not spread over documents; where it does not say something (the hits of
each database, the search date, which CMOCs are the five that may worsen inequalities), the example
leaves it open and says so.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CITATION",
    "CLUSTERS",
    "CMOCS",
    "DATABASES",
    "EXCLUSION",
    "INCLUSION",
    "PRISMA",
    "QUESTION",
    "RAMESES",
    "REPORTED",
    "TITLE",
    "Cluster",
    "Cmoc",
]

CITATION = (
    "Johnson LL, Wong G, Kuhn I, et al. A realist review of how, why, for whom and in which contexts "
    "quality improvement in healthcare impacts inequalities. BMJ Qual Saf 2025;34:537-546. "
    "doi:10.1136/bmjqs-2024-017386 (CC BY 4.0)"
)
SHORT = "Johnson et al. 2025"
TITLE = "Worked example: a realist review of quality improvement and health inequalities (Johnson et al. 2025)"
QUESTION = (
    "Why, how, for whom and in which contexts do quality improvement approaches in healthcare "
    "organisations widen, narrow or leave unchanged health and care inequalities?"
)
PROTOCOL = "PROSPERO CRD42023381062"
FUNDING = "NIHR Advanced Fellowship NIHR302523"

#: Table 1 of the paper, in our words.
INCLUSION = (
    "Describes or evaluates a quality improvement project or initiative in a healthcare setting",
    "Reports the project's effect on the gap between PROGRESS-Plus groups, or concerns a specific "
    "disadvantaged group (such as people on low incomes or from minority ethnic groups) or an "
    "inclusion health group (such as people experiencing homelessness)",
    "Any study design",
    "Any clinical topic and any healthcare setting",
)
EXCLUSION = (
    "Concerns a specific disadvantaged or inclusion health group without examining the inequality gap",
    "Carried out in a low-income or middle-income country (OECD definition)",
    "Not published in English",
    "A protocol, editorial, conference proceeding or opinion piece",
    "Published before 2000",
)
#: Table 2 of the paper (PROGRESS-Plus), in our words: the tag vocabulary the screening used.
PROGRESS_PLUS = (
    "Place of residence",
    "Race, ethnicity, culture or language",
    "Occupation",
    "Gender or sex",
    "Religion",
    "Education",
    "Socioeconomic status",
    "Social capital",
    "Plus: personal characteristics linked to discrimination (such as age or disability)",
    "Plus: features of relationships (such as parents who smoke, exclusion from school)",
    "Plus: time-dependent circumstances (such as leaving hospital or respite care)",
)
EQUITY_APPROACH = ("Gap", "Targeted")

#: The six databases (the paper gives neither the hits of each nor the date each was run).
DATABASES = ("MEDLINE", "Embase", "CINAHL", "PsycINFO", "Web of Science", "Scopus")
SEARCH_QUERY = (
    "Quality improvement studies reporting health or care inequalities, published January 2000 to "
    "January 2023. The full search terms are in the paper's online supplemental appendix 1 (not "
    "reproduced here); the paper reports the total identified (9,859), not each database's hits."
)

#: The flow of figure 1 and the results' first paragraph, entered as counts (the records are not here).
PRISMA = {
    "database_results": "9859",
    "database_specific_results": "-",
    "duplicates": "3600",
    "records_screened": "6259",
    "records_excluded": "6212",
    "dbr_sought_reports": "47",
    "dbr_notretrieved_reports": "0",
    "dbr_assessed": "47",
    "dbr_excluded": "Reasons not given in the paper's text, 11",
    "new_studies": "36",
    "new_reports": "36",
}

#: Totals the results report without per-document values: topic -> (label, n) in the paper's order.
REPORTED: dict[str, tuple[tuple[str, int], ...]] = {
    "Country": (("USA", 29), ("UK", 5), ("Ireland", 1), ("Sweden", 1)),
    "Equity approach": (("Gap", 22), ("Targeted", 14)),
    "Care setting": (
        ("Primary care", 12),
        ("Secondary care", 20),
        ("Tertiary care", 1),
        ("Community care", 3),
    ),
    "PROGRESS-Plus group": (
        ("Race, ethnicity, culture or language", 23),
        ("Socioeconomic status", 6),
        ("Gender", 6),
        ("Plus", 11),
    ),
    "Publication year": (("After 2010", 34),),
    "CMOCs by direction": (("May reduce inequalities", 15), ("May worsen inequalities", 5)),
}


@dataclass(frozen=True, slots=True)
class Cluster:
    """A cluster of table 3, with what the results say it covers (our words)."""

    key: str
    title: str
    description: str
    subthemes: tuple[str, ...] = ()


CLUSTERS = (
    Cluster(
        "values",
        "Values and understanding",
        "The moral commitments of QI staff and leaders, and how they understand quality, equity and "
        "the social determinants of health, shape whether a project considers inequalities.",
    ),
    Cluster(
        "resources",
        "Resources",
        "The practical and tangible means for equity-focused QI: staff time, workload and capability, "
        "and multilingual, culturally competent resources.",
    ),
    Cluster(
        "data",
        "Data",
        "Qualitative and quantitative data, disaggregated by group, to see need, follow progress and "
        "judge equity impact; and the electronic records that help or hinder this.",
    ),
    Cluster(
        "design",
        "Design",
        "Who takes part in designing a project (communities, service users, multidisciplinary staff) "
        "and how much a project asks of patients.",
    ),
)


@dataclass(frozen=True, slots=True)
class Cmoc:
    """One CMOC of table 3 in our words, the references the results cite for it, and its passages.

    ``direction`` is "reduces" where the CMOC plainly describes QI that can narrow inequalities; the
    paper counts 15 reducing and 5 that may worsen them without saying which are which, so the rest
    stay "unclear". ``passages`` are (first words, last words) of the paper's own sentences about the
    CMOC, found in its text; ``references`` are the numbers of the included documents cited there.
    """

    label: str
    cluster: str
    context: str
    mechanism: str
    outcome: str
    references: tuple[int, ...]
    passages: tuple[tuple[str, str], ...]
    direction: str = "reduces"
    subtheme: str | None = None
    code: str = ""


def _span(first: int, last: int) -> tuple[int, ...]:
    return tuple(range(first, last + 1))


_VALUES_CITED = _span(23, 33)
_CULTURE_CITED = (24, 26, 27, *_span(34, 38))
_DATA_CITED = (23, 26, 27, 32, 35, 37, *_span(39, 43))
_DESIGN_CITED = (31, 38, 40, *_span(45, 49))
_MORAL = (("CMOCs 1A and 1B describe the moral imperatives", "outcomes.^{23–33}"),)
_CULTURE = (
    ("More generally, when there is a drive", "equity considerations within QI."),
    ("of health equity can be built into the culture", "^{24 26 27 34–38}"),
)
_DISAGGREGATED = (("Furthermore, we found that using disaggregated data", "^{23 26 27 32 35 37 39–43}"),)
_RECORDS = (("Conversely, the effective use of data can be hindered", "missing from the record.⁴⁴"),)
_MULTILINGUAL = (("The second subcluster relates to the provision", "probability of mental wellness."),)

CMOCS = (
    Cmoc(
        "1A",
        "values",
        "those developing a QI project speak up for equity and know how inequity affects health outcomes",
        "they hold equity to be a core part of quality improvement",
        "an ethical commitment to equity is built into the project",
        _VALUES_CITED,
        _MORAL,
        code="Equity as part of quality",
    ),
    Cmoc(
        "1B",
        "values",
        "developers share a felt, collective resolve to tackle present and historical racial injustice "
        "in healthcare",
        "they see an ethical duty to act on it",
        "projects are designed and delivered to address those injustices",
        _VALUES_CITED,
        _MORAL,
        code="Resolve to address racial injustice",
    ),
    Cmoc(
        "2",
        "values",
        "staff question whether it is ethical to aim a QI intervention at particular disadvantaged "
        "groups rather than at everyone who needs care",
        "they are uneasy about framing the problem around equity rather than equality",
        "equity-focused QI becomes harder to carry out",
        (24,),
        (("Within the data there were tensions", "proportionate to need."),),
        direction="unclear",
        code="Equality versus equity",
    ),
    Cmoc(
        "3",
        "values",
        "staff developing QI share an understanding of the wider determinants of health",
        "they are committed to social medicine",
        "they design projects with fewer barriers to access for disadvantaged patients",
        _CULTURE_CITED,
        _CULTURE,
        code="Wider determinants of health",
    ),
    Cmoc(
        "4",
        "values",
        "QI staff work in an organisation that acts on implicit bias",
        "they become more aware of their own biases and of how bias feeds the root causes of disparities",
        "they are more likely to create equity-focused QI projects",
        _CULTURE_CITED,
        _CULTURE,
        code="Addressing implicit bias",
    ),
    Cmoc(
        "5",
        "resources",
        "staff are given time, training and resources to address inequalities in their projects",
        "they feel able to do so",
        "they are more likely to take health equity into account",
        (),
        (("CMOC 5 details the time, training and resources", "inequalities in QI."),),
        code="Time, training and resources",
    ),
    Cmoc(
        "6",
        "resources",
        "staff given time-consuming QI work also carry heavy workloads and administrative duties",
        "they have little capacity or bandwidth left to engage with the project",
        "QI is done in whatever way is quickest",
        (39,),
        (
            ("CMOC 6 describes the competing job responsibilities", "reduced capacity to"),
            ("For example, in a QI project focused on improving care gaps", "adequate follow-up.³⁹"),
        ),
        direction="unclear",
        code="Competing workload",
    ),
    Cmoc(
        "7A",
        "resources",
        "patients from minority ethnic groups are offered good multilingual, culturally competent "
        "resources and services",
        "they feel respected and supported",
        "they are more likely to feel confident in the service",
        (40,),
        _MULTILINGUAL,
        code="Multilingual, culturally competent resources",
    ),
    Cmoc(
        "7B",
        "resources",
        "staff are trained well enough to serve patients from minority ethnic groups",
        "they feel confident",
        "they are more likely to give high-quality, equitable care",
        (40,),
        _MULTILINGUAL,
        code="Training for culturally competent care",
    ),
    Cmoc(
        "8",
        "resources",
        "staff lack the training, experience and exposure to understand the particular needs of diverse "
        "groups",
        "they are not aware that equity-focused QI needs designing and delivering",
        "QI is built around a preconceived 'average' patient",
        (25,),
        (("When staff lack training, experience and exposure", "to the needs of African Americans."),),
        direction="unclear",
        code="Designing for the average patient",
    ),
    Cmoc(
        "9",
        "data",
        "the organisation running QI habitually listens to, gathers, analyses and acts on what diverse "
        "staff and patients say about the project",
        "it gains a wide range of knowledge",
        "it understands the project's impact better",
        (25,),
        (("*et al* used a mixed-methods approach", "impactful on the health of the overall sample."),),
        code="Listening to diverse experience",
    ),
    Cmoc(
        "10A",
        "data",
        "project developers can use disaggregated, granular data to identify the needs of particular "
        "people and communities",
        "they understand the needs of the population they serve better",
        "they are better able to make sure the QI is equity-focused",
        _DATA_CITED,
        _DISAGGREGATED,
        code="Disaggregated data to identify need",
    ),
    Cmoc(
        "10B",
        "data",
        "project developers can use disaggregated, granular data to monitor how an equity-focused "
        "project is progressing",
        "they understand the project's impacts better",
        "they are better able to make sure the QI is equity-focused",
        _DATA_CITED,
        _DISAGGREGATED,
        code="Disaggregated data to monitor progress",
    ),
    Cmoc(
        "10C",
        "data",
        "project developers can use disaggregated, granular data to see the impact on particular people",
        "they have a fuller picture of the impact",
        "they are better able to judge the project's effect on health equity",
        _DATA_CITED,
        _DISAGGREGATED,
        code="Disaggregated data to assess equity impact",
    ),
    Cmoc(
        "11A",
        "data",
        "patients' electronic records are incomplete",
        "staff struggle to find the right patient data and to reach the patients in greatest need",
        "equity-focused QI is harder to carry out",
        (44,),
        _RECORDS,
        direction="unclear",
        code="Incomplete electronic records",
    ),
    Cmoc(
        "11B",
        "data",
        "patients' electronic records are hard to combine and analyse",
        "staff find it hard to tell which people and groups need particular services",
        "equity-focused QI is harder to carry out",
        (44,),
        _RECORDS,
        direction="unclear",
        code="Records hard to combine",
    ),
    Cmoc(
        "12",
        "design",
        "a project includes the communities it serves with care, and gives service users' views equal weight",
        "it takes the community's perspective on board",
        "knowledge, goals and services are created together and rooted in the community's lived experience",
        _DESIGN_CITED,
        (("Data suggest that QI should engage with a broad range", "collaboration’.⁴⁶"),),
        code="Representing communities",
    ),
    Cmoc(
        "13",
        "design",
        "a project involves staff from several disciplines as equal partners in its design",
        "a rich understanding of patients' many-sided needs goes into the design",
        "the initiative takes a broad, inclusive approach",
        (48, 34, 24, 27, 38, 39, 42),
        (("Moreover, we observed the importance of multidisciplinary", "^{24 27 38 39 42}"),),
        code="Multidisciplinary design",
    ),
    Cmoc(
        "14",
        "design",
        "co-creation is part of the hospital's ethos and the target patient groups and their "
        "representatives are closely involved",
        "mutual respect makes it more likely that the target group's voices are heard",
        "projects are more likely to have an equity focus",
        (48,),
        (("When QI projects engage with a diverse range of patient groups", "the intervention.⁴⁸"),),
        code="Ethos of co-creation",
    ),
    Cmoc(
        "15",
        "design",
        "an initiative is designed so that patients must bring much agency, effort and engagement to "
        "benefit from it",
        "those in greatest need most often lack the resources to take part",
        "those with the highest needs and greatest challenges are the least likely to benefit",
        (39,),
        (("Data suggest that if QI projects require patient engagement", "at short notice.³⁹"),),
        direction="unclear",
        code="Demands on patient agency",
    ),
)

#: Where the paper reports each RAMESES item (Wong et al. 2013), and what it leaves out.
RAMESES: dict[int, tuple[str, str]] = {
    1: ("Title", "Names the review as a realist review."),
    2: ("Abstract", "Structured: introduction, aims and objectives, methods, results, conclusions."),
    3: ("Introduction", "Equity as a domain of quality; QI that ignores it can widen inequalities."),
    4: ("Introduction, last paragraph", "Why, how, for whom and in which contexts QI changes inequalities."),
    5: (
        "Methods",
        "The initial programme theory was refined iteratively; protocol changes are not reported.",
    ),
    6: (
        "Methods, first paragraph",
        "Realist review explains how and why rather than giving a yes/no verdict.",
    ),
    7: (
        "Methods",
        "Initial programme theory from the literature behind the funding bid and an expert-panel workshop.",
    ),
    8: ("Methods; online supplemental appendix 1", "Six databases, January 2000 to January 2023."),
    9: (
        "Methods; table 1; table 2",
        "One reviewer screened in Rayyan, a second a random 10%; relevance and rigour at full text.",
    ),
    10: ("Methods", "Characteristics in Excel; coding in NVivo 12 with parent and child codes."),
    11: ("Methods", "Interpretive cross-case comparison; questions on relevance, rigour and meaning."),
    12: ("Figure 1", "PRISMA flow diagram."),
    13: (
        "Results, overview of included documents; online supplemental tables 1, 2, 4 and 5",
        "Country, setting, equity approach and PROGRESS-Plus groups as totals.",
    ),
    14: ("Results; table 3; figure 2", "Four clusters, 20 CMOCs and the programme theory diagram."),
    15: ("Discussion, statement of principal findings", ""),
    16: (
        "Discussion, strengths and weaknesses; implications for future research",
        "Short-term outcomes only; mostly US studies; QI often unpublished or not labelled as QI.",
    ),
    17: ("Discussion, comparison with existing literature", "Hirschhorn et al. and Lion et al."),
    18: ("Conclusion; implications for policy, practice and future research", ""),
    19: ("Funding statement", f"{FUNDING}."),
}

#: The people of the example: the first author screened everything, the last author the 10% sample.
PEOPLE = (
    ("llj@example.org", "Lucy Lara Johnson (LLJ)"),
    ("jf@example.org", "John Ford (JF)"),
)
