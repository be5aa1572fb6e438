from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_info
from wagtail import hooks


@hooks.register("insert_global_admin_css")
def right_to_left_translation_fields():
    """Edit right-to-left languages' fields right to left.

    modeltranslation names each language's field `<field>_<code>`; Wagtail
    wraps it in `…_<code>-section` panels and `…_<code>-wrapper` divs, which
    also hold StreamField and rich-text editors.
    """
    selectors = []
    for code, _name in settings.LANGUAGES:
        if get_language_info(code)["bidi"]:
            selectors += [
                f'[id$="_{code}-section"] > .w-panel__content',
                f'[id$="_{code}-wrapper"]',
                f'[name$="_{code}"]',
            ]
    if not selectors:
        return ""
    # Selectors come from settings.LANGUAGES, not from user input.
    rule = ", ".join(selectors) + " { direction: rtl; }"
    return mark_safe(f"<style>{rule}</style>")
