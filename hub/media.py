"""/media/ when Django serves it (SERVE_MEDIA, the embedded setup): images only.

Documents are never served from /media/: only Wagtail's document view
(/documents/<id>/<name>) serves them, after its collection permission checks.
Renditions (media/images/) are public; an original image (media/original_images/)
is served only when its collection has no view restriction, or the visitor
passes it. Anything else under /media/ is a 404.
"""

import posixpath

from django.conf import settings
from django.http import Http404
from django.views.static import serve
from wagtail.images import get_image_model

PUBLIC_FOLDERS = ("images",)
ORIGINALS_FOLDER = "original_images"


def media_serve(request, path: str):
    normalised = posixpath.normpath(path).lstrip("/")
    folder = normalised.split("/", 1)[0]
    if normalised != path or folder not in (*PUBLIC_FOLDERS, ORIGINALS_FOLDER):
        raise Http404
    if folder == ORIGINALS_FOLDER:
        image = get_image_model().objects.filter(file=normalised).select_related("collection").first()
        if image is None:
            raise Http404
        for restriction in image.collection.get_view_restrictions():
            if not restriction.accept_request(request):
                raise Http404
    response = serve(request, normalised, document_root=settings.MEDIA_ROOT)
    response["X-Content-Type-Options"] = "nosniff"
    return response
