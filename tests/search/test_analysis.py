"""Each language's analyzer makes the forms a reader would type meet the forms the text uses.

The assertions compare analyzer outputs with each other, never with the
stems themselves: what matters is that two spellings find each other.
"""

import pytest

from search.analysis import analyze


def assert_same_terms(language, *forms):
    expected = analyze(forms[0], language)
    assert expected, f"{forms[0]!r} produced no terms"
    for form in forms[1:]:
        assert analyze(form, language) == expected, f"{form!r} does not meet {forms[0]!r} in {language}"


def assert_different_terms(language, left, right):
    assert analyze(left, language) != analyze(right, language)


# --- Greek -------------------------------------------------------------------


@pytest.mark.parametrize(
    "forms",
    [
        ("ανακύκλωση", "ανακύκλωσης", "ανακυκλώσεις"),
        ("ύφασμα", "υφάσματα", "υφασμάτων", "υφάσματος"),
    ],
    ids=["recycling", "fabric"],
)
def test_greek_inflections_meet_their_base_form(forms):
    assert_same_terms("el", *forms)
    # and back: the base form finds every inflection
    assert_same_terms("el", *reversed(forms))


def test_greek_without_accents_or_in_capitals_equals_the_accented_word():
    assert_same_terms("el", "ανακύκλωση", "ανακυκλωση", "ΑΝΑΚΥΚΛΩΣΗ", "ΑΝΑΚΎΚΛΩΣΗ", "Ανακύκλωση")
    assert_same_terms("el", "υφασμάτων", "ΥΦΑΣΜΑΤΩΝ", "υφασματων")


def test_greek_final_sigma_equals_the_medial_sigma():
    assert_same_terms("el", "υφάσματος", "υφάσματοσ", "ΥΦΆΣΜΑΤΟΣ")
    assert_same_terms("el", "ανακύκλωσης", "ανακύκλωσησ")


def test_greek_stop_words_are_dropped():
    assert_same_terms(
        "el", "ανακύκλωση υφασμάτων", "Η ανακύκλωση των υφασμάτων και το", "για την ανακύκλωση σε υφάσματα"
    )
    assert analyze("και το της με για", "el") == []


def test_greek_distinct_words_stay_distinct():
    assert_different_terms("el", "ανακύκλωση", "ύφασμα")


# --- Arabic ------------------------------------------------------------------


def test_arabic_with_and_without_the_article_meet():
    assert_same_terms("ar", "المنسوجات", "منسوجات", "منسوج")
    assert_same_terms("ar", "منسوج", "المنسوجات")


def test_arabic_attached_conjunction_and_prepositions_are_removed():
    assert_same_terms("ar", "المنسوجات", "والمنسوجات", "بالمنسوجات")


def test_arabic_alef_variants_meet():
    assert_same_terms("ar", "إعادة", "أعادة", "اعادة", "آعادة")


def test_arabic_tashkeel_and_tatweel_are_ignored():
    assert_same_terms("ar", "إعادة", "إِعَادَة")
    assert_same_terms("ar", "التدوير", "التــدوير", "تدوير")


def test_arabic_taa_marbuta_and_alef_maqsura_are_folded():
    assert_same_terms("ar", "مكتبة", "مكتبه")
    assert_same_terms("ar", "موسيقى", "موسيقي")


def test_arabic_stop_words_are_dropped():
    assert_same_terms("ar", "إعادة تدوير المنسوجات", "إعادة تدوير المنسوجات في هذه")
    assert analyze("في من على إلى الى", "ar") == []


# --- Italian -----------------------------------------------------------------


def test_italian_singular_and_plural_meet():
    assert_same_terms("it", "tessuto", "tessuti")
    assert_same_terms("it", "riciclo", "riciclati", "riciclata")


@pytest.mark.parametrize(
    ("elided", "plain"),
    [
        ("l'economia", "economia"),
        ("l’economia", "economia"),
        ("dell'arte", "arte"),
        ("dell’arte", "arte"),
        ("L'ECONOMIA circolare", "economia circolare"),
    ],
)
def test_italian_elisions_keep_only_the_noun(elided, plain):
    assert_same_terms("it", plain, elided)


def test_italian_stop_words_are_dropped():
    assert_same_terms("it", "riciclo tessuti lana", "Il riciclo dei tessuti e della lana")
    assert analyze("il la di e della", "it") == []


# --- English -----------------------------------------------------------------


def test_english_stems_meet():
    assert_same_terms("en", "recycling", "recycled", "recycles", "recycle", "Recycling")
    assert_same_terms("en", "textiles", "textile")


def test_english_stop_words_are_dropped():
    assert_same_terms("en", "recycling textiles", "This is the recycling of textiles")
    assert analyze("the and of to", "en") == []


def test_english_distinct_words_stay_distinct():
    assert_different_terms("en", "wool", "woll")
