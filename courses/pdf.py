"""PDF rendering of certificates and offline course packs, with WeasyPrint.

Model-independent on purpose: callers (courses.services) turn their records
into the frozen dataclasses below, and get PDF bytes back. Storing the bytes and
deciding when to regenerate them is the caller's job.

Speed: fonts are small pre-subset WOFF2 files (core/static/fonts), loaded once
per process into one FontConfiguration together with the parsed stylesheets;
WeasyPrint then only subsets a few glyphs per document.
"""

from __future__ import annotations

import hashlib
import math
import threading
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from importlib.metadata import version
from pathlib import Path
from urllib.parse import unquote, urlsplit

import qrcode
import qrcode.constants
import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from core.languages import language_codes

# The PDFs' own stylesheets are not static files: the site never serves them,
# and collectstatic would try to resolve their font URLs (relative to the fonts folder).
PDF_STYLES = Path(__file__).resolve().parent / "pdf_styles"
FONTS_STYLESHEET = PDF_STYLES / "fonts.css"
FONTS_FOLDER_FILE = "fonts/fonts.css"  # the website's font declarations, beside the font files
CERTIFICATE_STYLESHEET = PDF_STYLES / "certificate.css"
COURSE_PACK_STYLESHEET = PDF_STYLES / "course_pack.css"
EU_EMBLEM = "img/eu-emblem.svg"
PROGRAMME_LOGO = "img/eni-cbc-med.svg"


@dataclass(frozen=True, kw_only=True)
class CertificatePartner:
    """A partner organisation named on the certificate (its acronym is printed)."""

    acronym: str
    name: str
    country: str = ""


@dataclass(frozen=True, kw_only=True)
class CertificateData:
    """Everything printed on one certificate, in one language.

    `course_title` is already in `language`; `code` is the grouped display form
    (ABCD-EFGH-...); `verification_url` is absolute, as it goes into the QR code.
    `holder_name_arabic` optionally repeats the name in Arabic script.
    """

    holder_name: str
    course_title: str
    completion_date: date
    hours: int | float | Decimal
    code: str
    verification_url: str
    language: str
    holder_name_arabic: str = ""
    partners: tuple[CertificatePartner, ...] = ()


@dataclass(frozen=True, kw_only=True)
class CoursePackQuestion:
    """A quiz question as printed: the choices, never which of them are right."""

    text: str
    choices: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class CoursePackQuiz:
    title: str
    questions: tuple[CoursePackQuestion, ...]


@dataclass(frozen=True, kw_only=True)
class CoursePackLesson:
    """`body_html` is trusted, already rendered HTML (StreamField output).

    Its images are read from local files only: src URLs under MEDIA_URL or
    STATIC_URL (give print-size renditions); any other URL is left out.
    """

    title: str
    body_html: str


@dataclass(frozen=True, kw_only=True)
class CoursePackModule:
    title: str
    lessons: tuple[CoursePackLesson, ...]
    quiz: CoursePackQuiz | None = None


@dataclass(frozen=True, kw_only=True)
class CoursePackData:
    """A whole course in one language, for offline reading and printing."""

    title: str
    summary: str
    language: str
    modules: tuple[CoursePackModule, ...]
    final_quiz: CoursePackQuiz | None = None
    hours: int | float | Decimal | None = None
    course_url: str = ""


def render_certificate_pdf(*, data: CertificateData) -> bytes:
    """A one-page A4 landscape certificate; right to left and mirrored in Arabic.

    Raises ValueError for a language the site does not have or a verification
    URL that is not absolute (a QR code must work when scanned from paper).
    """
    _check_language(data.language)
    if urlsplit(data.verification_url).scheme not in ("http", "https"):
        raise ValueError(f"verification_url must be an absolute http(s) URL, not {data.verification_url!r}")
    context = {
        "certificate": data,
        "hours_count": math.ceil(data.hours),
        "qr_svg": qr_code_svg(data.verification_url),
        "eu_emblem_url": _static_file(EU_EMBLEM).as_uri(),
        "programme_logo_url": _static_file(PROGRAMME_LOGO).as_uri(),
    }
    with translation.override(data.language):
        html = render_to_string("courses/pdf/certificate.html", context)
    return _write_pdf(html, CERTIFICATE_STYLESHEET)


def render_course_pack_pdf(*, data: CoursePackData) -> bytes:
    """The course's modules, lessons and quiz questions (no answers) as one A4 PDF."""
    _check_language(data.language)
    context = {
        "pack": data,
        "hours_count": math.ceil(data.hours) if data.hours is not None else None,
        "eu_emblem_url": _static_file(EU_EMBLEM).as_uri(),
        "programme_logo_url": _static_file(PROGRAMME_LOGO).as_uri(),
    }
    with translation.override(data.language):
        html = render_to_string("courses/pdf/course_pack.html", context)
    return _write_pdf(html, COURSE_PACK_STYLESHEET)


def certificate_design_version(*, language: str) -> str:
    """A fingerprint of everything besides the data that shapes a certificate in `language`.

    Templates, stylesheets, fonts, logos, the language's message catalogue and
    the WeasyPrint and qrcode versions. Store it beside a stored PDF; regenerate
    the PDF when it differs ("regenerated only when the template changes").
    """
    return _design_version("courses/pdf/certificate.html", CERTIFICATE_STYLESHEET, language)


def course_pack_design_version(*, language: str) -> str:
    """Like certificate_design_version, for the offline course pack."""
    return _design_version("courses/pdf/course_pack.html", COURSE_PACK_STYLESHEET, language)


def qr_code_svg(url: str) -> str:
    """An inline SVG QR code of `url` (error correction M), one path, 1 unit per module."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(url)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    # One horizontal run of dark modules per subpath keeps the path short.
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < size:
            if row[x]:
                start = x
                while x < size and row[x]:
                    x += 1
                runs.append(f"M{start} {y}h{x - start}v1h{start - x}z")
            else:
                x += 1
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-2 -2 {size + 4} {size + 4}" '
        f'class="qr" role="img" shape-rendering="crispEdges">'
        f'<rect x="-2" y="-2" width="{size + 4}" height="{size + 4}" fill="#fff"/>'
        f'<path fill="#1d2428" d="{"".join(runs)}"/></svg>'
    )


# --- WeasyPrint plumbing -------------------------------------------------------

# One FontConfiguration (with its fontconfig state) is shared by every render in
# the process; WeasyPrint does not promise that it is thread-safe.
_render_lock = threading.Lock()
_image_cache: dict = {}


class _LocalFilesFetcher(URLFetcher):
    """Reads only local static and media files: a PDF render never goes on the network."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = _local_path(url)
        if path is None:
            raise ValueError(f"not a local static or media file: {url}")
        return super().fetch(path.as_uri(), headers)


def _local_path(url: str) -> Path | None:
    parts = urlsplit(url)
    if parts.scheme != "file":
        return None
    path = Path(unquote(parts.path))
    if ".." in path.parts:
        return None
    media_url = urlsplit(settings.MEDIA_URL).path
    static_url = urlsplit(settings.STATIC_URL).path
    # Relative "/media/..." and "/static/..." URLs resolve against the file: base URL.
    if path.as_posix().startswith(media_url):
        candidate = Path(settings.MEDIA_ROOT) / path.as_posix()[len(media_url) :]
        return _inside(candidate, [Path(settings.MEDIA_ROOT)])
    if path.as_posix().startswith(static_url):
        found = finders.find(path.as_posix()[len(static_url) :])
        return Path(found) if found else None
    return _inside(path, _static_roots())


def _inside(path: Path, roots: list[Path]) -> Path | None:
    resolved = path.resolve()
    for root in roots:
        if resolved.is_relative_to(root.resolve()) and resolved.is_file():
            return resolved
    return None


@cache
def _static_roots() -> list[Path]:
    # The folders our own stylesheets, fonts and logos come from.
    return [_static_file(name).parent for name in (FONTS_FOLDER_FILE, FONTS_STYLESHEET, EU_EMBLEM)]


@cache
def _static_file(name: str | Path) -> Path:
    if isinstance(name, Path):
        return name
    found = finders.find(name)
    if not found:
        raise FileNotFoundError(f"static file {name} not found")
    return Path(found)


@dataclass
class _Pipeline:
    font_config: FontConfiguration
    fetcher: URLFetcher
    stylesheets: dict[str, list[CSS]]


@cache
def _pipeline() -> _Pipeline:
    font_config = FontConfiguration()
    fetcher = _LocalFilesFetcher()
    fonts = CSS(
        filename=str(_static_file(FONTS_STYLESHEET)),
        base_url=_static_file(FONTS_FOLDER_FILE).parent.as_uri() + "/",
        font_config=font_config,
        url_fetcher=fetcher,
    )
    stylesheets = {
        name: [fonts, CSS(filename=str(_static_file(name)), font_config=font_config, url_fetcher=fetcher)]
        for name in (CERTIFICATE_STYLESHEET, COURSE_PACK_STYLESHEET)
    }
    return _Pipeline(font_config=font_config, fetcher=fetcher, stylesheets=stylesheets)


def _write_pdf(html: str, stylesheet: str) -> bytes:
    with _render_lock:
        pipeline = _pipeline()
        document = HTML(string=html, base_url=Path(settings.BASE_DIR).as_uri() + "/", url_fetcher=pipeline.fetcher)
        return document.write_pdf(
            stylesheets=pipeline.stylesheets[stylesheet], font_config=pipeline.font_config, cache=_image_cache
        )


@cache
def _design_version(template: str, stylesheet: str, language: str) -> str:
    _check_language(language)
    templates_folder = Path(__file__).resolve().parent / "templates" / "courses" / "pdf"
    files = sorted(templates_folder.glob("*.html"))
    files += [_static_file(name) for name in (stylesheet, FONTS_STYLESHEET, EU_EMBLEM, PROGRAMME_LOGO)]
    files += sorted(_static_file(FONTS_FOLDER_FILE).parent.glob("*.woff2"))
    files += [Path(folder) / language / "LC_MESSAGES" / "django.po" for folder in settings.LOCALE_PATHS]
    digest = hashlib.sha256(f"{template} weasyprint {weasyprint.__version__} qrcode {version('qrcode')}".encode())
    for path in files:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _check_language(language: str) -> None:
    if language not in language_codes():
        raise ValueError(f"unknown language {language!r}: choose from {', '.join(language_codes())}")
