"""One cell of a participant sheet read as people write it: a country, a region, a closed field's
word, a list of sectors. Each reader returns the value it understood (or None) and its findings —
errors (the cell cannot be used) and warnings (a guess, or a value left out) — in words, with a
suggestion; the importer (:mod:`.importer`) adds where they are."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal, NamedTuple

from consortium_solver.io import vocabulary as vocab
from consortium_solver.io.sheet_files import Cell
from consortium_solver.reference import regions
from consortium_solver.reference.places import (
    category_words,
    country_name,
    country_regions,
    country_suggestions,
    find_country,
    find_region,
    fold,
    region_label,
    suggest_regions,
)

Severity = Literal["error", "warning"]

# Each field in the words of messages.
FIELD_WORDS = {
    "id": "id",
    "name": "organisation's name",
    "country": "country",
    "nuts2": "region",
    "region_category": "region category",
    "organisation_type": "organisation type",
    "eccp_status": "ECCP status",
    "sectors": "sectors",
    "offers": "offers",
    "needs": "needs",
    "maturity": "maturity label",
    "region_category_2021": "region category 2021-2027",
    "controlled_by": "controller",
    "non_profit": "non-profit answer (yes or no)",
    "public_body": "public-body answer (yes or no)",
    "sme": "SME answer (yes or no)",
    "city": "town",
    "rounds": "rounds attended",
    "lat": "latitude",
    "lon": "longitude",
    "participant_type": "participant type",
    "role": "role (visitor, host or both)",
    "partnership": "partnership",
    "seeks": "topics sought",
    "capacity": "capacity",
    "working_days": "working days",
    "period": "travel period",
    "at_once": "visitors at once",
    "cluster_member": "membership of a cluster",
    "mode": "mode (on site, virtual or either)",
    "travel_from": "first day of the travel window",
    "travel_to": "last day of the travel window",
    "unavailable": "days without visitors",
}
# What a region left empty means, said once under a list of problems.
NO_REGION = (
    "An organisation without a region cannot count as the partner from a less developed or"
    " transition region."
)
SECTORS_HINT = "`consortium sectors` lists the 14 sectors"


@dataclass(frozen=True)
class Finding:
    """Something a cell reader has to say about a cell."""

    severity: Severity
    message: str
    value: str | None = None
    suggestion: str | None = None
    choices: tuple[str, ...] = ()  # NUTS-2 codes that would fix the cell, one click each


def read_country(text: str) -> tuple[str | None, list[Finding]]:
    """An ISO code from a country's name (any EU language), code or usual variant."""
    if not text:
        return None, [Finding("error", "no country")]
    code = find_country(text)
    if code is not None:
        return code, []
    close = country_suggestions(text)
    hint = (
        f"did you mean {' or '.join(close)}?"
        if close
        else "write the country's English name or ISO code (e.g. Germany or DE)"
    )
    return None, [Finding("error", "unknown country", text, hint)]


class PlaceReading(NamedTuple):
    """What a place's cell was read as: the NUTS-2 code (or None), the findings, and by what (the
    words of :class:`RegionMatch`'s ``how``: "English name", "the town Debrecen", ...)."""

    code: str | None
    findings: list[Finding]
    how: str


def read_region(
    text: str,
    country: str | None,
    point: tuple[float, float] | None = None,
    accept_suggestions: bool = False,
) -> tuple[str | None, list[Finding]]:
    """A NUTS-2 code from a code, a name or a town (see :func:`read_place`)."""
    reading = read_place(text, country, point, accept_suggestions)
    return reading.code, reading.findings


def read_place(
    text: str,
    country: str | None,
    point: tuple[float, float] | None = None,
    accept_suggestions: bool = False,
) -> PlaceReading:
    """A NUTS-2 code from a code, a region's name or a town, within ``country``; ``point``
    (latitude, longitude) places a town or an unknown text. A guess is said with the category it
    gives; a place that cannot be told is left out with a warning and its candidates (never an
    error); a region in another country is an error. ``accept_suggestions`` takes a suggestion
    when it is the only one, and says so."""
    known = regions()
    code = text.strip().upper()
    if country is not None and code in known and known[code].country != country:
        where = country_name(known[code].country)
        message = (
            f"NUTS-2 region {code} ({known[code].name}) lies in {where},"
            f" not in {country_name(country)}"
        )
        return PlaceReading(
            None, [Finding("error", message, text, "correct the country or the region")], "code"
        )
    if country is not None and not country_regions(country):
        message = f"{country_name(country)} has no NUTS-2 regions: left empty"
        hint = (
            "an organisation there has no region category unless the sheet's Region category"
            " column states one"
        )
        return PlaceReading(None, [Finding("warning", message, text, hint)], "no NUTS regions")
    match = find_region(text, country, point)
    if match.code is not None:
        if not match.guessed:
            return PlaceReading(match.code, [], match.how)
        message = f"read as {described(match.code)} ({match.how})"
        hint = "correct the cell if this is not the region"
        return PlaceReading(match.code, [Finding("warning", message, text, hint)], match.how)
    elsewhere = find_region(text, None) if country is not None and not match.codes else match
    if not match.codes and elsewhere.code is not None and not elsewhere.guessed:
        found = known[elsewhere.code]
        message = (
            f"{text.strip()} is a region of {country_name(found.country)} ({found.code}),"
            f" not of {country_name(country or '')}"
        )
        finding = Finding("error", message, text, "correct the country or the region")
        return PlaceReading(None, [finding], "a region of another country")
    if match.codes:
        labels = ", ".join(region_label(c) for c in match.codes[:6])
        more = " …" if len(match.codes) > 6 else ""
        finding = Finding(
            "warning",
            f"{_several(match.how)}: left empty",
            text,
            f"one of {labels}{more}",
            choices=match.codes,
        )
        return PlaceReading(None, [finding], _several(match.how))
    if not text.strip():
        where = country_name(country) if country else "any country"
        message = f"its coordinates lie in no NUTS-2 region of {where}: left empty"
        hint = "check the latitude and longitude, or write the region"
        return PlaceReading(None, [Finding("warning", message, None, hint)], "not found")
    close = suggest_regions(text, country)
    if accept_suggestions and len(close) == 1:
        message = f"read as {described(close[0])} (the only suggestion, taken as asked)"
        finding = Finding("warning", message, text, "correct the cell if this is not the region")
        return PlaceReading(close[0], [finding], "the suggestion taken")
    hint = (
        f"did you mean {' or '.join(region_label(c) for c in close)}?"
        if close
        else "write the NUTS-2 code (e.g. DE21), the region's name or a town"
    )
    finding = Finding("warning", "unknown region: left empty", text, hint, choices=tuple(close))
    return PlaceReading(None, [finding], "not found")


def described(code: str) -> str:
    """ "Jihovýchod (CZ06) — transition region": a region with the category it brings."""
    return f"{region_label(code)} — {category_words(code)}"


def _several(how: str) -> str:
    if how.startswith("a town"):
        return "a town's name in several NUTS-2 regions"
    if "countries" in how:
        return "a name of regions in several countries"
    return "a name of several NUTS-2 regions"


# Words meaning "every round" and "no round", after folding, in the usual languages.
ALL_ROUNDS = frozenset(
    {"all", "all rounds", "every round", "everything", "yes", "x", "*", "alle", "alle runden",
     "tous", "toutes", "tout", "todos", "todas", "tutti", "tutte", "wszystkie", "vse", "vsechny",
     "allemaal", "kaikki", "mind", "toate", "todas as sessoes", "all sessions", "full", "whole day"}
)  # fmt: skip
NO_ROUNDS = frozenset({"none", "no", "0", "keine", "aucun", "aucune", "nessuno", "ninguno"})
# Words around the round numbers that carry no meaning: "round 2", "sessions 1 and 3", "3 only".
_ROUND_WORDS = re.compile(
    r"\b(rounds?|r|sessions?|s|only|and|und|et|e|y|i|a|to|bis|tour|tours|runde|runden|sessione|"
    r"sessioni|sesion|sesiones|ronda|rondas|turno|turni|just|from)\b"
)
ATTENDANCE_HINT = "write the rounds attended, e.g. all, 1, 2, 2-3 or 3 only (empty: every round)"


def read_attendance(text: str) -> tuple[tuple[int, ...] | None, list[Finding]]:
    """The rounds an organisation attends, as people write them: ``all`` (or empty) for every
    round, ``1, 2``, ``2-3``, ``3 only``, ``1 3``, ``Round 2``, ``none``."""
    if text.lstrip().startswith("="):  # a formula's text, not its value
        return None, [Finding("error", "not a list of rounds", text, ATTENDANCE_HINT)]
    key = fold(text)
    if not text.strip() or text.strip() == "*" or key in ALL_ROUNDS:
        return None, []
    if key in NO_ROUNDS:
        return (), []
    glued = re.sub(r"\b(?:r|s|t)(\d)", r" \1", text.casefold())  # "R1, R3", "S2"
    spans = re.sub(r"(\d)\s*(?:-|–|—|\.\.|to|bis)\s*(\d)", r"\1~\2", glued)
    words = _ROUND_WORDS.sub(" ", fold(spans.replace("~", " tilde ")).replace(" tilde ", "~"))
    found: set[int] = set()
    for token in re.split(r"[\s,;/&+]+", words.strip()):
        if not token:
            continue
        span = re.fullmatch(r"(\d{1,3})~(\d{1,3})", token)
        if span and int(span.group(1)) <= int(span.group(2)):
            found.update(range(int(span.group(1)), int(span.group(2)) + 1))
        elif re.fullmatch(r"\d{1,3}", token) and int(token) >= 1:
            found.add(int(token))
        else:
            return None, [Finding("error", "not a list of rounds", text, ATTENDANCE_HINT)]
    if not found:
        return None, [Finding("error", "not a list of rounds", text, ATTENDANCE_HINT)]
    return tuple(sorted(found)), []


def read_closed(field: str, text: str) -> tuple[str | None, list[Finding]]:
    """A closed field's stored value from its word (any language of the vocabulary). An empty
    cell: None — an error for the organisation type, "not registered" with a warning for ECCP."""
    if not text:
        if field == "organisation_type":
            return None, [Finding("error", "no organisation type", None, choices_hint(field))]
        if field == "eccp_status":
            return "none", [Finding("warning", "no ECCP status: taken as not registered")]
        return None, []
    found = vocab.value_index(field).get(vocab.key(text))
    if found is not None:
        return found, []
    return None, [Finding("error", f"unknown {FIELD_WORDS[field]}", text, choices_hint(field))]


_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})[./](\d{1,2})[./](\d{4})")
DATE_HINT = "write a date as 2021-05-03 (or 03.05.2021)"


def read_date(text: str) -> tuple[date | None, list[Finding]]:
    """A day: ISO (2021-05-03, also a workbook's date cell as text) or day.month.year."""
    found = _DATE.match(text.strip())
    if found:
        y, m, d = (found[1], found[2], found[3]) if found[1] else (found[6], found[5], found[4])
        try:
            return date(int(y), int(m), int(d)), []
        except ValueError:
            pass
    return None, [Finding("error", "not a date", text, DATE_HINT)]


def read_ranges(text: str) -> tuple[list[tuple[date, date]], list[Finding]]:
    """Ranges of days ("2021-08-01..2021-08-31; 2021-12-24"): a single day is a range of one."""
    out, findings = [], []
    for part in [p for p in re.split(r"[;\n]", text) if p.strip()]:
        ends = [e for e in re.split(r"\.\.|\s+to\s+|\s+-\s+|–", part.strip()) if e.strip()]
        days = [read_date(e) for e in ends[:2]]
        if not days or any(d is None for d, _ in days):
            findings.append(Finding("error", "not a range of days", part.strip(),
                                    "2021-08-01..2021-08-31, ranges separated by ;"))  # fmt: skip
            continue
        first, last = days[0][0], days[-1][0]
        assert first is not None and last is not None
        out.append((first, last))
    return out, findings


def read_sectors(cell: Cell) -> tuple[list[str], list[Finding]]:
    """Sector ids from names, ids or synonyms; a near miss read with a warning; an unknown one left
    out with a warning when others are known, an error when none is."""
    parts = split_list(cell)
    if not parts:
        return [], [Finding("error", "no sector", None, "at least one is needed; " + SECTORS_HINT)]
    out: list[str] = []
    unknown: list[str] = []
    findings: list[Finding] = []
    index = vocab.sector_index()
    for part in parts:
        sector = index.get(fold(part))
        if sector is None:
            sector = _fuzzy_sector(part)
            if sector is not None:
                words = vocab.words_for("sectors", sector)
                findings.append(Finding("warning", f"read as the sector {words!r}", part))
        if sector is None:
            unknown.append(part)
        elif sector not in out:
            out.append(sector)
    for part in unknown:
        if out:
            findings.append(Finding("warning", "not a known sector: left out", part, SECTORS_HINT))
        else:
            findings.append(Finding("error", "unknown sector", part, SECTORS_HINT))
    return out, findings


def read_number(text: str, whole: bool) -> tuple[float | None, list[Finding]]:
    """A number from a cell as people write it: "5", "5.0", "12,000", "12 000 €", "1.234,50"."""
    cleaned = re.sub(r"[^\d.,\-]", "", text)
    if "," in cleaned and "." in cleaned:  # one is the thousands separator: the first one
        thousands = "," if cleaned.index(",") < cleaned.index(".") else "."
        cleaned = cleaned.replace(thousands, "").replace(",", ".")
    elif re.fullmatch(r"-?\d{1,3}(,\d{3})+", cleaned):
        cleaned = cleaned.replace(",", "")
    else:
        cleaned = cleaned.replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        return None, [Finding("error", "not a number", text)]
    if whole and not value.is_integer():
        return None, [Finding("error", "not a whole number", text)]
    return value, []


def split_list(value: Cell) -> list[str]:
    """A list cell: JSON lists as they are; text split on ';' (or on ',' when there is no ';')
    and on line breaks."""
    if isinstance(value, list):
        return [v.strip() for v in value if v.strip()]
    separator = ";" if ";" in value else ","
    return [part.strip() for part in re.split(f"{separator}|\n", value) if part.strip()]


def derived_id(name: str, used: set[str]) -> str:
    """A stable id from a name: "Cluster Lombardo della Mobilità" ->
    "cluster-lombardo-della-mobilita" (at most 40 characters; "-2", "-3", ... when taken)."""
    base = "-".join(fold(name).replace("*", " ").split())[:40].strip("-") or "org"
    candidate, n = base, 1
    while candidate in used:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def choices_hint(field: str) -> str:
    return "write one of: " + ", ".join(vocab.VALUE_WORDS.get(field, {}).values())


def _fuzzy_sector(text: str) -> str | None:
    from rapidfuzz import fuzz, process

    key = fold(text)
    if len(key) < 5:
        return None
    index = vocab.sector_index()
    found = process.extractOne(key, list(index), scorer=fuzz.ratio, score_cutoff=88)
    return index[found[0]] if found else None
