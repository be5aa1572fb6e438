"""PDF rendering of certificates and offline course packs, with WeasyPrint.

Model-independent on purpose: callers (courses.services) turn their records
into the frozen dataclasses below, and get PDF bytes back. Storing the bytes and
deciding when to regenerate them is the caller's job.

The HTML is rendered here, in the web process (templates, translations, QR
code); WeasyPrint runs in a separate long-lived process, courses/pdf_worker.py,
that imports nothing of the Hub (see its docstring: memory). Speed: fonts are
small pre-subset WOFF2 files (core/static/fonts), loaded once per worker into
one FontConfiguration together with the parsed stylesheets; WeasyPrint then
only subsets a few glyphs per document. Any failure raises PdfRenderError.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import math
import os
import select
import struct
import subprocess
import sys
import threading
import time
from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlsplit

import qrcode
import qrcode.constants
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

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
    return _write_pdf(html, CERTIFICATE_STYLESHEET, timeout=CERTIFICATE_TIMEOUT_SECONDS).content


def render_course_pack_pdf(*, data: CoursePackData) -> bytes:
    """The course's modules, lessons and quiz questions (no answers) as one A4 PDF."""
    return render_course_pack(data=data).content


def render_course_pack(*, data: CoursePackData) -> RenderedPdf:
    """Like render_course_pack_pdf, with the page count."""
    _check_language(data.language)
    context = {
        "pack": data,
        "hours_count": math.ceil(data.hours) if data.hours is not None else None,
        "eu_emblem_url": _static_file(EU_EMBLEM).as_uri(),
        "programme_logo_url": _static_file(PROGRAMME_LOGO).as_uri(),
    }
    with translation.override(data.language):
        html = render_to_string("courses/pdf/course_pack.html", context)
    # A pack's photos are not shared with the next render: no image cache.
    return _write_pdf(html, COURSE_PACK_STYLESHEET, cache_images=False, timeout=COURSE_PACK_TIMEOUT_SECONDS)


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


# --- The render worker --------------------------------------------------------

WORKER_SCRIPT = Path(__file__).resolve().parent / "pdf_worker.py"
CERTIFICATE_TIMEOUT_SECONDS = 60
COURSE_PACK_TIMEOUT_SECONDS = 600
FRAME_HEADER = struct.Struct(">Q")  # the framing of courses/pdf_worker.py's protocol


class PdfRenderError(RuntimeError):
    """No PDF could be made: the render worker failed, timed out, could not start or sent a broken file."""


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    pages: int


class _WorkerLost(Exception):
    pass


class RenderWorker:
    """The web process's handle on its PDF render worker (courses/pdf_worker.py).

    Started on the first render and kept for the process's life; one request at
    a time (WeasyPrint does not promise thread safety, and the worker is single
    threaded). A worker that died is started again once; a render that fails,
    times out or answers something that is not a whole PDF raises PdfRenderError,
    so no caller ever stores a broken file.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._owner_pid = 0
        self.peak_rss_kb = 0  # the worker's peak resident memory, as it last reported it
        self.last_cpu_ms = 0.0  # the worker's CPU time for the last render

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def render(self, request: dict, *, timeout: float) -> RenderedPdf:
        frame = json.dumps(request).encode()
        with self._lock:
            for attempt in (1, 2):
                process = self._running()
                try:
                    header, content = self._exchange(process, frame, timeout)
                except _WorkerLost as lost:
                    self.stop()
                    if attempt == 2:
                        raise PdfRenderError(
                            f"the PDF render worker ({sys.executable} -P {WORKER_SCRIPT}) stopped without answering"
                            f" ({lost}); its own error, if any, is on standard error above"
                        ) from None
                    continue
                except TimeoutError:
                    self.stop()
                    message = f"the PDF render worker took more than {timeout:.0f} s; it was stopped"
                    raise PdfRenderError(message) from None
                break
        self.peak_rss_kb = max(self.peak_rss_kb, header.get("peak_rss_kb", 0))
        self.last_cpu_ms = header.get("cpu_ms", 0.0)
        if not header.get("ok"):
            raise PdfRenderError(f"WeasyPrint could not render the PDF: {header.get('error', 'no reason given')}")
        if not (content.startswith(b"%PDF-") and b"%%EOF" in content[-1024:]):
            raise PdfRenderError("the PDF render worker answered with something that is not a whole PDF file")
        return RenderedPdf(content=content, pages=int(header.get("pages", 0)))

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or self._owner_pid != os.getpid():
            return
        with suppress(OSError):
            process.stdin.close()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        with suppress(OSError):
            process.stdout.close()

    def _running(self) -> subprocess.Popen:
        if self._process is not None and self._owner_pid != os.getpid():
            self._process = None  # forked: the worker belongs to the parent process
        if self._process is None or self._process.poll() is not None:
            if self._process is not None:
                self.stop()
            self._process = subprocess.Popen(
                [sys.executable, "-P", str(WORKER_SCRIPT)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                # The web process's working folder: a relative PYTHONPATH means the same in both.
            )
            self._owner_pid = os.getpid()
        return self._process

    def _exchange(self, process: subprocess.Popen, frame: bytes, timeout: float) -> tuple[dict, bytes]:
        try:
            process.stdin.write(FRAME_HEADER.pack(len(frame)) + frame)
            process.stdin.flush()
        except (BrokenPipeError, OSError) as error:
            raise _WorkerLost(f"could not send the request: {error}") from None
        deadline = time.monotonic() + timeout
        header = json.loads(self._read_frame(process, deadline))
        return header, self._read_frame(process, deadline)

    def _read_frame(self, process: subprocess.Popen, deadline: float) -> bytes:
        (length,) = FRAME_HEADER.unpack(self._read_exactly(process, FRAME_HEADER.size, deadline))
        return self._read_exactly(process, length, deadline)

    @staticmethod
    def _read_exactly(process: subprocess.Popen, size: int, deadline: float) -> bytes:
        descriptor = process.stdout.fileno()
        chunks, missing = [], size
        while missing:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([descriptor], [], [], remaining)[0]:
                raise TimeoutError
            chunk = os.read(descriptor, min(missing, 1 << 20))
            if not chunk:
                code = process.poll()
                raise _WorkerLost("end of its output" if code is None else f"exit code {code}")
            chunks.append(chunk)
            missing -= len(chunk)
        return b"".join(chunks)


render_worker = RenderWorker()
atexit.register(render_worker.stop)


def local_file_roots() -> dict:
    """The folders the render worker may read: our fonts, styles and logos, media, and static files by URL."""
    static_folders = []
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            if getattr(storage, "location", None) and storage.location not in static_folders:
                static_folders.append(storage.location)
    return {
        "file_roots": [str(root) for root in _static_roots()],
        "url_roots": {
            urlsplit(settings.MEDIA_URL).path: [str(settings.MEDIA_ROOT)],
            urlsplit(settings.STATIC_URL).path: static_folders,
        },
    }


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


def _write_pdf(html: str, stylesheet: Path, *, cache_images: bool = True, timeout: float) -> RenderedPdf:
    request = {
        "html": html,
        "base_url": Path(settings.BASE_DIR).as_uri() + "/",
        "stylesheets": [
            {"path": str(FONTS_STYLESHEET), "base_url": _static_file(FONTS_FOLDER_FILE).parent.as_uri() + "/"},
            {"path": str(stylesheet), "base_url": None},
        ],
        "cache_images": cache_images,
        **local_file_roots(),
    }
    return render_worker.render(request, timeout=timeout)


@cache
def _design_version(template: str, stylesheet: str, language: str) -> str:
    _check_language(language)
    templates_folder = Path(__file__).resolve().parent / "templates" / "courses" / "pdf"
    files = sorted(templates_folder.glob("*.html"))
    files += [_static_file(name) for name in (stylesheet, FONTS_STYLESHEET, EU_EMBLEM, PROGRAMME_LOGO)]
    files += sorted(_static_file(FONTS_FOLDER_FILE).parent.glob("*.woff2"))
    files += [Path(folder) / language / "LC_MESSAGES" / "django.po" for folder in settings.LOCALE_PATHS]
    digest = hashlib.sha256(f"{template} weasyprint {version('weasyprint')} qrcode {version('qrcode')}".encode())
    for path in files:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _check_language(language: str) -> None:
    if language not in language_codes():
        raise ValueError(f"unknown language {language!r}: choose from {', '.join(language_codes())}")
