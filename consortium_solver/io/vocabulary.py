"""The words a participant sheet may use: column headers for each field of an organisation, and the
values of its closed fields (organisation type, ECCP status, maturity label, region category,
sectors), in English and the EU's main languages. Everything is compared after
:func:`consortium_solver.reference.places.fold` (case, accents and punctuation do not matter).

These tables drive the importer (:mod:`.importer`), the template's drop-downs (:mod:`.template`)
and the table-driven tests; add a synonym here and all three know it.
"""

from __future__ import annotations

from functools import cache

from consortium_solver import reference
from consortium_solver.reference.places import fold

# fmt: off
# Field -> the headers that name it (the field's own name is always accepted).
# Where an organisation is, besides its region: a town, and coordinates (both place it in its
# region when the region cell is empty or cannot be read; both are kept as the sheet's columns).
CITY_ALIASES = (
    "city", "town", "municipality", "location", "place", "locality", "city town", "ville",
    "commune", "stadt", "ort", "gemeinde", "citta", "comune", "localita", "ciudad", "localidad",
    "municipio", "cidade", "miasto", "miejscowosc", "mesto", "obec", "plaats", "stad",
    "kaupunki", "varos", "telepules", "oras", "localitate", "mesto obec",
)
LAT_ALIASES = ("lat", "latitude", "breite", "breitengrad", "latitudine", "latitud", "szerokosc")
LON_ALIASES = ("lon", "lng", "long", "longitude", "laenge", "lange", "langengrad", "longitudine",
               "longitud", "dlugosc")  # fmt: skip

HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "id": (
        "id", "identifier", "org id", "organisation id", "organization id", "participant id",
        "ref", "reference", "code", "kennung", "identifiant", "codice", "identificador",
        "identyfikator",
    ),
    # Organisation-like headers first: beside "Organisation", a "Name" column is often a person's.
    "name": (
        "organisation", "organization", "organisation name", "organization name",
        "name of organisation", "name of organization", "name", "cluster", "cluster name",
        "cluster organisation", "participant", "participant name", "company", "legal name",
        "entity", "institution", "nom", "organisme", "nom de l organisation", "raison sociale",
        "name der organisation", "organisationsname", "einrichtung", "nome", "organizzazione",
        "ente", "nombre", "organizacion", "entidad", "nazwa", "organizacja", "nazev",
        "organizace", "naam", "organisatie", "nome da organizacao", "denumire", "organizatie",
    ),
    "country": (
        "country", "country code", "nation", "land", "staat", "pays", "paese", "nazione",
        "pais", "kraj", "zeme", "stat", "tara", "orszag", "drzava", "valsts", "salis", "riik",
        "maa", "country iso", "iso country",
    ),
    "nuts2": (
        "region", "nuts2", "nuts 2", "nuts", "nuts code", "nuts region", "nuts2 region",
        "nuts 2 region", "nuts2 code", "region code", "regione", "regio", "regiao", "wojewodztwo",
        "bundesland", "region name",
    ),
    "city": CITY_ALIASES,
    "lat": LAT_ALIASES,
    "lon": LON_ALIASES,
    "rounds": (
        "rounds attended", "rounds", "sessions", "sessions attended", "attends", "attendance",
        "present", "presence", "present in rounds", "rounds present", "teilnahme", "runden",
        "anwesend", "anwesenheit", "presence aux sessions", "tours", "presenza", "sessioni",
        "turni", "asistencia", "rondas", "sesiones", "obecnosc", "tury", "ucast", "aanwezig",
        "aanwezigheid", "rondes",
    ),
    "region_category": (
        "region category", "category of region", "region type", "cohesion category",
        "development category", "regional category", "categorie de region",
        "categoria della regione", "regionskategorie",
    ),
    "organisation_type": (
        "type", "organisation type", "organization type", "type of organisation",
        "type of organization", "kind", "kind of organisation", "legal form", "typ", "art",
        "organisationstyp", "type d organisation", "tipo", "tipo di organizzazione",
        "tipo de organizacion", "rodzaj", "typ organizace", "soort",
    ),
    "eccp_status": (
        "eccp", "eccp status", "eccp registration", "eccp registered", "registered on eccp",
        "registered in eccp", "eccp profile", "eccp member", "on eccp", "eccp yes no",
        "cluster collaboration platform", "european cluster collaboration platform",
        "registered", "registration",
    ),
    "sectors": (
        "sectors", "sector", "industry", "industries", "industrial ecosystem",
        "industrial ecosystems", "ecosystem", "ecosystems", "domain", "domains", "field",
        "fields", "branche", "branchen", "sektor", "sektoren", "secteur", "secteurs", "settore",
        "settori", "sectores", "sektory", "odvetvi", "sectoren",
    ),
    "offers": (
        "offers", "offer", "competences", "competencies", "competences offered", "expertise",
        "strengths", "can offer", "we offer", "angebot", "kompetenzen", "offre", "offerta",
        "oferta",
    ),
    "needs": (
        "needs", "need", "looking for", "seeks", "seeking", "interests", "we need", "wants",
        "bedarf", "suche", "besoins", "bisogni", "necesidades", "potrzeby",
    ),
    "maturity": (
        "maturity", "maturity label", "esca", "esca label", "label", "cluster label",
        "quality label", "management label", "reife", "label esca", "etichetta",
    ),
    # What today's calls read (README, "Call models").
    "region_category_2021": (
        "region category 2021 2027", "region category 2021", "category 2021 2027",
        "cohesion category 2021 2027", "2021 2027 category", "category of region 2021 2027",
        "region type 2021 2027", "regionskategorie 2021 2027", "categorie de region 2021 2027",
        "categoria della regione 2021 2027",
    ),
    "controlled_by": (
        "controlled by", "controller", "parent", "parent organisation", "parent organization",
        "parent company", "owned by", "mother company", "group", "holding",
        "kontrolliert von", "muttergesellschaft", "controle par", "maison mere",
        "controllato da", "controllante", "controlada por", "empresa matriz",
    ),
    "non_profit": (
        "non profit", "nonprofit", "not for profit", "non profit organisation",
        "gemeinnutzig", "sans but lucratif", "a but non lucratif", "senza scopo di lucro",
        "sin animo de lucro", "non profit yes no",
    ),
    "public_body": (
        "public body", "public", "public entity", "body governed by public law",
        "public law body", "public authority or public law body", "offentliche einrichtung",
        "organisme public", "ente pubblico", "organismo publico",
    ),
    "sme": ("sme", "sme status", "small or medium enterprise", "kmu", "pme", "pmi", "pyme", "msp"),
}

# ClusterXchange participants: the organisation's fields they share, and their own.
PARTICIPANT_ALIASES: dict[str, tuple[str, ...]] = {
    "id": HEADER_ALIASES["id"],
    "name": HEADER_ALIASES["name"],
    "country": HEADER_ALIASES["country"],
    "nuts2": HEADER_ALIASES["nuts2"],
    "city": CITY_ALIASES,
    "lat": LAT_ALIASES,
    "lon": LON_ALIASES,
    "participant_type": HEADER_ALIASES["organisation_type"] + ("participant type",),
    "role": ("role", "cxc role", "clusterxchange role", "visitor or host", "visitor host",
             "participation", "rolle", "ruolo", "rol", "rola"),
    "partnership": ("partnership", "escp", "managing partnership", "cluster partnership",
                    "european strategic cluster partnership", "project", "partnerschaft",
                    "partenariat", "partenariato", "asociacion"),
    "sectors": HEADER_ALIASES["sectors"],
    "offers": HEADER_ALIASES["offers"] + ("topics offered", "host offers", "hosting topics"),
    "seeks": HEADER_ALIASES["needs"] + ("seeks", "topics sought", "visitor seeks", "interested in"),
    "capacity": ("capacity", "places", "visits", "max visits", "hosting capacity", "kapazitat",
                 "capacite", "capacita", "capacidad", "pojemnosc"),
    "working_days": ("working days", "days", "duration", "stay", "length of stay",
                     "duration days", "arbeitstage", "tage", "jours", "giorni", "dias", "dni"),
    "period": ("period", "travel period", "month", "dates", "when", "zeitraum", "periode",
               "periodo", "termin"),
    "at_once": ("at once", "at the same time", "simultaneous visits", "max at once",
                "visitors at once", "gleichzeitig"),
    "cluster_member": ("cluster member", "member of a cluster", "cluster membership",
                       "membership", "member", "clustermitglied", "membre du cluster"),
    "mode": ("mode", "format", "on site or virtual", "participation", "virtual or on site"),
    "travel_from": ("travel from", "available from", "from", "earliest start", "start from",
                    "window start", "reisebeginn", "ab"),
    "travel_to": ("travel to", "available to", "available until", "until", "to", "latest end",
                  "window end", "reiseende", "bis"),
    "unavailable": ("unavailable", "not available", "closed", "unavailable dates", "blocked",
                    "nicht verfugbar", "indisponible"),
}
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "organisation": HEADER_ALIASES,
    "participant": PARTICIPANT_ALIASES,
}

VALUE_SYNONYMS_CLUSTER = (
    "cluster organisation", "cluster organization", "cluster", "cluster management",
    "cluster management organisation", "cluster management organization", "cluster initiative",
    "cluster manager", "clusterorganisation", "cluster org", "co", "pole de competitivite",
    "pole", "distretto", "distretto tecnologico", "cluster tecnologico", "klaster", "klastr",
    "klaszter", "grappe", "agrupacion", "agrupacion empresarial innovadora", "aei", "polo",
    "polo tecnologico",
)
YES_WORDS = ("yes", "y", "true", "1", "x", "✓", "✔", "ja", "oui", "si", "sim", "tak", "ano",
             "igen", "da", "jah", "kylla", "wahr", "vrai", "vero")
NO_WORDS = ("no", "n", "false", "0", "nein", "non", "nie", "ne", "nem", "nej", "ei", "nao", "nu",
            "-", "—", "falsch", "faux", "falso")
# Closed fields: the value stored -> the words that say it.
VALUE_SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "organisation_type": {
        "cluster_organisation": VALUE_SYNONYMS_CLUSTER,
        "business_network_organisation": (
            "business network organisation", "business network organization",
            "business network", "network", "bno", "business association", "industry association",
            "trade association", "association", "chamber of commerce", "chamber", "netzwerk",
            "unternehmensnetzwerk", "reseau", "reseau d entreprises", "rete", "rete d impresa",
            "red", "red empresarial", "siec", "sit", "verband",
        ),
        "other": (
            "other", "university", "research", "research organisation", "rto", "company",
            "sme", "enterprise", "agency", "public authority", "authority", "incubator",
            "other organisation", "sonstige", "autre", "altro", "otro", "inne", "jine",
        ),
    },
    "eccp_status": {
        "registered": (
            "registered", "yes", "y", "true", "1", "x", "✓", "✔", "ja", "oui", "si", "sim", "tak",
            "ano", "igen", "da", "jah", "kylla", "profile", "on eccp",
            "registriert", "enregistre", "registrato", "registrado", "zarejestrowany",
        ),
        "applied": (
            "applied", "applying", "pending", "in progress", "application", "application sent",
            "submitted", "requested", "beantragt", "en cours", "demande", "in corso",
            "richiesto", "solicitado", "en tramite", "w trakcie", "zadano",
        ),
        "none": (
            "none", "no", "n", "false", "0", "not registered", "nein", "non", "nie", "ne",
            "nem", "nej", "ei", "nao", "nu", "not yet", "-", "—",
        ),
    },
    "maturity": {
        "gold": ("gold", "gold label", "esca gold", "gold label esca", "or", "oro", "zloty"),
        "silver": ("silver", "silver label", "esca silver", "silber", "argent", "argento", "plata"),
        "bronze": ("bronze", "bronze label", "esca bronze", "bronzo", "bronce", "brazowy"),
        "none": ("none", "no", "no label", "n a", "na", "-", "—", "kein", "aucun", "nessuno"),
    },
    "mode": {
        "on site": ("on site", "onsite", "in person", "physical", "travel", "vor ort",
                    "presentiel", "in presenza", "presencial"),
        "virtual": ("virtual", "virtual only", "online", "remote", "digital", "virtuell",
                    "virtuel", "virtuale"),
        "either": ("either", "both", "on site or virtual", "hybrid", "any", "beides", "les deux"),
    },
    "cluster_member": {
        "yes": ("yes", "y", "true", "1", "x", "✓", "✔", "member", "ja", "oui", "si", "sim", "tak",
                "ano", "igen", "da", "mitglied", "membre", "membro", "miembro", "czlonek"),
        "no": ("no", "n", "false", "0", "not a member", "non member", "none", "nein", "non",
               "nie", "ne", "nem", "nej", "-", "—"),
    },
    "participant_type": {
        "cluster_organisation": VALUE_SYNONYMS_CLUSTER,
        "business_network_organisation": ("business network organisation",
                                          "business network organization", "business network",
                                          "network", "bno", "netzwerk", "reseau", "rete", "red"),
        "scaling_up_support_organisation": ("scaling up support organisation", "scale up support",
                                            "scaling up support", "scaleup support",
                                            "accelerator", "incubator"),
        "sme": ("sme", "small or medium enterprise", "small and medium sized enterprise",
                "company", "enterprise", "kmu", "pme", "pmi", "pyme", "msp"),
        "training_provider": ("training provider", "training", "university", "school",
                              "education provider"),
        "large_company": ("large company", "large enterprise", "corporate", "corporation",
                          "grossunternehmen"),
        "public_authority": ("public authority", "authority", "public body", "ministry",
                             "municipality", "region authority", "behorde"),
    },
    "role": {
        "visitor": ("visitor", "visit", "visiting", "guest", "besucher", "visiteur",
                    "visitatore", "visitante"),
        "host": ("host", "hosting", "gastgeber", "hote", "ospite", "anfitrion"),
        "both": ("both", "visitor and host", "host and visitor", "visitor host", "host visitor",
                 "beides", "les deux", "entrambi", "ambos"),
    },
    "region_category_2021": {
        "less_developed": ("less developed", "less developed region", "ld", "lagging"),
        "transition": ("transition", "transition region", "in transition", "tr"),
        "more_developed": ("more developed", "more developed region", "md", "developed"),
        "unclassified": ("unclassified", "none", "unknown"),
    },
    "non_profit": {"yes": YES_WORDS, "no": NO_WORDS},
    "public_body": {"yes": YES_WORDS, "no": NO_WORDS},
    "sme": {"yes": YES_WORDS, "no": NO_WORDS},
    "region_category": {
        "less_developed": ("less developed", "less developed region", "ld", "lagging"),
        "transition": ("transition", "transition region", "in transition", "tr"),
        "more_developed": ("more developed", "more developed region", "md", "developed"),
        "unclassified": ("unclassified", "none", "unknown"),
    },
}

# Sectors (the 14 EU industrial ecosystems): synonyms beyond the ids and display names.
SECTOR_SYNONYMS: dict[str, tuple[str, ...]] = {
    "tourism": ("tourism", "travel", "hospitality", "tourismus", "tourisme", "turismo"),
    "mobility-transport-automotive": (
        "mobility", "transport", "automotive", "logistics", "mobility transport automotive",
        "rail", "maritime", "mobilitat", "automobil", "automobile", "automotive industry",
    ),
    "aerospace-defence": (
        "aerospace", "defence", "defense", "aeronautics", "space", "aerospace and defence",
        "aerospace defence", "aerospace and defense", "luft und raumfahrt", "aerospatial",
    ),
    "construction": ("construction", "building", "buildings", "bau", "bauwesen", "edilizia"),
    "agri-food": (
        "agri food", "agrifood", "agriculture", "food", "food and drink", "agro food",
        "agrofood", "agroalimentaire", "agroalimentare", "lebensmittel", "food processing",
    ),
    "energy-intensive-industries": (
        "energy intensive industries", "energy intensive", "chemicals", "chemistry", "steel",
        "metals", "materials", "plastics", "paper", "cement", "chemie", "chimie",
    ),
    "textile": ("textile", "textiles", "fashion", "clothing", "apparel", "textil", "mode"),
    "creative-cultural-industries": (
        "creative cultural industries", "creative industries", "cultural industries",
        "culture", "creative", "media", "design", "creative and cultural industries",
        "cultural and creative industries", "ccis", "kreativwirtschaft",
    ),
    "digital": (
        "digital", "ict", "it", "software", "information technology", "ai",
        "artificial intelligence", "cybersecurity", "data", "digitalisation", "digitalization",
        "informatik", "numerique",
    ),
    "renewable-energy": (
        "renewable energy", "renewables", "energy", "energy renewables", "clean energy",
        "cleantech", "green energy", "solar", "wind", "hydrogen", "erneuerbare energien",
        "energies renouvelables", "energia",
    ),
    "electronics": (
        "electronics", "microelectronics", "semiconductors", "photonics", "elektronik",
        "electronique", "elettronica",
    ),
    "retail": ("retail", "commerce", "trade", "handel", "wholesale", "e commerce"),
    "proximity-social-economy": (
        "proximity social economy", "social economy", "proximity", "civil security",
        "proximity social economy and civil security", "social enterprise", "social",
    ),
    "health": (
        "health", "healthcare", "health care", "life sciences", "medical", "medtech",
        "biotech", "biotechnology", "pharma", "pharmaceuticals", "gesundheit", "sante", "salute",
        "salud",
    ),
}

# A row whose name says it sums the others (skipped, with a warning).
TOTAL_WORDS = frozenset(
    fold(w)
    for w in (
        "total", "totals", "sum", "grand total", "gesamt", "insgesamt", "summe", "totale",
        "somme", "suma", "celkem", "razem", "osszesen", "yhteensa", "totaal", "in total",
    )
)

# fmt: on

# Words a field's value is shown with, for people (outputs, template drop-downs).
VALUE_WORDS: dict[str, dict[str, str]] = {
    "organisation_type": {
        "cluster_organisation": "Cluster organisation",
        "business_network_organisation": "Business network organisation",
        "other": "Other",
    },
    "eccp_status": {"registered": "Yes", "applied": "Applied", "none": "No"},
    "maturity": {"gold": "Gold", "silver": "Silver", "bronze": "Bronze", "none": "None"},
    "participant_type": {
        "cluster_organisation": "Cluster organisation",
        "business_network_organisation": "Business network organisation",
        "scaling_up_support_organisation": "Scaling-up support organisation",
        "sme": "SME",
        "training_provider": "Training provider",
        "large_company": "Large company",
        "public_authority": "Public authority",
    },
    "role": {"visitor": "Visitor", "host": "Host", "both": "Visitor and host"},
    "region_category": {
        "less_developed": "Less developed",
        "transition": "Transition",
        "more_developed": "More developed",
        "unclassified": "Unclassified",
    },
    "region_category_2021": {
        "less_developed": "Less developed",
        "transition": "Transition",
        "more_developed": "More developed",
        "unclassified": "Unclassified",
    },
    "non_profit": {"yes": "Yes", "no": "No"},
    "public_body": {"yes": "Yes", "no": "No"},
    "sme": {"yes": "Yes", "no": "No"},
}

# The header each field gets in sheets the tool writes (template, pool as XLSX/CSV).
PARTICIPANT_HEADERS: dict[str, str] = {
    "id": "ID",
    "name": "Organisation",
    "country": "Country",
    "nuts2": "Region",
    "lat": "Latitude",
    "lon": "Longitude",
    "participant_type": "Type",
    "role": "Role",
    "partnership": "Partnership",
    "sectors": "Sectors",
    "offers": "Offers",
    "seeks": "Seeks",
    "capacity": "Capacity",
    "working_days": "Working days",
    "period": "Period",
    "at_once": "At once",
    "cluster_member": "Cluster member",
    "mode": "Mode",
    "travel_from": "Travel from",
    "travel_to": "Travel to",
    "unavailable": "Unavailable",
}
FIELD_HEADERS: dict[str, str] = {
    "id": "ID",
    "name": "Organisation",
    "country": "Country",
    "nuts2": "Region",
    "region_category": "Region category",
    "organisation_type": "Type",
    "eccp_status": "ECCP",
    "sectors": "Sectors",
    "offers": "Offers",
    "needs": "Needs",
    "maturity": "Maturity",
    "rounds": "Rounds attended",
    "region_category_2021": "Region category 2021-2027",
    "controlled_by": "Controlled by",
    "non_profit": "Non-profit",
    "public_body": "Public body",
    "sme": "SME",
}


# Columns that place an organisation without being fields of it (kept as its sheet's columns).
LOCATING_HEADERS: dict[str, str] = {"city": "Town", "lat": "Latitude", "lon": "Longitude"}


def heading(field: str) -> str:
    """The header a field (or a locating column) gets in sheets and reports: nuts2 -> "Region"."""
    return (
        FIELD_HEADERS.get(field)
        or PARTICIPANT_HEADERS.get(field)
        or LOCATING_HEADERS.get(field)
        or field
    )


def words_for(field: str, value: str) -> str:
    """A stored value in words: ``less_developed`` -> "Less developed", a sector id -> its name."""
    if field == "sectors":
        sector = reference.sectors().get(value)
        return sector.name if sector else value
    return VALUE_WORDS.get(field, {}).get(value, value)


@cache
def header_index(kind: str = "organisation") -> dict[str, tuple[str, int]]:
    """Folded header -> (field, rank) for a kind of row ("organisation", "participant"): the rank is
    the alias's place in its field's list, so that of two columns naming one field the likelier one
    is read (the other is kept)."""
    out: dict[str, tuple[str, int]] = {}
    for field, aliases in ALIASES[kind].items():
        for rank, alias in enumerate((*aliases, field)):
            out.setdefault(fold(alias), (field, rank))
    return out


def header_meaning(header: str, kind: str = "organisation") -> tuple[str, int] | None:
    """(field, rank) of a column header, or None: "Organisation name" -> name, "E-mail" -> None.
    A note in brackets or after a colon is ignored: "Country (ISO code)" -> country."""
    index = header_index(kind)
    if fold(header) in index:
        return index[fold(header)]
    for cut in ("(", ":", "["):
        head = header.split(cut)[0]
        if head.strip() and fold(head) in index:
            return index[fold(head)]
    return None


def field_of_header(header: str, kind: str = "organisation") -> str | None:
    """The field a column header names, or None."""
    meaning = header_meaning(header, kind)
    return None if meaning is None else meaning[0]


def key(text: str) -> str:
    """The form words are compared in: folded, or the symbol itself ("✓", "-") when folding
    leaves nothing."""
    return fold(text) or text.strip()


@cache
def value_index(field: str) -> dict[str, str]:
    """Folded word -> stored value, for a closed field (the stored values accepted too)."""
    out: dict[str, str] = {}
    for value, words in VALUE_SYNONYMS[field].items():
        for word in (value, value.replace("_", " "), *words):
            out.setdefault(key(word), value)
    for value, word in VALUE_WORDS.get(field, {}).items():
        out.setdefault(key(word), value)
    return out


@cache
def sector_index() -> dict[str, str]:
    """Folded sector word (id, display name, synonym) -> sector id."""
    out: dict[str, str] = {}
    for sector in reference.sectors().values():
        out[fold(sector.id)] = sector.id
        out[fold(sector.name)] = sector.id
    for sector_id, words in SECTOR_SYNONYMS.items():
        for word in words:
            out.setdefault(fold(word), sector_id)
    return out
