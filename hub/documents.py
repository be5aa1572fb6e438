"""Documents: only types on an allow-list, recognised by their content.

`WAGTAILDOCS_DOCUMENT_FORM_BASE` points Wagtail's document forms (add, edit,
multiple upload, chooser upload) here. The extension must be on
`WAGTAILDOCS_EXTENSIONS` (Wagtail checks that) AND the bytes must be what the
extension claims: a `report.pdf` holding HTML or SVG is refused, so no upload
can carry script. Documents are then only served by Wagtail's document view,
as attachments with `Content-Security-Policy: default-src 'none'` and
`X-Content-Type-Options: nosniff` (settings, "Documents and media").
"""

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.documents.forms import BaseDocumentForm

# Extension -> how its content is recognised: a `filetype` signature, or text.
BINARY_TYPES = {"pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp"}
TEXT_TYPES = {"csv", "txt"}
DOCUMENT_EXTENSIONS = sorted(BINARY_TYPES | TEXT_TYPES)
# Enough for `filetype` to tell the zip-based office formats apart.
HEAD_BYTES = 8192


def _looks_like_markup(text: str) -> bool:
    return text.lstrip("\ufeff \t\r\n").startswith("<")


def _utf8(head: bytes) -> str | None:
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A full head may end inside a multi-byte character; anything else is not UTF-8.
        if len(head) == HEAD_BYTES and error.start >= HEAD_BYTES - 3:
            return head[: error.start].decode("utf-8")
        return None


def document_content_check(uploaded) -> None:
    """Raises ValidationError unless the file's bytes match its allowed extension."""
    name = uploaded.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    uploaded.seek(0)
    head = uploaded.read(HEAD_BYTES)
    uploaded.seek(0)
    if extension in BINARY_TYPES:
        kind = filetype.guess(head)
        if kind is None or kind.extension != extension:
            raise ValidationError(
                _("This file is not a real .%(extension)s document: its content does not match its name.")
                % {"extension": extension},
                code="content_mismatch",
            )
    elif extension in TEXT_TYPES:
        text = _utf8(head)
        if text is None or "\x00" in text or _looks_like_markup(text) or filetype.guess(head) is not None:
            raise ValidationError(
                _("A .%(extension)s file must be plain UTF-8 text, not markup or a binary file.")
                % {"extension": extension},
                code="content_mismatch",
            )
    else:
        raise ValidationError(
            _("Documents of this type cannot be uploaded. Allowed: %(extensions)s.")
            % {"extensions": ", ".join(DOCUMENT_EXTENSIONS)},
            code="type_not_allowed",
        )


class HubDocumentForm(BaseDocumentForm):
    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        # A new upload is an UploadedFile; an unchanged edit keeps the stored FieldFile.
        if uploaded is not None and hasattr(uploaded, "content_type"):
            document_content_check(uploaded)
        return uploaded
