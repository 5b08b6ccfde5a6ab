"""Recovery codes of the second factor, stored as keyed digests, never as typed.

django-otp's static device keeps its tokens as plain text in a 16-character column: whoever reads the table (a
dump, a backup, a read-only breach) could log in past the second factor. Here each code is stored as its HMAC-SHA256
under the deployment's SECRET_KEY, truncated to 80 bits and written in base32 (16 characters: the same column). A
digest cannot be typed back as a code (it is hashed again), and the table alone gives no code: the 40-bit codes are
out of reach of a brute force without the key. A code made under a key now in SECRET_KEY_FALLBACKS still works, so a
key rotation does not lock anyone out; once the old key is dropped, its codes stop working (the user's authenticator
app still does, and they make new codes on their second-factor page; an administrator resets a lost phone).
"""

from __future__ import annotations

import base64

from django.conf import settings
from django.utils.crypto import salted_hmac

SALT = "piis.accounts.recovery-code"
DIGEST_LENGTH = 16  # django-otp's StaticToken.token max_length


def normalise(code: str) -> str:
    """What the user typed, as the code was shown: lower case, no spaces."""
    return "".join(code.split()).lower()


def recovery_digest(code: str, *, secret: str | None = None) -> str:
    mac = salted_hmac(SALT, normalise(code), secret=secret or settings.SECRET_KEY, algorithm="sha256").digest()
    return base64.b32encode(mac[:10]).decode("ascii").lower()


def recovery_digests(code: str) -> list[str]:
    """The digests `code` may be stored under: the current key's, then each fallback key's."""
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [recovery_digest(code, secret=key) for key in keys]
