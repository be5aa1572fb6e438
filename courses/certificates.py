"""Certificate codes.

A code is 160 random bits from `secrets`, stored as lower-case base32 (32
characters) and shown upper-case in groups of four: ABCD-EFGH-...
Readers may type it with or without dashes or spaces, in any case.
"""

from __future__ import annotations

import base64
import re
import secrets

CODE_BYTES = 20  # 160 bits; the issue asks for at least 128
CODE_LENGTH = 32  # base32 characters of CODE_BYTES, without padding
GROUP = 4
_BASE32 = re.compile(rf"^[a-z2-7]{{{CODE_LENGTH}}}$")


def code_generate() -> str:
    return base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode("ascii").rstrip("=").lower()


def code_normalise(raw: str) -> str | None:
    """The stored form of a code as a reader typed it, or None if it cannot be one."""
    code = re.sub(r"[\s\-]", "", raw or "").lower()
    return code if _BASE32.match(code) else None


def code_display(code: str) -> str:
    upper = code.upper()
    return "-".join(upper[start : start + GROUP] for start in range(0, len(upper), GROUP))
