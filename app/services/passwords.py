"""Password hashing with argon2id, and the digest kept of random secrets."""

import hashlib

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# argon2-cffi's defaults follow RFC 9106's recommended low-memory profile (argon2id).
_hasher = PasswordHasher()

MIN_LENGTH = 8


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
