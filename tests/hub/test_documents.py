"""Private documents stay private and no upload can run script on the site's origin
(issue 11, findings 1 and 2)."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction

pytestmark = pytest.mark.django_db

Document = get_document_model()
Image = get_image_model()

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'


@pytest.fixture
def members_only():
    collection = Collection.get_first_root_node().add_child(name="Members only")
    CollectionViewRestriction.objects.create(collection=collection, restriction_type=CollectionViewRestriction.LOGIN)
    return collection


def stored_document(collection, name="minutes.pdf", content=PDF):
    return Document.objects.create(title="Minutes", file=ContentFile(content, name=name), collection=collection)


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


# Finding 1: documents only through Wagtail's document view -------------------------------------------------------


def test_a_restricted_document_is_not_public_anywhere(client, members_only):
    document = stored_document(members_only)
    assert document.url == f"/documents/{document.pk}/{document.filename}"

    assert client.get(document.url).status_code == 302  # to the login
    media_path = f"/media/{document.file.name}"
    assert media_path.startswith("/media/documents/")
    assert client.get(media_path).status_code == 404
    # Nor around the images-only media route.
    assert client.get(f"/media/images/../{document.file.name}").status_code == 404
    assert client.get(f"/media/images/%2e%2e/{document.file.name}").status_code == 404


def test_a_public_document_is_also_only_served_by_the_document_view(client):
    document = stored_document(Collection.get_first_root_node())
    assert client.get(f"/media/{document.file.name}").status_code == 404
    assert client.get(document.url).status_code == 200


def test_a_member_downloads_the_restricted_document(client, members_only, django_user_model):
    document = stored_document(members_only)
    client.force_login(django_user_model.objects.create_user("member", password="x-long-password-1"))
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_original_images_are_served_only_where_their_collection_is_public(client, members_only):
    public = Image.objects.create(title="Public", file=ContentFile(png_bytes(), name="public.png"))
    private = Image.objects.create(
        title="Private", file=ContentFile(png_bytes(), name="private.png"), collection=members_only
    )
    assert client.get(public.file.url).status_code == 200
    assert client.get(private.file.url).status_code == 404
    rendition = public.get_rendition("width-2")
    assert client.get(rendition.url).status_code == 200


# Finding 2: an allow-list checked by content; every document an attachment -----------------------------------------


def upload(client, name: str, content: bytes):
    before = Document.objects.count()
    response = client.post(
        "/admin/documents/add/",
        {"title": name, "file": SimpleUploadedFile(name, content), "collection": Collection.get_first_root_node().pk},
    )
    return response, Document.objects.count() - before


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("page.html", HTML),
        ("drawing.svg", SVG),
        ("report.pdf", HTML),  # the name lies
        ("report.pdf", SVG),
        ("table.csv", HTML),  # markup is not a table
        ("notes.txt", SVG),
        ("slides.pptx", PDF),
        ("script.js", b"alert(1)"),
    ],
)
def test_uploads_that_could_run_script_are_refused(admin_client, name, content):
    response, created = upload(admin_client, name, content)
    assert created == 0
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


@pytest.mark.parametrize(
    ("name", "content"), [("minutes.pdf", PDF), ("table.csv", "city,jobs\nPrato,12\nΘεσσαλονίκη,3\n".encode())]
)
def test_real_documents_upload_and_download_as_attachments(admin_client, client, name, content):
    response, created = upload(admin_client, name, content)
    assert created == 1, response.context and response.context["form"].errors
    document = Document.objects.latest("pk")
    download = client.get(document.url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Content-Security-Policy"] == "default-src 'none'"
    assert download["X-Content-Type-Options"] == "nosniff"


@override_settings(WAGTAILDOCS_MAX_UPLOAD_SIZE=1024)
def test_oversized_documents_are_refused(admin_client):
    response, created = upload(admin_client, "big.pdf", PDF + b"%" * 2048)
    assert created == 0
    assert response.context["form"].errors["file"]
