"""Synthetic case-study records for load tests, in the import file's format.

The text is word salad from small per-language word lists: it is meant to
exercise Greek, Italian, Arabic and English columns, slugs and sizes, not to be
read. Everything derives from `random.Random(seed)`, so runs are comparable.
"""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path

TAXONOMIES = Path(__file__).resolve().parent.parent / "casestudies" / "seed_data" / "taxonomies.json"

# cluster slug -> (country, latitude, longitude, place name per language)
CLUSTERS = {
    "athens": ("GR", 37.98, 23.73, {"en": "Athens", "el": "Αθήνα", "it": "Atene", "ar": "أثينا"}),
    "prato": ("IT", 43.88, 11.10, {"en": "Prato", "el": "Πράτο", "it": "Prato", "ar": "براتو"}),
    "sicily": ("IT", 37.60, 14.02, {"en": "Sicily", "el": "Σικελία", "it": "Sicilia", "ar": "صقلية"}),
    "tunis": ("TN", 36.80, 10.18, {"en": "Tunis", "el": "Τύνιδα", "it": "Tunisi", "ar": "تونس"}),
    "birzeit": ("PS", 31.97, 35.19, {"en": "Birzeit", "el": "Μπιρζέιτ", "it": "Birzeit", "ar": "بيرزيت"}),
    "amman": ("JO", 31.95, 35.93, {"en": "Amman", "el": "Αμμάν", "it": "Amman", "ar": "عمّان"}),
}

WORDS = {
    "en": {
        "nouns": "material timber fabric workshop scenery store artisans waste paper glass metal leather ceramics "
        "studio collective theatre printer tailor designers community market furniture yarn offcuts",
        "adjectives": "circular local shared creative sustainable reclaimed new small independent urban "
        "second-hand durable",
        "verbs": "collects repairs refurbishes repurposes recycles reduces sorts rebuilds sells lends "
        "catalogues transforms",
    },
    "el": {
        "nouns": "υλικό ξύλο ύφασμα εργαστήριο σκηνικό αποθήκη τεχνίτες απόβλητα χαρτί γυαλί μέταλλο δέρμα "
        "κεραμικά ατελιέ συνεταιρισμός θέατρο τυπογραφείο ράφτης σχεδιαστές κοινότητα αγορά έπιπλα νήμα",
        "adjectives": "κυκλικό τοπικό κοινόχρηστο δημιουργικό βιώσιμο ανακτημένο νέο μικρό ανεξάρτητο αστικό "
        "μεταχειρισμένο ανθεκτικό",
        "verbs": "συλλέγει επισκευάζει ανακαινίζει επαναχρησιμοποιεί ανακυκλώνει μειώνει ταξινομεί ξαναχτίζει "
        "πουλά δανείζει καταγράφει μετατρέπει",
    },
    "it": {
        "nouns": "materiale legno tessuto laboratorio scenografia magazzino artigiani scarti carta vetro metallo "
        "pelle ceramica atelier cooperativa teatro tipografia sarto designer comunità mercato mobili filato",
        "adjectives": "circolare locale condiviso creativo sostenibile recuperato nuovo piccolo indipendente "
        "urbano usato durevole",
        "verbs": "raccoglie ripara ricondiziona riconverte ricicla riduce smista ricostruisce vende presta "
        "cataloga trasforma",
    },
    "ar": {
        "nouns": "مادة خشب نسيج ورشة ديكور مستودع حرفيون نفايات ورق زجاج معدن جلد خزف مرسم تعاونية مسرح "
        "مطبعة خياط مصممون مجتمع سوق أثاث خيوط",
        "adjectives": "دائري محلي مشترك إبداعي مستدام مستعاد جديد صغير مستقل حضري مستعمل متين",
        "verbs": "يجمع يصلح يجدد يعيد يدور يقلل يفرز يبني يبيع يعير يفهرس يحول",
    },
}
VOCABULARY = {language: {pool: words.split() for pool, words in pools.items()} for language, pools in WORDS.items()}
# "<title words> in <place>"; the Greek article suits feminine places, and this text need not be grammatical.
IN_PLACE = {"en": "in", "el": "στην", "it": "a", "ar": "في"}
LANGUAGES = tuple(WORDS)
TEXT_SENTENCES = {"challenge": 4, "solution": 5, "results": 3}
ORGANISATION_KINDS = ("Workshop", "Studio", "Cooperative", "Atelier", "Lab", "Collective")


def taxonomy_slugs() -> dict[str, list[str]]:
    """Sector, strategy and material slugs, as the migrations seed them."""
    data = json.loads(TAXONOMIES.read_text(encoding="utf-8"))
    return {kind: [term["slug"] for term in data[kind]] for kind in ("sector", "strategy", "material")}


def synthetic_case_studies(*, count: int, seed: int = 2025) -> list[dict]:
    """`count` valid import records with text in every language; the same for the same seed."""
    rng = random.Random(seed)
    slugs = taxonomy_slugs()
    clusters = list(CLUSTERS)
    records = []
    for number in range(1, count + 1):
        cluster = clusters[(number - 1) % len(clusters)]
        country, latitude, longitude, place = CLUSTERS[cluster]
        records.append(
            {
                "external_id": f"bench-{number:05d}",
                "cluster": cluster,
                "country": country,
                "sector": rng.choice(slugs["sector"]),
                "strategies": rng.sample(slugs["strategy"], rng.randint(1, 3)),
                "materials": rng.sample(slugs["material"], rng.randint(1, 3)),
                "year": rng.randint(2015, 2025),
                "organisation": f"{place['en']} {rng.choice(ORGANISATION_KINDS)} {number}",
                "location": {
                    "lat": round(latitude + rng.uniform(-0.2, 0.2), 4),
                    "lon": round(longitude + rng.uniform(-0.2, 0.2), 4),
                },
                "impact": {
                    "waste_diverted_kg": rng.randint(100, 50_000),
                    "co2e_avoided_kg": rng.randint(100, 80_000),
                    "jobs_created": rng.randint(0, 12),
                    "smes_involved": rng.randint(1, 20),
                },
                "translations": {language: _texts(rng, language, place[language]) for language in LANGUAGES},
            }
        )
    return records


def edited(records: list[dict], *, count: int, seed: int = 2025) -> tuple[list[dict], set[str]]:
    """A copy of `records` where `count` of them differ in one text and one metric."""
    rng = random.Random(seed + 1)
    result = copy.deepcopy(records)
    chosen = rng.sample(range(len(result)), count)
    for position in chosen:
        record = result[position]
        language = LANGUAGES[position % len(LANGUAGES)]
        texts = record["translations"][language]
        texts["results"] = texts["results"] + " " + _sentence(rng, language, words=8)
        record["impact"]["jobs_created"] += 1
    return result, {result[position]["external_id"] for position in chosen}


def _texts(rng: random.Random, language: str, place: str) -> dict[str, str]:
    words = VOCABULARY[language]
    title = (
        f"{_capitalised(rng.choice(words['nouns']))} {rng.choice(words['adjectives'])} {IN_PLACE[language]} {place}: "
    )
    title += " ".join(rng.choice(words["nouns"]) for _ in range(2))
    texts = {"title": title, "summary": " ".join(_sentence(rng, language, words=14) for _ in range(2))}
    for field, sentences in TEXT_SENTENCES.items():
        texts[field] = " ".join(_sentence(rng, language, words=rng.randint(10, 18)) for _ in range(sentences))
    return texts


def _sentence(rng: random.Random, language: str, *, words: int) -> str:
    vocabulary = VOCABULARY[language]
    parts = []
    for position in range(words):
        pool = ("nouns", "adjectives", "verbs")[position % 3]
        parts.append(rng.choice(vocabulary[pool]))
    return _capitalised(" ".join(parts)) + "."


def _capitalised(text: str) -> str:
    # Arabic has no capitals; str.upper leaves it unchanged.
    return text[:1].upper() + text[1:]
