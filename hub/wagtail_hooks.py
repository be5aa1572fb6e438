from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_info
from wagtail import hooks


@hooks.register("insert_global_admin_css")
def translation_fields_in_their_direction():
    """Edit each language's fields in that language's direction, whatever the admin's.

    modeltranslation names each language's field `<field>_<code>`; Wagtail
    wraps it in `…_<code>-section` panels and `…_<code>-wrapper` divs, which
    also hold StreamField and rich-text editors. So Arabic fields read right
    to left in an English admin, and English, Greek and Italian fields left to
    right in an Arabic one (their full stops stay at the end, nothing clipped).
    """
    rules = []
    for direction, bidi in (("rtl", True), ("ltr", False)):
        selectors = []
        for code, _name in settings.LANGUAGES:
            if get_language_info(code)["bidi"] == bidi:
                selectors += [
                    f'[id$="_{code}-section"] > .w-panel__content',
                    f'[id$="_{code}-wrapper"]',
                    f'[name$="_{code}"]',
                ]
        if selectors:
            rules.append(", ".join(selectors) + f" {{ direction: {direction}; }}")
    # Selectors come from settings.LANGUAGES, not from user input.
    return mark_safe(f"<style>{' '.join(rules)}</style>") if rules else ""
