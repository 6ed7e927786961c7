"""Countries and regions by the names people type: "Deutschland", "Czech Republic", "UK",
"Lombardia", "Upper Bavaria", "München, Kreisfreie Stadt", "DE212".

Country names come from pycountry (ISO 3166-1 names, official and common names, and their translations
in the EU's languages, from the iso-codes project's translation files), plus Eurostat's EL and UK and a
few variants ISO does not list. Region names come from Eurostat's NUTS tables (every NUTS-2 label of
2013-2024, NUTS-3 labels of 2021 standing for their NUTS-2 parent, NUTS-1 labels standing for all
their regions) and a short hand-compiled list of English names; each data file has its source note.
Names are compared after :func:`fold` (case, accents, punctuation, "Prov."/"Region" noise); near
misses get suggestions from rapidfuzz.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from consortium_solver.reference import (
    EUROSTAT_TO_ISO,
    countries,
    read_csv,
    regions,
)

# The languages whose country names are accepted: the EU's 24 official languages and those of the
# other COSME countries of 2018 (iso-codes locale names).
LANGUAGES = [
    "bg",
    "cs",
    "da",
    "de",
    "el",
    "en",
    "es",
    "et",
    "fi",
    "fr",
    "ga",
    "hr",
    "hu",
    "it",
    "lt",
    "lv",
    "mt",
    "nl",
    "pl",
    "pt",
    "ro",
    "sk",
    "sl",
    "sv",
    "is",
    "sq",
    "bs",
    "sr",
    "sr@latin",
    "mk",
    "tr",
    "hy",
    "ro_MD",
    "uk",
    "nb_NO",
    "nn",
]

# Names ISO 3166 does not give but people write (after folding).
COUNTRY_VARIANTS = {
    "uk": "GB",
    "u k": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "united kingdom": "GB",
    "holland": "NL",
    "the netherlands": "NL",
    "czech republic": "CZ",
    "macedonia": "MK",
    "fyrom": "MK",
    "republic of north macedonia": "MK",
    "kosovo": "XK",
    "kosova": "XK",
    "kosovo*": "XK",
    "turkiye": "TR",
    "moldova": "MD",
    "republic of moldova": "MD",
    "bosnia": "BA",
    "bosnia herzegovina": "BA",
    "slovak republic": "SK",
    "hellas": "GR",
    "ellada": "GR",
    "russia": "RU",
}

# Words that carry no meaning in a region's name: administrative kinds in the EU's languages.
_NOISE = re.compile(
    r"\b(prov|province|provincia|provincie|provinz|region|regions|regione|regio|regiao|"
    r"region de|regionen|landkreis|kreisfreie stadt|kreis|arr|arrondissement|county|comunidad|"
    r"comunitat|comunidade|kraj|wojewodztwo|voivodeship|departement|dept|statistical|the|of|"
    r"autonomous|autonoma|autonome|lan|fylke|maakunta|megye|varmegye|judetul|judet|oblast|"
    r"powiat|okres|zupanija|landschaft|voivodship|municipality|kommune)\b"
)


@lru_cache(maxsize=1 << 16)  # a sheet repeats its countries, types and sectors
def fold(text: str) -> str:
    """Text compared without case, accents, punctuation or repeated spaces: "Île-de-France" ->
    "ile de france"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.replace("ß", "ss").replace("ø", "o").replace("æ", "ae").replace("ł", "l")
    plain = plain.replace("đ", "d").replace("ı", "i").replace("œ", "oe")
    return " ".join(re.sub(r"[^\w*]+", " ", plain).replace("_", " ").split())


def _region_key(text: str) -> str:
    """A region name folded, a country code in brackets ("Limburg (NL)") and administrative words
    dropped; other brackets stay: "Frankfurt (Oder)" is not Frankfurt am Main."""
    text = re.sub(r"\(\s*[A-Za-z]{2}\s*\)", " ", text)
    folded = re.sub(r"s lan\b", " lan", fold(text))  # "Värmlands län": Värmland county
    return " ".join(_NOISE.sub(" ", folded).split())


# ------------------------------------------------------------------------------------- countries


@cache
def country_names() -> dict[str, str]:
    """Folded country name, ISO code or variant -> ISO 3166-1 alpha-2 code."""
    import pycountry

    index: dict[str, str] = {}
    english: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        for attr in ("name", "official_name", "common_name"):
            name = getattr(country, attr, None)
            if name:
                english[name] = code
        index[fold(country.alpha_3)] = code
    for language in LANGUAGES:
        try:
            translation = gettext.translation(
                "iso3166-1", pycountry.LOCALES_DIR, languages=[language]
            )
        except OSError:
            continue
        for name, code in english.items():
            translated = translation.gettext(name)
            index.setdefault(fold(translated), code)
    for name, code in english.items():
        index[fold(name)] = code
    for code, name in countries().items():
        index.setdefault(fold(name), code)
        index[fold(code)] = code
    for eurostat, iso in EUROSTAT_TO_ISO.items():
        index[fold(eurostat)] = iso
    index.update(COUNTRY_VARIANTS)
    return index


@cache
def country_name(code: str) -> str:
    """A country's usual English name: "United Kingdom", "Czechia", "Moldova", "Kosovo"."""
    import pycountry

    found = pycountry.countries.get(alpha_2=code)
    if found is None:
        return countries().get(code, code)
    return str(getattr(found, "common_name", None) or found.name)


def find_country(text: str) -> str | None:
    """The ISO code of a country named or coded in ``text``, or None; "Germany (DE)" and
    "DE - Germany" are read too, when both parts agree or one is empty."""
    names = country_names()
    key = fold(text)
    found = names.get(key) or names.get(key.removeprefix("the "))
    if found is not None:
        return found
    parts = [p for p in re.split(r"[()/\-–,]", text) if p.strip()]
    codes = {names.get(fold(p)) for p in parts}
    return codes.pop() if len(parts) > 1 and len(codes) == 1 else None


def country_suggestions(text: str, limit: int = 3) -> list[str]:
    """The closest country names to ``text``, as "Germany (DE)"."""
    from rapidfuzz import fuzz, process

    key = fold(text)
    if len(key) < 4:
        return []  # two or three letters: a code, and any near code is a guess
    names = country_names()
    found = process.extract(
        key, _country_keys(), scorer=fuzz.ratio, score_cutoff=75, limit=limit * 4
    )
    out: list[str] = []
    for match, score, _ in found:
        label = f"{country_name(names[match])} ({names[match]})"
        if score >= found[0][1] - 5 and label not in out:  # the near misses, not the field
            out.append(label)
    return out[:limit]


@cache
def _country_keys() -> list[str]:
    return [k for k in country_names() if len(k) > 3]


# --------------------------------------------------------------------------------------- regions

# Words that tell regions apart rather than misspell them: "West Wales" is not a typo of "East
# Wales", "Niederbayern" not of "Oberbayern". A guess never turns one of these into another.
QUALIFIERS = frozenset(
    [
        "north",
        "south",
        "east",
        "west",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
        "centre",
        "central",
        "middle",
        "mid",
        "upper",
        "lower",
        "inner",
        "outer",
        "greater",
        "lesser",
        "high",
        "low",
        "nord",
        "sud",
        "est",
        "ouest",
        "ost",
        "west",
        "sued",
        "norte",
        "sur",
        "este",
        "oeste",
        "centro",
        "noord",
        "zuid",
        "oost",
        "haute",
        "basse",
        "haut",
        "bas",
        "ober",
        "unter",
        "nieder",
        "mittel",
        "alta",
        "bassa",
        "alto",
        "basso",
        "kozep",
        "del",
        "eszak",
        "nyugat",
        "kelet",
        "jih",
        "sever",
        "zapad",
        "vychod",
        "stred",
        "zahodna",
        "vzhodna",
        "vychodne",
        "zapadne",
        "stredne",
    ]
)
# Compass words written several ways, one way each (compared after folding).
_COMPASS_WORDS = {
    "northern": "north",
    "southern": "south",
    "eastern": "east",
    "western": "west",
    "central": "centre",
    "center": "centre",
}
_COMPASS_JOIN = re.compile(r"\b(north|south) (east|west)\b")
_RANK = {"nuts2": 0, "English": 1, "nuts3": 2, "nuts1": 3}
_HOW = {"nuts2": "NUTS-2 name", "English": "English name", "nuts3": "NUTS-3 name"}
CATEGORY_WORDS = {
    "less_developed": "less developed region",
    "transition": "transition region",
    "more_developed": "more developed region",
}


def _compass(key: str) -> str:
    """ "South Eastern" and "South-East" as "southeast", "Central" as "centre"."""
    words = [_COMPASS_WORDS.get(w, w) for w in key.split()]
    return _COMPASS_JOIN.sub(r"\1\2", " ".join(words))


def region_keys(text: str) -> list[str]:
    """The forms a region's name is compared in: folded, and without its parenthesised notes and
    administrative words ("Prov.", "Region", "Kreisfreie Stadt"), compass words written one way."""
    keys = [_compass(_region_key(text)), _compass(fold(text))]
    return [k for i, k in enumerate(keys) if k and k not in keys[:i]]


@dataclass(frozen=True)
class RegionMatch:
    """What a region's text was understood as: one NUTS-2 code (``codes`` of length 1), several
    (ambiguous), or none; ``how`` says by what ("NUTS-2 code", "English name", "the town
    Debrecen", ...), ``guessed`` whether it was a near miss rather than an exact reading."""

    codes: tuple[str, ...]
    how: str
    guessed: bool = False

    @property
    def code(self) -> str | None:
        return self.codes[0] if len(self.codes) == 1 else None


@cache
def region_names() -> dict[str, dict[str, tuple[tuple[str, ...], str]]]:
    """Region name (as :func:`region_keys` compares it) -> country -> (NUTS-2 codes, what kind of
    name). Within a country NUTS-2 labels win over English names, which win over NUTS-3 names,
    which win over NUTS-1 names; names of several regions of one rank keep them all."""
    known = regions()
    found: dict[str, dict[str, tuple[int, set[str], str]]] = {}

    def add(name: str, codes: list[str], level: str) -> None:
        keys = set(region_keys(name))
        for part in name.split("/"):  # bilingual labels: "Bruxelles-Capitale / Brussels ..."
            keys.update(region_keys(part))
        by_country: dict[str, list[str]] = {}
        for code in codes:
            by_country.setdefault(known[code].country, []).append(code)
        for key in keys:
            for country, mine in by_country.items():
                old = found.setdefault(key, {}).get(country)
                if old is None or _RANK[level] < old[0]:
                    found[key][country] = (_RANK[level], set(mine), _HOW.get(level, "NUTS-1 name"))
                elif _RANK[level] == old[0]:
                    old[1].update(mine)

    for row in read_csv("compiled_region_names.csv"):
        add(row["name"], row["nuts2"].split(";"), row["level"])
    for row in read_csv("region_names_en.csv"):
        add(row["name"], row["nuts2"].split(";"), "English")
    for code, region in known.items():
        add(region.name, [code], "nuts2")
    return {
        key: {country: (tuple(sorted(codes)), how) for country, (_, codes, how) in by.items()}
        for key, by in found.items()
    }


@lru_cache(maxsize=1 << 16)  # a sheet names its places many times over
def find_region(
    text: str, country: str | None, point: tuple[float, float] | None = None
) -> RegionMatch:
    """A NUTS-2 region from a code (NUTS-2, or NUTS-3 for its parent), a region's name, or a town,
    looked up among the regions of ``country`` when it is known; a country with a single NUTS-2
    region resolves to it whatever the text. ``point`` (latitude, longitude) places a town, or an
    empty or unknown text, by the region holding it."""
    known = regions()
    code = text.strip().upper().replace(" ", "")
    if code in known and (country is None or known[code].country == country):
        return RegionMatch((code,), "NUTS-2 code")
    nuts3 = len(code) == 5 and code[:4] in known and code[:2].isalpha() and code[2:].isalnum()
    if nuts3 and (country is None or known[code[:4]].country == country):
        return RegionMatch((code[:4],), "NUTS-3 code")
    in_country = country_regions(country)
    if country is not None and len(in_country) == 1:
        return RegionMatch(in_country, "the country's only NUTS-2 region")
    found = _by_name(text, country) if text.strip() else None
    if found is not None:
        return found
    if point is not None:
        from consortium_solver.reference.towns import region_at

        at = region_at(point[0], point[1], country)
        if at is not None:
            return RegionMatch((at,), f"its coordinates ({point[0]:.4f}, {point[1]:.4f})")
    if not text.strip():
        return RegionMatch((), "no place")
    town = _by_town(text, country)
    if town is not None:
        return town
    return _fuzzy(text, country) or RegionMatch((), "no match")


def _by_name(text: str, country: str | None) -> RegionMatch | None:
    """A region's exact name (after folding), within the country; without a country, a name that
    stands for regions of one country only."""
    names = region_names()
    for key in region_keys(text):
        by_country = names.get(key)
        if not by_country:
            continue
        if country is not None:
            if country in by_country:
                codes, how = by_country[country]
                return RegionMatch(_newest(codes), how)
        elif len(by_country) == 1:
            codes, how = next(iter(by_country.values()))
            return RegionMatch(_newest(codes), how)
        else:
            every = tuple(sorted(c for codes, _ in by_country.values() for c in codes))
            return RegionMatch(every, "a name in several countries")
    return None


def _by_town(text: str, country: str | None) -> RegionMatch | None:
    """The region of a town ("Debrecen", "Naples", "Eindhoven (NL)"), by its main name or another
    name of it. Towns of one name in several regions leave them all as candidates, unless one town
    is twenty times the size of each other and every candidate region is of its category ("Olsztyn",
    not the village of that name in Silesia): then it is taken, as a guess said with a warning."""
    from consortium_solver.reference.towns import find_towns

    head = re.split(r"[,(]", text)[0]
    for key in dict.fromkeys((fold(text), fold(head))):
        if not key:
            continue
        found = [t for t in find_towns(key, country) if t.region is not None]
        codes = tuple(sorted({str(t.region) for t in found}))
        if len(codes) == 1:
            return RegionMatch(codes, f"the town {found[0].name}")
        if codes:
            return _dominant_town(found) or RegionMatch(codes, "a town's name in several regions")
    return None


def _dominant_town(found: list[Any]) -> RegionMatch | None:
    """The one town of a name that dwarfs the others, when no category turns on the choice."""
    known = regions()
    largest = max(found, key=lambda t: t.population)
    others = [t for t in found if t.region != largest.region]
    dwarfed = all(20 * t.population <= largest.population for t in others)
    categories = {known[str(t.region)].category for t in found}
    if not dwarfed or len(categories) != 1:
        return None
    how = f"the largest of {len(found)} towns named {largest.name}"
    return RegionMatch((str(largest.region),), how, guessed=True)


def _newest(codes: tuple[str, ...]) -> tuple[str, ...]:
    """One code for one region: a name listed under codes of several NUTS versions (a renamed
    code) keeps the newest; different regions stay several."""
    known = regions()
    latest = max(max(known[c].versions) for c in codes)
    newest = tuple(c for c in codes if latest in known[c].versions)
    names = {known[c].name for c in codes}
    return newest if len(newest) == 1 or len(names) == 1 else codes


@cache
def country_regions(country: str | None) -> tuple[str, ...]:
    """The NUTS-2 regions of a country in the newest version listing any (2024, else older)."""
    if country is None:
        return ()
    mine = [r for r in regions().values() if r.country == country]
    if not mine:
        return ()
    latest = max(v for r in mine for v in r.versions)
    return tuple(sorted(r.code for r in mine if latest in r.versions))


def _fuzzy(text: str, country: str | None) -> RegionMatch | None:
    """A near miss ("Lombardie", "Oberbayren") read as the region it surely means — within the
    country, and never across categories: the guess is taken only when one region scores 88 or
    more clear of the rest, no word that tells regions apart ("West", "Upper") differs, and no name
    of a region of another category is within two edits more than the guess (an edit: a letter
    added, dropped, changed, or two swapped — optimal string alignment)."""
    from rapidfuzz import fuzz, process
    from rapidfuzz.distance import OSA

    keys = region_keys(text)
    if country is None or not keys or len(keys[0]) < 4:
        return None
    key = keys[0]
    choices = names_in_country(country)
    found = process.extract(key, list(choices), scorer=fuzz.ratio, limit=5)
    if not found or found[0][1] < 88:
        return None
    best = found[0][0]
    codes = _newest(choices[best][0])
    rivals = [
        m for m in found[1:] if m[1] >= found[0][1] - 3 and _newest(choices[m[0]][0]) != codes
    ]
    if rivals or len(codes) != 1 or _qualifier_changed(key, best):
        return None
    distance = OSA.distance(key, best)
    confusable = process.extractOne(
        key,
        _other_category_keys(country, regions()[codes[0]].category),
        scorer=OSA.distance,
        score_cutoff=distance + 2,
    )
    if confusable is not None:
        return None
    return RegionMatch(codes, f"near match of {choices[best][1]}", guessed=True)


def _qualifier_changed(typed: str, name: str) -> bool:
    """Whether the words that differ between two names include one that tells regions apart."""
    differing = set(typed.split()) ^ set(name.split())
    return any(word in QUALIFIERS for word in differing)


@cache
def names_in_country(country: str | None) -> dict[str, tuple[tuple[str, ...], str]]:
    """Every region name of a country (of every country when None) -> (codes, kind of name)."""
    out: dict[str, tuple[tuple[str, ...], str]] = {}
    for key, by_country in region_names().items():
        if country is not None:
            if country in by_country:
                out[key] = by_country[country]
        else:
            codes = tuple(sorted(c for cs, _ in by_country.values() for c in cs))
            out[key] = (codes, next(iter(by_country.values()))[1])
    return out


@cache
def _other_category_keys(country: str, category: str | None) -> list[str]:
    """The names in a country of regions whose category is not ``category``."""
    known = regions()
    return [
        key
        for key, (codes, _) in names_in_country(country).items()
        if any(known[c].category != category for c in codes)
    ]


def category_words(code: str) -> str:
    """ "transition region"; "no cohesion-policy category" for a region outside the EU of 2014-2020."""
    category = regions()[code].category
    return CATEGORY_WORDS.get(category or "", "no cohesion-policy category")


def region_label(code: str) -> str:
    """ "Oberbayern (DE21)"."""
    return f"{regions()[code].name} ({code})"


def suggest_regions(text: str, country: str | None, limit: int = 3) -> list[str]:
    """The NUTS-2 codes of the regions closest to ``text`` in ``country``."""
    from rapidfuzz import fuzz, process

    keys = region_keys(text)
    if not keys:
        return []
    choices = names_in_country(country)
    out: list[str] = []
    for match, score, _ in process.extract(keys[0], list(choices), scorer=fuzz.WRatio, limit=12):
        for code in _newest(choices[match][0]):
            if score >= 75 and code not in out:
                out.append(code)
    return out[:limit]


def region_suggestions(text: str, country: str | None, limit: int = 3) -> list[str]:
    """The closest regions to ``text`` in ``country``, as "Oberbayern (DE21)"."""
    return [region_label(code) for code in suggest_regions(text, country, limit)]
