"""Names for the demo: Faker pools drawn once per fill, prison names and organisation names.

Faker is slow per call (tens of microseconds), so it is asked for a few hundred names,
places and phone numbers once; the generator then samples these pools with its own seeded
random number generator.
"""

from __future__ import annotations

import importlib.util
import random
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from faker import Faker
from faker.config import AVAILABLE_LOCALES

from cope_desktop.db.enums import PrisonType

FALLBACK_LOCALE = "en_GB"

COUNTRY_LOCALES: dict[str, str] = {
    "IT": "it_IT",
    "FR": "fr_FR",
    "DE": "de_DE",
    "AT": "de_AT",
    "ES": "es_ES",
    "PT": "pt_PT",
    "NL": "nl_NL",
    "BE": "nl_BE",
    "PL": "pl_PL",
    "RO": "ro_RO",
    "CZ": "cs_CZ",
    "HR": "hr_HR",
    "GR": "el_GR",
    "SE": "sv_SE",
    "GB": "en_GB",
    "IE": "en_IE",
}

# Faker invents town names for these locales ("Port Janetchester"); prisons stand in real
# places, with the region they are in.
REAL_CITIES: dict[str, dict[str, str]] = {
    "FR": {
        "Paris": "Île-de-France",
        "Lyon": "Auvergne-Rhône-Alpes",
        "Marseille": "Provence-Alpes-Côte d'Azur",
        "Toulouse": "Occitanie",
        "Nice": "Provence-Alpes-Côte d'Azur",
        "Nantes": "Pays de la Loire",
        "Strasbourg": "Grand Est",
        "Montpellier": "Occitanie",
        "Bordeaux": "Nouvelle-Aquitaine",
        "Lille": "Hauts-de-France",
        "Rennes": "Bretagne",
        "Reims": "Grand Est",
        "Le Havre": "Normandie",
        "Toulon": "Provence-Alpes-Côte d'Azur",
        "Grenoble": "Auvergne-Rhône-Alpes",
        "Dijon": "Bourgogne-Franche-Comté",
        "Angers": "Pays de la Loire",
        "Nîmes": "Occitanie",
        "Clermont-Ferrand": "Auvergne-Rhône-Alpes",
        "Le Mans": "Pays de la Loire",
        "Brest": "Bretagne",
        "Tours": "Centre-Val de Loire",
        "Amiens": "Hauts-de-France",
        "Limoges": "Nouvelle-Aquitaine",
        "Perpignan": "Occitanie",
        "Metz": "Grand Est",
        "Besançon": "Bourgogne-Franche-Comté",
        "Orléans": "Centre-Val de Loire",
        "Rouen": "Normandie",
        "Mulhouse": "Grand Est",
        "Caen": "Normandie",
        "Nancy": "Grand Est",
        "Avignon": "Provence-Alpes-Côte d'Azur",
        "Poitiers": "Nouvelle-Aquitaine",
        "Pau": "Nouvelle-Aquitaine",
        "La Rochelle": "Nouvelle-Aquitaine",
        "Valence": "Auvergne-Rhône-Alpes",
        "Chambéry": "Auvergne-Rhône-Alpes",
        "Bayonne": "Nouvelle-Aquitaine",
        "Fresnes": "Île-de-France",
    },
    "GB": {
        "Birmingham": "West Midlands",
        "Manchester": "North West",
        "Leeds": "Yorkshire and the Humber",
        "Liverpool": "North West",
        "Bristol": "South West",
        "Sheffield": "Yorkshire and the Humber",
        "Newcastle": "North East",
        "Nottingham": "East Midlands",
        "Leicester": "East Midlands",
        "Cardiff": "Wales",
        "Swansea": "Wales",
        "Glasgow": "Scotland",
        "Edinburgh": "Scotland",
        "Aberdeen": "Scotland",
        "Belfast": "Northern Ireland",
        "Norwich": "East of England",
        "Exeter": "South West",
        "Plymouth": "South West",
        "Hull": "Yorkshire and the Humber",
        "Lincoln": "East Midlands",
        "Durham": "North East",
        "Preston": "North West",
        "Lancaster": "North West",
        "Bedford": "East of England",
        "Cambridge": "East of England",
        "Oxford": "South East",
        "Gloucester": "South West",
        "Winchester": "South East",
        "York": "Yorkshire and the Humber",
        "Derby": "East Midlands",
        "Coventry": "West Midlands",
        "Wakefield": "Yorkshire and the Humber",
        "Doncaster": "Yorkshire and the Humber",
        "Chelmsford": "East of England",
        "Lewes": "South East",
        "Peterborough": "East of England",
        "Northampton": "East Midlands",
        "Shrewsbury": "West Midlands",
        "Stoke": "West Midlands",
        "Carlisle": "North West",
    },
    "IE": {
        "Dublin": "Dublin",
        "Cork": "Cork",
        "Limerick": "Limerick",
        "Galway": "Galway",
        "Waterford": "Waterford",
        "Kilkenny": "Kilkenny",
        "Sligo": "Sligo",
        "Athlone": "Westmeath",
        "Drogheda": "Louth",
        "Dundalk": "Louth",
        "Portlaoise": "Laois",
        "Castlerea": "Roscommon",
        "Wexford": "Wexford",
        "Tralee": "Kerry",
        "Ennis": "Clare",
        "Letterkenny": "Donegal",
        "Mullingar": "Westmeath",
        "Navan": "Meath",
        "Carlow": "Carlow",
        "Clonmel": "Tipperary",
    },
}

# Prison names in each country's own style, by type of prison.
PRISON_STYLES: dict[str, dict[PrisonType, tuple[str, ...]]] = {
    "IT": {
        PrisonType.MEN: ("Casa Circondariale di {city}", "Casa di Reclusione di {city}"),
        PrisonType.MIXED: ("Casa Circondariale di {city}",),
        PrisonType.WOMEN: ("Casa Circondariale Femminile di {city}",),
        PrisonType.YOUTH: ("Istituto Penale per i Minorenni di {city}",),
    },
    "FR": {
        PrisonType.MEN: (
            "Maison d'arrêt de {city}",
            "Centre pénitentiaire de {city}",
            "Centre de détention de {city}",
        ),
        PrisonType.MIXED: ("Centre pénitentiaire de {city}",),
        PrisonType.WOMEN: ("Maison d'arrêt des femmes de {city}",),
        PrisonType.YOUTH: ("Établissement pénitentiaire pour mineurs de {city}",),
    },
    "DE": {
        PrisonType.MEN: ("JVA {city}",),
        PrisonType.MIXED: ("JVA {city}",),
        PrisonType.WOMEN: ("JVA für Frauen {city}",),
        PrisonType.YOUTH: ("Jugendstrafanstalt {city}", "JVA {city} (Jugendvollzug)"),
    },
    "AT": {
        PrisonType.MEN: ("Justizanstalt {city}",),
        PrisonType.MIXED: ("Justizanstalt {city}",),
        PrisonType.WOMEN: ("Justizanstalt für Frauen {city}",),
        PrisonType.YOUTH: ("Justizanstalt {city} (Jugendabteilung)",),
    },
    "ES": {
        PrisonType.MEN: ("Centro Penitenciario de {city}",),
        PrisonType.MIXED: ("Centro Penitenciario de {city}",),
        PrisonType.WOMEN: ("Centro Penitenciario de Mujeres de {city}",),
        PrisonType.YOUTH: ("Centro de Menores de {city}",),
    },
    "PT": {
        PrisonType.MEN: ("Estabelecimento Prisional de {city}",),
        PrisonType.MIXED: ("Estabelecimento Prisional de {city}",),
        PrisonType.WOMEN: ("Estabelecimento Prisional Feminino de {city}",),
        PrisonType.YOUTH: ("Centro Educativo de {city}",),
    },
    "NL": {
        PrisonType.MEN: ("Penitentiaire Inrichting {city}",),
        PrisonType.MIXED: ("Penitentiaire Inrichting {city}",),
        PrisonType.WOMEN: ("Penitentiaire Inrichting voor Vrouwen {city}",),
        PrisonType.YOUTH: ("Justitiële Jeugdinrichting {city}",),
    },
    "BE": {
        PrisonType.MEN: ("Gevangenis {city}",),
        PrisonType.MIXED: ("Gevangenis {city}",),
        PrisonType.WOMEN: ("Vrouwengevangenis {city}",),
        PrisonType.YOUTH: ("Gemeenschapsinstelling {city}",),
    },
    "PL": {
        PrisonType.MEN: ("Zakład Karny w {city}", "Areszt Śledczy w {city}"),
        PrisonType.MIXED: ("Areszt Śledczy w {city}",),
        PrisonType.WOMEN: ("Zakład Karny dla Kobiet w {city}",),
        PrisonType.YOUTH: ("Zakład Karny dla Młodocianych w {city}",),
    },
    "RO": {
        PrisonType.MEN: ("Penitenciarul {city}",),
        PrisonType.MIXED: ("Penitenciarul {city}",),
        PrisonType.WOMEN: ("Penitenciarul de Femei {city}",),
        PrisonType.YOUTH: ("Centrul de Detenție {city}",),
    },
    "CZ": {
        PrisonType.MEN: ("Věznice {city}",),
        PrisonType.MIXED: ("Vazební věznice {city}",),
        PrisonType.WOMEN: ("Věznice pro ženy {city}",),
        PrisonType.YOUTH: ("Věznice pro mladistvé {city}",),
    },
    "HR": {
        PrisonType.MEN: ("Zatvor u {city}", "Kaznionica u {city}"),
        PrisonType.MIXED: ("Zatvor u {city}",),
        PrisonType.WOMEN: ("Kaznionica za žene u {city}",),
        PrisonType.YOUTH: ("Odgojni zavod {city}",),
    },
    "GR": {
        PrisonType.MEN: ("Κατάστημα Κράτησης {city}",),
        PrisonType.MIXED: ("Κατάστημα Κράτησης {city}",),
        PrisonType.WOMEN: ("Κατάστημα Κράτησης Γυναικών {city}",),
        PrisonType.YOUTH: ("Κατάστημα Κράτησης Νέων {city}",),
    },
    "SE": {
        PrisonType.MEN: ("Anstalten {city}",),
        PrisonType.MIXED: ("Häktet {city}",),
        PrisonType.WOMEN: ("Anstalten {city} (kvinnor)",),
        PrisonType.YOUTH: ("SiS ungdomshem {city}",),
    },
    "GB": {
        PrisonType.MEN: ("HMP {city}",),
        PrisonType.MIXED: ("HMP {city}",),
        PrisonType.WOMEN: ("HMP & YOI {city}",),
        PrisonType.YOUTH: ("HMYOI {city}",),
    },
}

GENERIC_PRISON_STYLE: dict[PrisonType, tuple[str, ...]] = {
    PrisonType.MEN: ("{city} Prison",),
    PrisonType.MIXED: ("{city} Prison",),
    PrisonType.WOMEN: ("{city} Women's Prison",),
    PrisonType.YOUTH: ("{city} Youth Detention Centre",),
}

# Fictional organisation names, by language; "{city}" is a town of the country.
ORGANISATION_STYLES: dict[str, tuple[str, ...]] = {
    "it": (
        "Associazione Legami Oltre le Mura",
        "Cooperativa Sociale Il Ponte – {city}",
        "Associazione Famiglie Senza Confini",
        "Fondazione Filo Rosso {city}",
    ),
    "fr": (
        "Association Liens Familiaux {city}",
        "Association Au-delà des Murs",
        "Collectif Passerelles Familles",
        "Association Parents Enfants Ensemble – {city}",
    ),
    "de": (
        "Familienbrücke {city} e.V.",
        "Verein Kinderzeit {city} e.V.",
        "Netzwerk Familienbande e.V.",
    ),
    "es": (
        "Asociación Puentes de Familia",
        "Fundación Lazos {city}",
        "Asociación Más Allá del Muro",
    ),
    "pt": ("Associação Laços de Família", "Associação Pontes {city}"),
    "nl": ("Stichting Brug naar Thuis", "Stichting Open Deur {city}"),
    "pl": ("Fundacja Mosty Rodzinne", "Stowarzyszenie Rodzina Razem – {city}"),
    "ro": ("Asociația Punți pentru Copii", "Fundația Familia Unită {city}"),
    "cs": ("Spolek Mosty k rodině", "Rodinný most {city}, z.s."),
    "hr": ("Udruga Obiteljski mostovi", "Udruga Zajedno {city}"),
    "el": ("Σύλλογος Γέφυρες Οικογένειας", "Δίκτυο Οικογένεια Μαζί {city}"),
    "sv": ("Föreningen Broar för barn", "Familjebron {city}"),
    "en": (
        "{city} Families Beyond Bars",
        "Bridges for Children {city}",
        "Family Links Project",
        "Open Doors Family Support",
    ),
}

REGION_PROVIDERS = ("administrative_unit", "region", "state", "county", "province")


def faker_locale(country: str) -> str:
    """Return the Faker locale for an organisation's country (ISO 3166 alpha-2)."""
    country = country.upper()
    if country in COUNTRY_LOCALES:
        return COUNTRY_LOCALES[country]
    for locale in sorted(AVAILABLE_LOCALES):
        if locale.endswith(f"_{country}") and _has_places(locale):
            return locale
    return FALLBACK_LOCALE


def _has_places(locale: str) -> bool:
    """Whether Faker has names and places of its own for ``locale`` (not English stand-ins)."""
    return all(
        importlib.util.find_spec(f"faker.providers.{kind}.{locale}") is not None
        for kind in ("person", "address")
    )


def language_of(country: str) -> str:
    return faker_locale(country).split("_")[0]


def new_faker(country: str, seed: int) -> Faker:
    fake = Faker(faker_locale(country))
    fake.seed_instance(seed)
    return fake


def _unique(values: list[str]) -> tuple[str, ...]:
    """Keep the values in first-seen order without repeats (deterministic, unlike a set)."""
    return tuple(dict.fromkeys(v for v in values if v))


def _draw(count: int, source: Callable[[], str]) -> tuple[str, ...]:
    return _unique([source() for _ in range(count)])


@cache
def ascii_slug(text: str) -> str:
    """Lower-case ASCII letters of ``text`` (for e-mail addresses), accents dropped."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and c.isalpha()).lower()


@dataclass(frozen=True)
class NamePools:
    """Names and places of one country, drawn once from Faker and sampled many times."""

    female: tuple[str, ...]
    male: tuple[str, ...]
    last: tuple[str, ...]
    prison_places: tuple[tuple[str, str | None], ...]
    """Cities for prisons, with their region when it is known (else one drawn at random)."""
    addresses: tuple[str, ...]
    phones: tuple[str, ...]
    emails: tuple[str, ...]
    """Whole addresses for people whose names give no ASCII mailbox name."""
    email_domains: tuple[str, ...]


def draw_pools(country: str, seed: int) -> NamePools:
    fake = new_faker(country, seed)
    female = _draw(240, fake.first_name_female)
    male = _draw(240, fake.first_name_male)
    last = _draw(400, fake.last_name)
    towns = _draw(200, fake.city)
    places: tuple[tuple[str, str | None], ...]
    if country.upper() in REAL_CITIES:
        places = tuple(REAL_CITIES[country.upper()].items())
    else:
        region_of = _region_source(fake)
        places = tuple((town, region_of() if region_of else None) for town in towns[:60])
    pick = random.Random(seed)
    addresses = tuple(
        f"{fake.street_address()}, {fake.postcode()} {pick.choice(towns)}" for _ in range(300)
    )
    return NamePools(
        female=female,
        male=male,
        last=last,
        prison_places=places,
        addresses=addresses,
        phones=_draw(600, fake.phone_number),
        emails=_draw(200, fake.free_email),
        email_domains=_draw(40, fake.free_email_domain),
    )


def _region_source(fake: Faker) -> Callable[[], str] | None:
    for provider in REGION_PROVIDERS:
        method = getattr(fake, provider, None)
        if method is not None:
            return method
    return None


def prison_name(country: str, prison_type: PrisonType, city: str, variant: int) -> str:
    styles = PRISON_STYLES.get(country.upper(), GENERIC_PRISON_STYLE)[prison_type]
    name = styles[variant % len(styles)].format(city=city)
    return _french_elision(name) if country.upper() == "FR" else name


def _french_elision(name: str) -> str:
    """Write "d'Avignon", "du Havre", "des Sables" where French contracts "de"."""
    name = re.sub(r"\bde Le ", "du ", name)
    name = re.sub(r"\bde Les ", "des ", name)
    return re.sub(r"\bde ([AEIOUYÂÉÈÊÎÔaeiouy])", r"d'\1", name)


def organisation_name(country: str, seed: int) -> str:
    """Make up a plausible (fictional) NGO name for a demo organisation in ``country``."""
    rng = random.Random(seed)
    fake = new_faker(country, seed)
    cities = tuple(REAL_CITIES.get(country.upper(), {})) or _draw(20, fake.city)
    styles = ORGANISATION_STYLES.get(language_of(country), ORGANISATION_STYLES["en"])
    return rng.choice(styles).format(city=rng.choice(cities))
