"""The Hub's own open-licensed fonts, on every page and in the certificates (issue 12, item 13)."""

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings

FONTS = Path(settings.BASE_DIR) / "core" / "static" / "fonts"

pytestmark = pytest.mark.django_db


def test_every_page_links_the_font_declarations_before_the_stylesheet(client):
    soup = BeautifulSoup(client.get("/ar/").content, "html.parser")
    sheets = [link["href"] for link in soup.select('link[rel="stylesheet"]')]
    assert sheets[:2] == ["/static/fonts/fonts.css", "/static/css/hub.css"]


def test_each_face_swaps_is_subset_by_script_and_exists():
    css = (FONTS / "fonts.css").read_text(encoding="utf-8")
    faces = re.findall(r"@font-face\s*{(.*?)}", css, re.S)
    assert faces
    for face in faces:
        assert "font-display: swap" in face and "unicode-range:" in face
        (name,) = re.findall(r'url\("([^"]+)"\)', face)
        assert (FONTS / name).exists() and (FONTS / name).stat().st_size < 120_000, name
    assert any("Amiri" in face and "U+0600-06FF" in face for face in faces)


def test_arabic_text_asks_for_the_shipped_arabic_font_first():
    hub_css = (Path(settings.BASE_DIR) / "hub" / "static" / "css" / "hub.css").read_text(encoding="utf-8")
    (arabic,) = re.findall(r"--font-ar:\s*([^;]+);", hub_css)
    assert arabic.split(",")[0].strip() == '"Amiri"'


def test_certificates_embed_the_same_font_files():
    pdf_css = (Path(settings.BASE_DIR) / "courses" / "pdf_styles" / "fonts.css").read_text(encoding="utf-8")
    used = set(re.findall(r'url\("([^"]+\.woff2)"\)', pdf_css))
    assert used and used <= {path.name for path in FONTS.glob("*.woff2")}
    assert any(name.startswith("amiri-arabic") for name in used)


def test_arabic_pages_load_the_small_arabic_files():
    css = (FONTS / "fonts.css").read_text(encoding="utf-8")
    # Declared last: browsers try the 43 KB cut first for Arabic letters.
    assert css.rindex("amiri-arabic-core-400") > css.rindex("amiri-arabic-400-normal")
    assert (FONTS / "amiri-arabic-core-400-normal.woff2").stat().st_size < 50_000
