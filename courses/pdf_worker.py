"""The PDF render worker: a long-lived process that imports WeasyPrint and nothing of the Hub.

Why a separate process: the web process already holds Django, Wagtail and the
apps (about 157 MB); WeasyPrint, its fonts and a layout add another 35 MB or
more at their peak, and memory a Python process has touched is rarely given
back. Here the web process renders the HTML (templates, translations, the QR
code) and this worker, started by `courses.pdf` on the first render, turns it
into PDF bytes. It keeps its FontConfiguration and parsed stylesheets between
requests, so each certificate only lays out and subsets a few glyphs.

Run by `courses.pdf` as `python -P courses/pdf_worker.py` (-P: the courses
folder is not put on sys.path, so its `selectors.py` cannot shadow the
standard library's). Imports only the standard library and WeasyPrint.

Protocol on stdin/stdout, each message a frame (8-byte big-endian length, then
the bytes): the request is one JSON frame
    {"html": str, "base_url": str, "stylesheets": [{"path": str, "base_url": str|null}],
     "file_roots": [folder, ...], "url_roots": {"/media/": [folder, ...], ...},
     "cache_images": bool}
and the answer two frames: a JSON header
    {"ok": true, "pages": int, "cpu_ms": float, "peak_rss_kb": int}
    or {"ok": false, "error": str, "cpu_ms": float, "peak_rss_kb": int}
then the PDF bytes (empty when not ok). End of input ends the worker.
"""

from __future__ import annotations

import json
import os
import struct
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

FRAME_HEADER = struct.Struct(">Q")


class LocalFilesFetcher(URLFetcher):
    """Reads only files inside the given folders: a PDF render never goes on the network.

    `url_roots` maps site URL paths ("/media/", "/static/") to the folders they
    are served from; relative URLs such as "/media/images/x.jpg" resolve against
    a file: base URL, so they arrive here as file:///media/images/x.jpg.
    """

    def __init__(self, *, file_roots: list[str], url_roots: dict[str, list[str]]):
        super().__init__()
        self.file_roots = [Path(root) for root in file_roots]
        self.url_roots = {prefix: [Path(root) for root in roots] for prefix, roots in url_roots.items()}

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = self.local_path(url)
        if path is None:
            raise ValueError(f"not a local static or media file: {url}")
        return super().fetch(path.as_uri(), headers)

    def local_path(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.scheme != "file":
            return None
        path = Path(unquote(parts.path))
        if ".." in path.parts:
            return None
        posix = path.as_posix()
        for prefix, roots in self.url_roots.items():
            if posix.startswith(prefix):
                relative = posix[len(prefix) :]
                for root in roots:
                    found = _inside(root / relative, [root])
                    if found:
                        return found
                return None
        return _inside(path, self.file_roots)


def _inside(path: Path, roots: list[Path]) -> Path | None:
    resolved = path.resolve()
    for root in roots:
        if resolved.is_relative_to(root.resolve()) and resolved.is_file():
            return resolved
    return None


class Renderer:
    """One FontConfiguration and the parsed stylesheets, kept for the worker's life."""

    def __init__(self):
        self.font_config = FontConfiguration()
        self.stylesheets: dict[str, list[CSS]] = {}
        self.image_cache: dict = {}

    def render(self, request: dict) -> tuple[bytes, int]:
        fetcher = LocalFilesFetcher(file_roots=request["file_roots"], url_roots=request["url_roots"])
        document = HTML(string=request["html"], base_url=request["base_url"], url_fetcher=fetcher).render(
            stylesheets=self._stylesheets(request["stylesheets"], fetcher),
            font_config=self.font_config,
            # Certificates share their logos; a course pack's photos would only fill memory.
            cache=self.image_cache if request.get("cache_images") else {},
        )
        return document.write_pdf(), len(document.pages)

    def _stylesheets(self, specs: list[dict], fetcher: URLFetcher) -> list[CSS]:
        # Keyed by path and modification time: an edited stylesheet is parsed again.
        key = json.dumps([(spec["path"], spec.get("base_url"), os.stat(spec["path"]).st_mtime_ns) for spec in specs])
        if key not in self.stylesheets:
            self.stylesheets[key] = [
                CSS(
                    filename=spec["path"],
                    base_url=spec.get("base_url"),
                    font_config=self.font_config,
                    url_fetcher=fetcher,
                )
                for spec in specs
            ]
        return self.stylesheets[key]


def read_frame(stream) -> bytes | None:
    header = stream.read(FRAME_HEADER.size)
    if len(header) < FRAME_HEADER.size:
        return None
    (length,) = FRAME_HEADER.unpack(header)
    body = stream.read(length)
    if len(body) < length:
        return None
    return body


def write_frame(stream, body: bytes) -> None:
    stream.write(FRAME_HEADER.pack(len(body)))
    stream.write(body)


def peak_rss_kb() -> int:
    """This process's peak resident memory since it started (VmHWM).

    Not getrusage's ru_maxrss: Linux carries the parent's peak over a fork and
    exec into it, so a worker started by a 165 MB web process would report 165 MB.
    """
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def main() -> None:
    # The protocol owns the real stdout; anything a library prints goes to stderr.
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    requests = sys.stdin.buffer
    renderer = Renderer()
    while (frame := read_frame(requests)) is not None:
        pdf, header, cpu_start = b"", {}, time.process_time()
        try:
            pdf, pages = renderer.render(json.loads(frame))
            header = {"ok": True, "pages": pages}
        except Exception as error:  # reported to the web process, which raises it
            header = {"ok": False, "error": f"{type(error).__name__}: {error}"}
        header["cpu_ms"] = (time.process_time() - cpu_start) * 1000
        header["peak_rss_kb"] = peak_rss_kb()
        write_frame(answers, json.dumps(header).encode())
        write_frame(answers, pdf)
        answers.flush()


if __name__ == "__main__":
    main()
