"""Small helpers for account tests: links in emails, TOTP codes."""

import re
import time

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def link_in(message, path_fragment: str) -> str:
    """The path of the first link in `message` whose path contains `path_fragment`."""
    match = re.search(r"https?://testserver(/\S*" + re.escape(path_fragment) + r"\S*)", message.body)
    assert match, f"no link with {path_fragment!r} in {message.body!r}"
    return match.group(1)


def totp_code(secret: str = SECRET) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def turn_on_totp(user, secret: str = SECRET) -> Authenticator:
    """TOTP and its recovery codes, as allauth's activation leaves them."""
    authenticator = TOTP.activate(user, secret).instance
    RecoveryCodes.activate(user)
    return authenticator


__all__ = ["generate_totp_secret", "link_in", "totp_code", "turn_on_totp"]
