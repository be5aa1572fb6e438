"""The HTML the server sends for every audited page is valid (Nu HTML Checker, errors only)."""

import json
import subprocess
import urllib.error
import urllib.parse
import urllib.request

import pytest

from .conftest import ARTIFACTS, AUDIT_LANGUAGES, AUDITED_PAGES


def fetch(url: str) -> bytes:
    try:
        return urllib.request.urlopen(urllib.parse.quote(url, safe=":/?=&%")).read()
    except urllib.error.HTTPError as error:  # the 404 page is checked too
        return error.read()


@pytest.fixture(scope="session")
def html_errors(hub_server, site_urls, vnu_command) -> dict[tuple[str, str], list[str]]:
    """Every page fetched once and checked in one Java run (the checker's start-up is the slow part)."""
    folder = ARTIFACTS / "html"
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for name in AUDITED_PAGES:
        for language in AUDIT_LANGUAGES:
            path = folder / f"{name}-{language}.html"
            path.write_bytes(fetch(hub_server + site_urls[name, language]))
            files[str(path.resolve())] = (name, language)
    run = subprocess.run(
        [*vnu_command, "--format", "json", "--errors-only", *files], capture_output=True, text=True, timeout=300
    )
    messages = json.loads(run.stderr or run.stdout)["messages"]
    errors = {key: [] for key in files.values()}
    for message in messages:
        # The checker names files as file:/path (one slash).
        key = files.get(urllib.parse.unquote(urllib.parse.urlsplit(message.get("url", "")).path))
        assert key is not None, message  # a message about no file: the checker itself failed
        extract = message.get("extract", "").strip()
        errors[key].append(f"line {message.get('lastLine')}: {message['message']} … {extract}")
    return errors


@pytest.mark.parametrize("language", AUDIT_LANGUAGES)
@pytest.mark.parametrize("name", AUDITED_PAGES)
def test_html_is_valid(html_errors, name, language):
    errors = html_errors[name, language]
    assert not errors, "\n  " + "\n  ".join(errors)
