"""Content-Security-Policy on every response (django-csp), strict on the public site.

The public site (`CONTENT_SECURITY_POLICY`) loads scripts and styles from its
own origin only: no `'unsafe-inline'`, no inline `style` attributes. JSON-LD
(`<script type="application/ld+json">`) is a data block, which browsers never
execute, so `script-src` does not block it.

The Wagtail and Django admins (`HUB_ADMIN_CONTENT_SECURITY_POLICY`) run their
own inline scripts and styles; they get a policy that forbids plugins, foreign
framing, `<base>` rewriting and foreign form targets, and leaves scripts to the
admin's own code (which only editors reach).
"""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings

ADMIN_PREFIXES = ("/admin/", "/django-admin/")


class HubCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and request.path_info.startswith(ADMIN_PREFIXES):
            parts.config = settings.HUB_ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        return parts
