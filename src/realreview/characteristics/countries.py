"""Country names: the ISO 3166-1 English short names, and the aliases study reports use.

A study's country is stored under one canonical name, so that "UK", "England" and "United Kingdom of
Great Britain and Northern Ireland" count as one country in the review's summary table. The names are
the ISO 3166-1 English short names (249 entries, as in the ``iso-codes`` 4.15 data), written the way a
paper would (``"South Korea"`` for ISO's ``"Korea, Republic of"``, ``"Russia"``, ``"Vietnam"``); the
ISO forms and the official names stay as aliases. Kosovo, which ISO 3166-1 does not list (its ``XK``
code is user-assigned), is added because health studies are run there.

England, Scotland, Wales and Northern Ireland map to ``"United Kingdom"``: an ISO 3166-1 value is a
state, and an equity summary counts states. A review that compares the four nations should record the
nation in a field of its own (a text or choice field).

Matching ignores case, accents, punctuation and a leading "the"; ``"St"`` reads as ``"Saint"`` and
``"&"`` as ``"and"``. Two- and three-letter ISO codes match only when written in capitals
(``"DE"``, ``"DEU"``), so that a word such as "in" is never read as India.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

__all__ = ["country_names", "normalise_country"]

# alpha-2 | alpha-3 | canonical short name | ISO 3166-1 name and official name where they differ
_TABLE = """\
AF|AFG|Afghanistan|Islamic Republic of Afghanistan
AL|ALB|Albania|Republic of Albania
DZ|DZA|Algeria|People's Democratic Republic of Algeria
AS|ASM|American Samoa|
AD|AND|Andorra|Principality of Andorra
AO|AGO|Angola|Republic of Angola
AI|AIA|Anguilla|
AQ|ATA|Antarctica|
AG|ATG|Antigua and Barbuda|
AR|ARG|Argentina|Argentine Republic
AM|ARM|Armenia|Republic of Armenia
AW|ABW|Aruba|
AU|AUS|Australia|
AT|AUT|Austria|Republic of Austria
AZ|AZE|Azerbaijan|Republic of Azerbaijan
BS|BHS|Bahamas|Commonwealth of the Bahamas
BH|BHR|Bahrain|Kingdom of Bahrain
BD|BGD|Bangladesh|People's Republic of Bangladesh
BB|BRB|Barbados|
BY|BLR|Belarus|Republic of Belarus
BE|BEL|Belgium|Kingdom of Belgium
BZ|BLZ|Belize|
BJ|BEN|Benin|Republic of Benin
BM|BMU|Bermuda|
BT|BTN|Bhutan|Kingdom of Bhutan
BO|BOL|Bolivia|Bolivia, Plurinational State of;Plurinational State of Bolivia
BQ|BES|Bonaire, Sint Eustatius and Saba|
BA|BIH|Bosnia and Herzegovina|Republic of Bosnia and Herzegovina
BW|BWA|Botswana|Republic of Botswana
BV|BVT|Bouvet Island|
BR|BRA|Brazil|Federative Republic of Brazil
IO|IOT|British Indian Ocean Territory|
VG|VGB|British Virgin Islands|Virgin Islands, British
BN|BRN|Brunei|Brunei Darussalam
BG|BGR|Bulgaria|Republic of Bulgaria
BF|BFA|Burkina Faso|
BI|BDI|Burundi|Republic of Burundi
CV|CPV|Cabo Verde|Republic of Cabo Verde
KH|KHM|Cambodia|Kingdom of Cambodia
CM|CMR|Cameroon|Republic of Cameroon
CA|CAN|Canada|
KY|CYM|Cayman Islands|
CF|CAF|Central African Republic|
TD|TCD|Chad|Republic of Chad
CL|CHL|Chile|Republic of Chile
CN|CHN|China|People's Republic of China
CX|CXR|Christmas Island|
CC|CCK|Cocos (Keeling) Islands|
CO|COL|Colombia|Republic of Colombia
KM|COM|Comoros|Union of the Comoros
CG|COG|Congo|Republic of the Congo
CK|COK|Cook Islands|
CR|CRI|Costa Rica|Republic of Costa Rica
HR|HRV|Croatia|Republic of Croatia
CU|CUB|Cuba|Republic of Cuba
CW|CUW|Curaçao|
CY|CYP|Cyprus|Republic of Cyprus
CZ|CZE|Czechia|Czech Republic
CI|CIV|Côte d'Ivoire|Republic of Côte d'Ivoire
CD|COD|Democratic Republic of the Congo|Congo, The Democratic Republic of the
DK|DNK|Denmark|Kingdom of Denmark
DJ|DJI|Djibouti|Republic of Djibouti
DM|DMA|Dominica|Commonwealth of Dominica
DO|DOM|Dominican Republic|
EC|ECU|Ecuador|Republic of Ecuador
EG|EGY|Egypt|Arab Republic of Egypt
SV|SLV|El Salvador|Republic of El Salvador
GQ|GNQ|Equatorial Guinea|Republic of Equatorial Guinea
ER|ERI|Eritrea|the State of Eritrea
EE|EST|Estonia|Republic of Estonia
SZ|SWZ|Eswatini|Kingdom of Eswatini
ET|ETH|Ethiopia|Federal Democratic Republic of Ethiopia
FK|FLK|Falkland Islands|Falkland Islands (Malvinas)
FO|FRO|Faroe Islands|
FJ|FJI|Fiji|Republic of Fiji
FI|FIN|Finland|Republic of Finland
FR|FRA|France|French Republic
GF|GUF|French Guiana|
PF|PYF|French Polynesia|
TF|ATF|French Southern Territories|
GA|GAB|Gabon|Gabonese Republic
GM|GMB|Gambia|Republic of the Gambia
GE|GEO|Georgia|
DE|DEU|Germany|Federal Republic of Germany
GH|GHA|Ghana|Republic of Ghana
GI|GIB|Gibraltar|
GR|GRC|Greece|Hellenic Republic
GL|GRL|Greenland|
GD|GRD|Grenada|
GP|GLP|Guadeloupe|
GU|GUM|Guam|
GT|GTM|Guatemala|Republic of Guatemala
GG|GGY|Guernsey|
GN|GIN|Guinea|Republic of Guinea
GW|GNB|Guinea-Bissau|Republic of Guinea-Bissau
GY|GUY|Guyana|Republic of Guyana
HT|HTI|Haiti|Republic of Haiti
HM|HMD|Heard Island and McDonald Islands|
VA|VAT|Holy See|Holy See (Vatican City State)
HN|HND|Honduras|Republic of Honduras
HK|HKG|Hong Kong|Hong Kong Special Administrative Region of China
HU|HUN|Hungary|
IS|ISL|Iceland|Republic of Iceland
IN|IND|India|Republic of India
ID|IDN|Indonesia|Republic of Indonesia
IR|IRN|Iran|Iran, Islamic Republic of;Islamic Republic of Iran
IQ|IRQ|Iraq|Republic of Iraq
IE|IRL|Ireland|
IM|IMN|Isle of Man|
IL|ISR|Israel|State of Israel
IT|ITA|Italy|Italian Republic
JM|JAM|Jamaica|
JP|JPN|Japan|
JE|JEY|Jersey|
JO|JOR|Jordan|Hashemite Kingdom of Jordan
KZ|KAZ|Kazakhstan|Republic of Kazakhstan
KE|KEN|Kenya|Republic of Kenya
KI|KIR|Kiribati|Republic of Kiribati
XK|XKX|Kosovo|
KW|KWT|Kuwait|State of Kuwait
KG|KGZ|Kyrgyzstan|Kyrgyz Republic
LA|LAO|Laos|Lao People's Democratic Republic
LV|LVA|Latvia|Republic of Latvia
LB|LBN|Lebanon|Lebanese Republic
LS|LSO|Lesotho|Kingdom of Lesotho
LR|LBR|Liberia|Republic of Liberia
LY|LBY|Libya|
LI|LIE|Liechtenstein|Principality of Liechtenstein
LT|LTU|Lithuania|Republic of Lithuania
LU|LUX|Luxembourg|Grand Duchy of Luxembourg
MO|MAC|Macao|Macao Special Administrative Region of China
MG|MDG|Madagascar|Republic of Madagascar
MW|MWI|Malawi|Republic of Malawi
MY|MYS|Malaysia|
MV|MDV|Maldives|Republic of Maldives
ML|MLI|Mali|Republic of Mali
MT|MLT|Malta|Republic of Malta
MH|MHL|Marshall Islands|Republic of the Marshall Islands
MQ|MTQ|Martinique|
MR|MRT|Mauritania|Islamic Republic of Mauritania
MU|MUS|Mauritius|Republic of Mauritius
YT|MYT|Mayotte|
MX|MEX|Mexico|United Mexican States
FM|FSM|Micronesia|Micronesia, Federated States of;Federated States of Micronesia
MD|MDA|Moldova|Moldova, Republic of;Republic of Moldova
MC|MCO|Monaco|Principality of Monaco
MN|MNG|Mongolia|
ME|MNE|Montenegro|
MS|MSR|Montserrat|
MA|MAR|Morocco|Kingdom of Morocco
MZ|MOZ|Mozambique|Republic of Mozambique
MM|MMR|Myanmar|Republic of Myanmar
NA|NAM|Namibia|Republic of Namibia
NR|NRU|Nauru|Republic of Nauru
NP|NPL|Nepal|Federal Democratic Republic of Nepal
NL|NLD|Netherlands|Kingdom of the Netherlands
NC|NCL|New Caledonia|
NZ|NZL|New Zealand|
NI|NIC|Nicaragua|Republic of Nicaragua
NE|NER|Niger|Republic of the Niger
NG|NGA|Nigeria|Federal Republic of Nigeria
NU|NIU|Niue|
NF|NFK|Norfolk Island|
KP|PRK|North Korea|Korea, Democratic People's Republic of;Democratic People's Republic of Korea
MK|MKD|North Macedonia|Republic of North Macedonia
MP|MNP|Northern Mariana Islands|Commonwealth of the Northern Mariana Islands
NO|NOR|Norway|Kingdom of Norway
OM|OMN|Oman|Sultanate of Oman
PK|PAK|Pakistan|Islamic Republic of Pakistan
PW|PLW|Palau|Republic of Palau
PS|PSE|Palestine|Palestine, State of;the State of Palestine
PA|PAN|Panama|Republic of Panama
PG|PNG|Papua New Guinea|Independent State of Papua New Guinea
PY|PRY|Paraguay|Republic of Paraguay
PE|PER|Peru|Republic of Peru
PH|PHL|Philippines|Republic of the Philippines
PN|PCN|Pitcairn|
PL|POL|Poland|Republic of Poland
PT|PRT|Portugal|Portuguese Republic
PR|PRI|Puerto Rico|
QA|QAT|Qatar|State of Qatar
RO|ROU|Romania|
RU|RUS|Russia|Russian Federation
RW|RWA|Rwanda|Rwandese Republic
RE|REU|Réunion|
BL|BLM|Saint Barthélemy|
SH|SHN|Saint Helena, Ascension and Tristan da Cunha|
KN|KNA|Saint Kitts and Nevis|
LC|LCA|Saint Lucia|
MF|MAF|Saint Martin (French part)|
PM|SPM|Saint Pierre and Miquelon|
VC|VCT|Saint Vincent and the Grenadines|
WS|WSM|Samoa|Independent State of Samoa
SM|SMR|San Marino|Republic of San Marino
ST|STP|Sao Tome and Principe|Democratic Republic of Sao Tome and Principe
SA|SAU|Saudi Arabia|Kingdom of Saudi Arabia
SN|SEN|Senegal|Republic of Senegal
RS|SRB|Serbia|Republic of Serbia
SC|SYC|Seychelles|Republic of Seychelles
SL|SLE|Sierra Leone|Republic of Sierra Leone
SG|SGP|Singapore|Republic of Singapore
SX|SXM|Sint Maarten (Dutch part)|
SK|SVK|Slovakia|Slovak Republic
SI|SVN|Slovenia|Republic of Slovenia
SB|SLB|Solomon Islands|
SO|SOM|Somalia|Federal Republic of Somalia
ZA|ZAF|South Africa|Republic of South Africa
GS|SGS|South Georgia and the South Sandwich Islands|
KR|KOR|South Korea|Korea, Republic of
SS|SSD|South Sudan|Republic of South Sudan
ES|ESP|Spain|Kingdom of Spain
LK|LKA|Sri Lanka|Democratic Socialist Republic of Sri Lanka
SD|SDN|Sudan|Republic of the Sudan
SR|SUR|Suriname|Republic of Suriname
SJ|SJM|Svalbard and Jan Mayen|
SE|SWE|Sweden|Kingdom of Sweden
CH|CHE|Switzerland|Swiss Confederation
SY|SYR|Syria|Syrian Arab Republic
TW|TWN|Taiwan|Taiwan, Province of China
TJ|TJK|Tajikistan|Republic of Tajikistan
TZ|TZA|Tanzania|Tanzania, United Republic of;United Republic of Tanzania
TH|THA|Thailand|Kingdom of Thailand
TL|TLS|Timor-Leste|Democratic Republic of Timor-Leste
TG|TGO|Togo|Togolese Republic
TK|TKL|Tokelau|
TO|TON|Tonga|Kingdom of Tonga
TT|TTO|Trinidad and Tobago|Republic of Trinidad and Tobago
TN|TUN|Tunisia|Republic of Tunisia
TM|TKM|Turkmenistan|
TC|TCA|Turks and Caicos Islands|
TV|TUV|Tuvalu|
TR|TUR|Türkiye|Republic of Türkiye
UG|UGA|Uganda|Republic of Uganda
UA|UKR|Ukraine|
AE|ARE|United Arab Emirates|
GB|GBR|United Kingdom|United Kingdom of Great Britain and Northern Ireland
US|USA|United States|United States of America
UM|UMI|United States Minor Outlying Islands|
VI|VIR|United States Virgin Islands|Virgin Islands, U.S.;Virgin Islands of the United States
UY|URY|Uruguay|Eastern Republic of Uruguay
UZ|UZB|Uzbekistan|Republic of Uzbekistan
VU|VUT|Vanuatu|Republic of Vanuatu
VE|VEN|Venezuela|Venezuela, Bolivarian Republic of;Bolivarian Republic of Venezuela
VN|VNM|Vietnam|Viet Nam;Socialist Republic of Viet Nam
WF|WLF|Wallis and Futuna|
EH|ESH|Western Sahara|
YE|YEM|Yemen|Republic of Yemen
ZM|ZMB|Zambia|Republic of Zambia
ZW|ZWE|Zimbabwe|Republic of Zimbabwe
AX|ALA|Åland Islands|
"""

# Names that papers use and ISO does not list; each is a choice made here, checked by the tests.
_ALIASES: dict[str, tuple[str, ...]] = {
    "GB": ("UK", "U.K.", "Great Britain", "Britain", "England", "Scotland", "Wales", "Northern Ireland"),
    "US": ("US", "U.S.", "U.S.A."),
    "KR": ("Korea", "Republic of Korea", "Korea, South"),
    "KP": ("DPRK", "Korea, North"),
    "CN": ("PRC", "Mainland China"),
    "CZ": ("Czech Republic",),
    "TR": ("Turkey",),
    "NL": ("Holland",),
    "MK": ("Macedonia", "Republic of Macedonia", "Former Yugoslav Republic of Macedonia"),
    "SZ": ("Swaziland",),
    "MM": ("Burma",),
    "CI": ("Ivory Coast",),
    "CV": ("Cape Verde",),
    "TL": ("East Timor",),
    "CD": ("DR Congo", "DRC", "Democratic Republic of Congo", "Congo-Kinshasa", "Zaire"),
    "CG": ("Republic of the Congo", "Republic of Congo", "Congo-Brazzaville"),
    "VA": ("Vatican", "Vatican City"),
    "AE": ("UAE",),
    "LA": ("Lao PDR",),
    "PS": ("Occupied Palestinian Territory", "Palestinian Territories"),
    "HK": ("Hong Kong SAR",),
    "MO": ("Macau",),
    "TW": ("Chinese Taipei",),
    "KN": ("Saint Kitts",),
    "VC": ("Saint Vincent",),
    "BA": ("Bosnia",),
    "IE": ("Republic of Ireland",),
    "SH": ("Saint Helena",),
    "VI": ("US Virgin Islands",),
    "PN": ("Pitcairn Islands",),
}


def _key(text: str) -> str:
    """Fold a name to what matching compares: no case, accents, punctuation or leading "the"."""
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    folded = re.sub(r"['\u2019`.]", "", folded.replace("&", " and "))
    words = re.sub(r"[^0-9a-z]+", " ", folded).split()
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join("saint" if word == "st" else word for word in words)


@cache
def _tables() -> tuple[dict[str, str], dict[str, str], tuple[str, ...]]:
    """(folded name -> canonical name, ISO code -> canonical name, canonical names), built on first use."""
    by_key: dict[str, str] = {}
    by_code: dict[str, str] = {}
    names: list[str] = []
    for line in _TABLE.splitlines():
        alpha2, alpha3, name, iso_names = line.split("|")
        names.append(name)
        by_code[alpha2] = by_code[alpha3] = name
        for alias in (name, *filter(None, iso_names.split(";")), *_ALIASES.get(alpha2, ())):
            by_key.setdefault(_key(alias), name)
    return by_key, by_code, tuple(names)


def country_names() -> tuple[str, ...]:
    """Every canonical country name, in alphabetical order (for pick lists).

    >>> len(country_names()), country_names()[:2]
    (250, ('Afghanistan', 'Albania'))
    """
    return _tables()[2]


def normalise_country(text: str) -> str | None:
    """The canonical name of the country ``text`` names, or None when it names none.

    Args:
        text: a country as typed in a paper or a spreadsheet: a name, an alias or an ISO code.

    Returns:
        The canonical short name, or None for an empty or unknown name (the caller decides whether
        that is an error).

    >>> normalise_country("Korea, Republic of"), normalise_country("USA"), normalise_country("Wales")
    ('South Korea', 'United States', 'United Kingdom')
    >>> normalise_country("cote d'ivoire"), normalise_country("St Lucia"), normalise_country("DEU")
    ("Côte d'Ivoire", 'Saint Lucia', 'Germany')
    >>> normalise_country("in") is None, normalise_country("Atlantis") is None
    (True, True)
    """
    by_key, by_code, _ = _tables()
    stripped = text.strip()
    if re.fullmatch(r"[A-Z]{2,3}", stripped) and stripped in by_code:
        return by_code[stripped]
    key = _key(stripped)
    return by_key.get(key) if key else None
