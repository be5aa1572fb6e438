import pytest
from axes.utils import reset as axes_reset


@pytest.fixture(autouse=True)
def _reset_axes():
    """Failed-login counts never leak from one test into the next."""
    axes_reset()
    yield
    axes_reset()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Account tests hash many passwords; the demo users' PBKDF2 hashes still check."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
