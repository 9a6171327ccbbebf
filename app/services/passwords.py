"""Passwords: the rules a new password must meet, argon2id hashing, and the digest of secrets.

The rules apply when a password is chosen (sign-up, reset, change), never at sign-in: accounts
whose older password breaks them keep signing in until they change it.
"""

import functools
import hashlib

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

# argon2-cffi's defaults follow RFC 9106's recommended low-memory profile (argon2id).
_hasher = PasswordHasher()

MIN_LENGTH = 10
MAX_LENGTH = 200
# A local part this short ("li@…") is part of too many good passwords to refuse them all.
LOCAL_PART_MIN = 3


@functools.cache
def common_passwords() -> frozenset[str]:
    """The 30,000 passwords found most often in leaked password lists, lower-cased.

    The list is the one zxcvbn ships (``frequency_lists.passwords``, taken from Mark Burnett's
    ten million leaked passwords, in order of frequency); it is read from the installed package,
    never fetched.
    """
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(word.lower() for word in FREQUENCY_LISTS["passwords"])


def password_problem(password: str, email: str = "") -> LazyString | None:
    """What is wrong with ``password`` as a new password for ``email``, said so that the person
    knows what to do; None when it may be used."""
    # The commonest first: "12345678" is refused for being guessed first, not for its length.
    if password.lower() in common_passwords() or password.strip().lower() in common_passwords():
        return _l(
            "This is one of the most common passwords and is guessed first. Choose another, for "
            "example a few words in a row."
        )
    if len(password) < MIN_LENGTH:
        return _l(
            "Use at least %(count)d characters. A few words in a row are easy to remember and "
            "hard to guess.",
            count=MIN_LENGTH,
        )
    if len(password) > MAX_LENGTH:
        return _l("Use at most %(count)d characters.", count=MAX_LENGTH)
    local = email.strip().lower().partition("@")[0]
    if len(local) >= LOCAL_PART_MIN and local in password.lower():
        return _l(
            "The password must not contain your e-mail address (the part before the @). "
            "Choose another."
        )
    return None


def secret_digest(secret: str) -> str:
    """How a random secret (session, API token, feed address) is stored: its SHA-256.

    Such secrets are long and random, so a fast hash suffices; passwords use argon2.
    """
    return hashlib.sha256(secret.encode()).hexdigest()


def hash_password(password: str) -> str:
    """A salted argon2id hash of ``password``."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches the stored hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)
