"""Certificate and course-pack PDFs as a holder, a verifier and a reader meet them.

Rendered from courses.pdf's data classes alone: no course, enrolment or
certificate record is needed, so these tests need no database.
"""

import io
import re
from dataclasses import fields, replace
from datetime import date

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from courses.pdf import (
    CertificateData,
    CertificatePartner,
    CoursePackData,
    CoursePackLesson,
    CoursePackModule,
    CoursePackQuestion,
    CoursePackQuiz,
    local_file_roots,
    qr_code_svg,
    render_certificate_pdf,
    render_course_pack_pdf,
)

CODE = "K7QM-3TXV-9PLA-RW2C-HD4N-8ZEF-6B"
HOLDERS = {
    "en": ("Maria Papadopoulou", ""),
    "el": ("Μαρία Παπαδοπούλου", ""),
    "it": ("Łucja Żebrowska-Rossi", ""),  # Latin Extended letters must not go missing
    "ar": ("Leila Ben Salah", "ليلى بن صالح"),
}
COURSE_TITLES = {
    "en": "Upcycling textile waste",
    "el": "Αναβάθμιση κλωστοϋφαντουργικών αποβλήτων",
    "it": "Riciclo creativo degli scarti tessili",
    "ar": "إعادة تدوير نفايات المنسوجات",
}
LANGUAGES = list(COURSE_TITLES)
# The families shipped in core/static/fonts; nothing may come from the system.
SHIPPED_FAMILIES = {"Noto Sans", "Noto Serif", "Amiri"}
PAGE_HALF_WIDTH_PT = 841.89 / 2


def certificate_data(language: str) -> CertificateData:
    holder, holder_arabic = HOLDERS[language]
    values = {
        "holder_name": holder,
        "holder_name_arabic": holder_arabic,
        "course_title": COURSE_TITLES[language],
        "completion_date": date(2026, 11, 27),
        "hours": 12,
        "code": CODE,
        "verification_url": f"https://hub.example.org/{language}/certificates/verify/{CODE}/",
        "language": language,
        "partners": (CertificatePartner(acronym="NTUA", name="National Technical University of Athens"),),
    }
    return CertificateData(**values)


@pytest.fixture(scope="module")
def certificates() -> dict[str, PdfReader]:
    return {
        language: PdfReader(io.BytesIO(render_certificate_pdf(data=certificate_data(language))))
        for language in LANGUAGES
    }


def page_text(reader: PdfReader) -> str:
    """All pages' text with runs of whitespace made single spaces."""
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.mark.parametrize("language", LANGUAGES)
def test_certificate_names_holder_course_and_code(certificates, language):
    text = page_text(certificates[language])
    holder, holder_arabic = HOLDERS[language]
    assert holder in text
    assert COURSE_TITLES[language] in text
    assert CODE in text
    if holder_arabic:
        assert holder_arabic in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_certificate_is_one_a4_landscape_page_in_its_language(certificates, language):
    reader = certificates[language]
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    assert reader.trailer["/Root"]["/Lang"] == language


def test_arabic_certificate_extracts_arabic_words_in_reading_order(certificates):
    # pypdf gives runs of one direction in logical order; a line mixing Arabic
    # and Latin comes out run by run, so only whole Arabic runs are compared.
    text = page_text(certificates["ar"])
    assert "إعادة تدوير نفايات المنسوجات" in text
    assert "ليلى بن صالح" in text
    assert "ةداعإ" not in text  # not reversed


@pytest.mark.parametrize("language", LANGUAGES)
def test_verification_url_is_printed(certificates, language):
    url = certificate_data(language).verification_url
    # A long URL wraps: compare without the line breaks.
    assert url in re.sub(r"\s+", "", page_text(certificates[language]))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_font_is_a_shipped_font_embedded_as_a_subset(certificates, language):
    fonts = _embedded_fonts(certificates[language])
    assert fonts
    for base_font, family, embedded in fonts:
        assert embedded, f"{base_font} is not embedded"
        assert re.match(r"^/[A-Z]{6}\+", base_font), f"{base_font} is not a subset"
        assert family in SHIPPED_FAMILIES, f"{base_font} is {family}, not a shipped font"


def test_arabic_certificate_is_mirrored(certificates):
    # The hub's name heads the inline-start side and the verification code
    # sits at the inline end: left and right in English, right and left in Arabic.
    english, arabic = _x_positions(certificates["en"]), _x_positions(certificates["ar"])
    assert english["INNOMED-UP Knowledge Hub"] < PAGE_HALF_WIDTH_PT < english[CODE]
    assert arabic[CODE] < PAGE_HALF_WIDTH_PT < arabic["INNOMED-UP Knowledge Hub"]


def test_qr_code_encodes_the_verification_url():
    import qrcode

    url = certificate_data("en").verification_url
    expected = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    expected.add_data(url)
    expected.make(fit=True)
    assert _matrix_from_svg(qr_code_svg(url)) == expected.get_matrix()


def test_bad_certificate_data_is_refused_before_rendering():
    with pytest.raises(ValueError, match="unknown language"):
        render_certificate_pdf(data=replace(certificate_data("en"), language="fr"))
    with pytest.raises(ValueError, match="absolute"):
        render_certificate_pdf(
            data=replace(certificate_data("en"), verification_url=f"/en/certificates/verify/{CODE}/")
        )


# --- Offline course pack ------------------------------------------------------

QUESTION = {
    "en": ("Which fibre is easiest to recycle?", ("Cotton", "Polyester blends")),
    "el": ("Ποια ίνα ανακυκλώνεται πιο εύκολα;", ("Βαμβάκι", "Μείγματα πολυεστέρα")),
    "it": ("Quale fibra si ricicla più facilmente?", ("Cotone", "Misti poliestere")),
    "ar": ("ما الألياف الأسهل في إعادة التدوير؟", ("القطن", "خلطات البوليستر")),
}


def course_pack_data(language: str, lesson_html: str = "") -> CoursePackData:
    text, choices = QUESTION[language]
    paragraph = f"<p>{' '.join([COURSE_TITLES[language]] * 40)}</p>"
    modules = tuple(
        CoursePackModule(
            title=f"{COURSE_TITLES[language]} {number}",
            lessons=(
                CoursePackLesson(title=f"{number}.1", body_html=paragraph * 4 + lesson_html),
                CoursePackLesson(title=f"{number}.2", body_html=paragraph * 2),
            ),
            quiz=CoursePackQuiz(title=f"Quiz {number}", questions=(CoursePackQuestion(text=text, choices=choices),)),
        )
        for number in (1, 2)
    )
    return CoursePackData(
        title=COURSE_TITLES[language],
        summary=COURSE_TITLES[language],
        language=language,
        modules=modules,
        final_quiz=CoursePackQuiz(title="Final", questions=(CoursePackQuestion(text=text, choices=choices),)),
        hours=6,
        course_url=f"https://hub.example.org/{language}/courses/upcycling-textile-waste/",
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_course_pack_holds_the_whole_course_in_its_language(language):
    reader = PdfReader(io.BytesIO(render_course_pack_pdf(data=course_pack_data(language))))
    text = page_text(reader)
    assert len(reader.pages) > 1
    assert reader.trailer["/Root"]["/Lang"] == language
    assert COURSE_TITLES[language] in text
    question, choices = QUESTION[language]
    assert question in text
    assert all(choice in text for choice in choices)


def test_course_pack_questions_cannot_carry_answers():
    # The pack prints questions and choices only: its data has nowhere to put
    # which choice is right or the feedback, so no caller can leak them.
    assert {field.name for field in fields(CoursePackQuestion)} == {"text", "choices"}


def test_course_pack_reads_local_images_and_never_the_network_or_other_files():
    pdf = render_course_pack_pdf(
        data=course_pack_data(
            "en",
            lesson_html='<img src="/static/img/eu-emblem.svg" alt="">'
            '<img src="https://tracker.example.com/pixel.png" alt="">'
            '<img src="file:///etc/passwd" alt="">',
        )
    )
    assert pdf.startswith(b"%PDF")
    from courses.pdf_worker import LocalFilesFetcher

    fetcher = LocalFilesFetcher(**local_file_roots())
    for url in ("https://tracker.example.com/pixel.png", "file:///etc/passwd"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert fetcher.fetch("file:///static/img/eu-emblem.svg").read().startswith(b"<svg")


# --- Helpers ------------------------------------------------------------------


def _embedded_fonts(reader: PdfReader) -> list[tuple[str, str, bool]]:
    """(BaseFont, family name inside the font file, embedded?) for every font used."""
    found = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            stream = next(
                (descriptor[key] for key in ("/FontFile", "/FontFile2", "/FontFile3") if key in descriptor), None
            )
            family = ""
            if stream is not None:
                family = TTFont(io.BytesIO(stream.get_object().get_data()))["name"].getDebugName(1)
            found.append((str(font["/BaseFont"]), family, stream is not None))
    return found


def _x_positions(reader: PdfReader) -> dict[str, float]:
    """The x (points from the left edge) where each text run starts."""
    positions = {}

    def visit(text, cm, tm, _font, _size):
        if text.strip():
            positions[text.strip()] = tm[4] * cm[0] + cm[4]

    reader.pages[0].extract_text(visitor_text=visit)
    return positions


def _matrix_from_svg(svg: str) -> list[list[bool]]:
    size = int(re.search(r'viewBox="-2 -2 (\d+)', svg)[1]) - 4
    matrix = [[False] * size for _ in range(size)]
    for x, y, length in re.findall(r"M(\d+) (\d+)h(\d+)", svg):
        for column in range(int(x), int(x) + int(length)):
            matrix[int(y)][column] = True
    return matrix


def test_design_version_tells_when_a_stored_pdf_is_out_of_date(settings, tmp_path):
    from courses import pdf

    english = pdf.certificate_design_version(language="en")
    assert english == pdf.certificate_design_version(language="en")
    assert english != pdf.course_pack_design_version(language="en")
    # A changed Arabic catalogue changes the Arabic certificates' version only.
    catalogue = tmp_path / "ar" / "LC_MESSAGES" / "django.po"
    catalogue.parent.mkdir(parents=True)
    catalogue.write_text('msgid "Certificate of completion"\nmsgstr "شهادة"\n')
    arabic = pdf.certificate_design_version(language="ar")
    settings.LOCALE_PATHS = [*settings.LOCALE_PATHS, str(tmp_path)]
    pdf._design_version.cache_clear()
    try:
        assert pdf.certificate_design_version(language="ar") != arabic
        assert pdf.certificate_design_version(language="en") == english
    finally:
        pdf._design_version.cache_clear()
