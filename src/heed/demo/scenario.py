"""The demo company: ~40 stores in five countries, and how satisfied their customers are.

Numbers here shape the synthetic data so the dashboard tells a story worth exploring: younger
customers are harder to please, two stores are clearly worse, service improves slowly over the
year, and intercept channels collect more comments than e-mail.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    language: str
    regions: tuple[tuple[str, tuple[str, ...]], ...]  # (region name, store towns)
    second_language: str = ""
    second_share: float = 0.0


COUNTRIES: tuple[Country, ...] = (
    Country(
        "IT",
        "Italia",
        "it",
        (
            ("Italia Nord", ("Milano Centro", "Milano Bicocca", "Torino", "Bergamo", "Verona", "Bologna")),
            ("Italia Centro-Sud", ("Roma Termini", "Roma EUR", "Firenze", "Napoli", "Bari", "Palermo")),
        ),
    ),
    Country(
        "HR",
        "Hrvatska",
        "hr",
        (("Hrvatska", ("Zagreb Centar", "Zagreb Arena", "Split", "Rijeka", "Osijek", "Zadar", "Pula", "Varaždin")),),
    ),
    Country(
        "BG",
        "България",
        "bg",
        (("България", ("София Център", "София Младост", "Пловдив", "Варна", "Бургас", "Русе", "Стара Загора")),),
        second_language="ru",
        second_share=0.08,
    ),
    Country(
        "EE",
        "Eesti",
        "et",
        (("Eesti", ("Tallinn Kesklinn", "Tallinn Ülemiste", "Tartu", "Pärnu", "Narva", "Viljandi")),),
        second_language="ru",
        second_share=0.3,
    ),
    Country(
        "IE",
        "Ireland",
        "en",
        (("Ireland", ("Dublin Grafton", "Dublin Dundrum", "Cork", "Galway", "Limerick", "Waterford", "Kilkenny")),),
    ),
)

# Latent satisfaction shifts (in NPS-answer points) that the data is generated from.
WORSE_STORES = {"IT-09": -2.6, "BG-03": -2.9}  # IT-09 Firenze, BG-03 Пловдив: clearly worse
AGE_EFFECT = {"18-24": -1.1, "25-34": -0.5, "35-44": 0.0, "45-54": 0.3, "55-64": 0.6, "65+": 0.9}
# Intercepts over-sample the young; the shoppers' population (for the demo weighting scheme) is older.
POPULATION_AGE_SHARES = {"18-24": 0.10, "25-34": 0.17, "35-44": 0.20, "45-54": 0.20, "55-64": 0.18, "65+": 0.15}
AGE_WEIGHTS = {"18-24": 0.14, "25-34": 0.22, "35-44": 0.22, "45-54": 0.18, "55-64": 0.14, "65+": 0.10}
COUNTRY_EFFECT = {"IT": 0.0, "HR": 0.3, "BG": -0.2, "EE": 0.2, "IE": 0.4}
COMMENT_RATE = {"qr": 0.45, "intercept": 0.6, "email": 0.3, "transaction": 0.25, "web": 0.35}
# The first names of each language's demo staff (data/staff_names.json).
STAFF_NAMES: dict[str, tuple[str, ...]] = {
    lang: tuple(names)
    for lang, names in json.loads(
        (Path(__file__).resolve().parent / "data" / "staff_names.json").read_text("utf-8")
    ).items()
    if not lang.startswith("_")
}
