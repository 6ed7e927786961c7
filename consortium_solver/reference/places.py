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
    r"autonomous|autonoma|autonome)\b"
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
    """A region name folded, its parenthesised notes and administrative words dropped."""
    text = re.sub(r"\([^)]*\)", " ", text)
    return " ".join(_NOISE.sub(" ", fold(text)).split())


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


@dataclass(frozen=True)
class RegionMatch:
    """What a region's text was understood as: one NUTS-2 code (``codes`` of length 1), several
    (ambiguous), or none; ``how`` says by what ("NUTS-2 code", "NUTS-3 name", "English name", ...),
    ``guessed`` whether it was a near miss rather than an exact reading."""

    codes: tuple[str, ...]
    how: str
    guessed: bool = False

    @property
    def code(self) -> str | None:
        return self.codes[0] if len(self.codes) == 1 else None


@cache
def region_names() -> dict[str, tuple[tuple[str, ...], str]]:
    """Folded region name -> (NUTS-2 codes, what kind of name). NUTS-2 labels win over NUTS-3 and
    English names, which win over NUTS-1 labels."""
    rank = {"nuts2": 0, "English": 1, "nuts3": 2, "nuts1": 3}
    words = {"nuts2": "NUTS-2 name", "nuts3": "NUTS-3 name", "nuts1": "NUTS-1 name"}
    found: dict[str, tuple[int, set[str], str]] = {}

    def add(name: str, codes: list[str], level: str) -> None:
        keys = {_region_key(name), fold(name)}
        # Bilingual labels: "Bruxelles-Capitale / Brussels Hoofdstedelijk Gewest".
        keys |= {_region_key(part) for part in name.split("/") if part.strip()}
        for key in keys - {""}:
            old = found.get(key)
            if old is None or rank[level] < old[0]:
                found[key] = (rank[level], set(codes), words.get(level, "English name"))
            elif rank[level] == old[0]:
                old[1].update(codes)

    for row in read_csv("compiled_region_names.csv"):
        add(row["name"], row["nuts2"].split(";"), row["level"])
    for row in read_csv("region_exonyms_en.csv"):
        add(row["name"], row["nuts2"].split(";"), "English")
    for code, region in regions().items():
        add(region.name, [code], "nuts2")
    return {key: (tuple(sorted(codes)), how) for key, (_, codes, how) in found.items()}


def find_region(text: str, country: str | None) -> RegionMatch:
    """A NUTS-2 region from a code (NUTS-2, or NUTS-3 for its parent) or a name, within ``country``
    when it is known; a country with a single NUTS-2 region resolves to it whatever the text."""
    known = regions()
    code = text.strip().upper().replace(" ", "")
    if code in known and (country is None or known[code].country == country):
        return RegionMatch((code,), "NUTS-2 code")
    nuts3 = len(code) == 5 and code[:4] in known and code[:2].isalpha() and code[2:].isalnum()
    if nuts3 and (country is None or known[code[:4]].country == country):
        return RegionMatch((code[:4],), "NUTS-3 code")
    in_country = _country_regions(country)
    if country is not None and len(in_country) == 1:
        return RegionMatch(in_country, "the country's only NUTS-2 region")
    entry = region_names().get(_region_key(text)) or region_names().get(fold(text))
    if entry is not None:
        codes = tuple(c for c in entry[0] if country is None or known[c].country == country)
        if codes:
            return RegionMatch(_newest(codes), entry[1])
    guess = _fuzzy(text, country)
    if guess is not None:
        return guess
    return RegionMatch((), "no match")


def _newest(codes: tuple[str, ...]) -> tuple[str, ...]:
    """One code for one region: a name listed under codes of several NUTS versions (a renamed
    code) keeps the newest; different regions stay several."""
    known = regions()
    latest = max(max(known[c].versions) for c in codes)
    newest = tuple(c for c in codes if latest in known[c].versions)
    names = {known[c].name for c in codes}
    return newest if len(newest) == 1 or len(names) == 1 else codes


@cache
def _country_regions(country: str | None) -> tuple[str, ...]:
    """The NUTS-2 regions of a country in the newest version listing any (2024, else older)."""
    if country is None:
        return ()
    mine = [r for r in regions().values() if r.country == country]
    if not mine:
        return ()
    latest = max(v for r in mine for v in r.versions)
    return tuple(sorted(r.code for r in mine if latest in r.versions))


def _fuzzy(text: str, country: str | None) -> RegionMatch | None:
    """A near miss ("Lombardie", "Oberbayren") read as the region it surely means: one region
    scoring 90 or more, clear of the next."""
    from rapidfuzz import fuzz, process

    key = _region_key(text)
    if len(key) < 4:
        return None
    choices = _choices(country)
    found = process.extract(key, list(choices), scorer=fuzz.ratio, limit=3)
    if not found or found[0][1] < 88:
        return None
    best_codes = choices[found[0][0]][0]
    rivals = [m for m in found[1:] if m[1] >= found[0][1] - 3 and choices[m[0]][0] != best_codes]
    if rivals or len(best_codes) != 1:
        return None
    return RegionMatch(best_codes, f"near match of {choices[found[0][0]][1]}", guessed=True)


@cache
def _choices(country: str | None) -> dict[str, tuple[tuple[str, ...], str]]:
    known = regions()
    out: dict[str, tuple[tuple[str, ...], str]] = {}
    for key, (codes, how) in region_names().items():
        mine = tuple(c for c in codes if country is None or known[c].country == country)
        if mine:
            out[key] = (mine, how)
    return out


def region_label(code: str) -> str:
    """ "Oberbayern (DE21)"."""
    return f"{regions()[code].name} ({code})"


def region_suggestions(text: str, country: str | None, limit: int = 3) -> list[str]:
    """The closest regions to ``text`` in ``country``, as "Oberbayern (DE21)"."""
    from rapidfuzz import fuzz, process

    key = _region_key(text) or fold(text)
    if not key:
        return []
    choices = _choices(country)
    out: list[str] = []
    for match, score, _ in process.extract(key, list(choices), scorer=fuzz.WRatio, limit=12):
        for code in choices[match][0]:
            label = region_label(code)
            if score >= 75 and label not in out:
                out.append(label)
    return out[:limit]
