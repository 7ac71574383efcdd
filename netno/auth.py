"""Check staff and viewer passwords against scrypt hashes and limit failed logins."""

from __future__ import annotations

import argparse
import base64
import getpass
import hashlib
import hmac
import logging
import secrets
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

_LOGGER = logging.getLogger(__name__)

SCHEME = "scrypt"
# scrypt cost: n=2**14, r=8 uses 16 MiB of memory and takes tens of milliseconds,
# the interactive-login setting recommended in RFC 7914's examples.
DEFAULT_N = 2**14
DEFAULT_R = 8
DEFAULT_P = 1
SALT_BYTES = 16
HASH_BYTES = 32
# The largest cost a stored hash may ask for: a bigger n would let a malformed
# secret make every login allocate gigabytes.
MAX_N = 2**20
MIN_PASSWORD_LENGTH = 8

MAX_FAILURES = 5
FAILURE_WINDOW_SECONDS = 15 * 60
# Failed logins for names that are not staff share one bucket, so guessing names
# cannot fill the settings table with one row per guess.
UNKNOWN_USER_BUCKET = "?"
SETTING_PREFIX = "auth_failures:"

STAFF_ENV = "NETNO_STAFF_USERS"
VIEWER_ENV = "NETNO_VIEWER_PASSWORD_HASH"


class AuthError(ValueError):
    """A stored password hash or credential setting is malformed; the message names it."""


class SettingStore(Protocol):
    """The part of ``netno.store.Store`` the login limiter needs."""

    def get_setting(self, key: str, default: Any = None) -> Any: ...

    def set_setting(self, key: str, value: Any, *, actor: str) -> None: ...


def hash_password(
    password: str,
    *,
    n: int = DEFAULT_N,
    r: int = DEFAULT_R,
    p: int = DEFAULT_P,
    salt: bytes | None = None,
) -> str:
    """Hash ``password`` with scrypt and a random salt.

    Returns
    -------
    str
        ``scrypt$n$r$p$salt$hash`` with salt and hash in base64, ready for
        ``NETNO_STAFF_USERS`` or ``.streamlit/secrets.toml``.

    Raises
    ------
    AuthError
        When the password is shorter than ``MIN_PASSWORD_LENGTH`` characters.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AuthError(
            f"Kata sandi terlalu pendek ({len(password)} karakter). "
            f"Gunakan minimal {MIN_PASSWORD_LENGTH} karakter."
        )

    salt = salt if salt is not None else secrets.token_bytes(SALT_BYTES)
    digest = _scrypt(password, salt, n, r, p)
    return "$".join(
        [SCHEME, str(n), str(r), str(p), _b64encode(salt), _b64encode(digest)]
    )


def verify_password(password: str, encoded: str) -> bool:
    """Return True when ``password`` matches the ``encoded`` scrypt hash.

    Raises
    ------
    AuthError
        When ``encoded`` is not a hash made by ``hash_password``.
    """
    n, r, p, salt, expected = _parse_hash(encoded)
    digest = _scrypt(password, salt, n, r, p, length=len(expected))
    return hmac.compare_digest(digest, expected)


def _scrypt(
    password: str, salt: bytes, n: int, r: int, p: int, *, length: int = HASH_BYTES
) -> bytes:
    # maxmem must cover 128 * n * r bytes plus overhead, or OpenSSL rejects the cost.
    maxmem = 128 * n * r * (p + 2)
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=maxmem, dklen=length
    )


def _parse_hash(encoded: str) -> tuple[int, int, int, bytes, bytes]:
    parts = encoded.strip().split("$")
    shown = encoded[:20] + "..." if len(encoded) > 20 else encoded
    if len(parts) != 6 or parts[0] != SCHEME:
        raise AuthError(
            f"Hash kata sandi '{shown}' tidak dikenal: bentuknya harus "
            "scrypt$n$r$p$salt$hash. Buat ulang dengan: python -m netno hash-password"
        )
    try:
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt = base64.b64decode(parts[4], validate=True)
        digest = base64.b64decode(parts[5], validate=True)
    except ValueError as error:
        raise AuthError(
            f"Hash kata sandi '{shown}' rusak ({error}). "
            "Buat ulang dengan: python -m netno hash-password"
        ) from error
    if n < 2 or n > MAX_N or n & (n - 1) or not 1 <= r <= 32 or not 1 <= p <= 16 or not digest:
        raise AuthError(
            f"Hash kata sandi '{shown}' memakai parameter scrypt di luar batas "
            f"(n={n}, r={r}, p={p}). Buat ulang dengan: python -m netno hash-password"
        )
    return n, r, p, salt, digest


def _b64encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@dataclass(frozen=True)
class Credentials:
    """The configured password hashes: staff users by name, and the optional viewer hash."""

    staff: dict[str, str] = field(default_factory=dict)
    viewer_hash: str | None = None

    @property
    def has_staff(self) -> bool:
        """Return True when at least one staff user is configured."""
        return bool(self.staff)


def parse_staff_users(text: str) -> dict[str, str]:
    """Parse ``nama:HASH,nama2:HASH`` (the form of ``NETNO_STAFF_USERS``) into a dict.

    Raises
    ------
    AuthError
        When an entry has no name or no hash, or a hash is malformed.
    """
    users: dict[str, str] = {}
    for entry in text.split(","):
        entry = entry.strip()
        if not entry:
            continue
        name, separator, encoded = entry.partition(":")
        if not separator or not name.strip() or not encoded.strip():
            raise AuthError(
                f"Isian '{entry[:30]}' di {STAFF_ENV} tidak lengkap: bentuknya nama:HASH, "
                "beberapa pengguna dipisah koma."
            )
        _parse_hash(encoded)
        users[normalise_user(name)] = encoded.strip()
    return users


def normalise_user(name: str) -> str:
    """Return the form of a user name used for lookups: trimmed and lower case."""
    return name.strip().lower()


def load_credentials(
    environ: Mapping[str, str], secrets_section: Mapping[str, Any] | None = None
) -> Credentials:
    """Collect the password hashes from the environment and the ``[auth]`` secrets section.

    Staff users from ``NETNO_STAFF_USERS`` and from ``[auth] staff = {nama = "HASH"}``
    are merged (the environment wins for a name in both). The viewer hash comes from
    ``NETNO_VIEWER_PASSWORD_HASH`` or ``[auth] viewer_password_hash``.

    Raises
    ------
    AuthError
        When a configured hash or entry is malformed.
    """
    section = secrets_section or {}
    staff: dict[str, str] = {}
    for name, encoded in dict(section.get("staff", {}) or {}).items():
        if not isinstance(encoded, str):
            raise AuthError(
                f"Hash staf '{name}' di [auth] secrets.toml harus berupa teks "
                "hasil python -m netno hash-password."
            )
        _parse_hash(encoded)
        staff[normalise_user(name)] = encoded.strip()
    staff.update(parse_staff_users(environ.get(STAFF_ENV, "")))

    viewer = environ.get(VIEWER_ENV) or section.get("viewer_password_hash") or None
    if viewer is not None:
        _parse_hash(str(viewer))
    return Credentials(staff=staff, viewer_hash=str(viewer).strip() if viewer else None)


# A hash to check unknown names against, so a wrong name costs the same time as a
# wrong password and the timing does not reveal which names are staff.
_DUMMY_HASH = hash_password("netno-dummy-password", salt=b"\0" * SALT_BYTES)


class LoginLimiter:
    """Count failed logins per user in the store and lock a user after too many.

    The counts live in the store's settings, not in memory, so a restart of the
    server does not reset them and several server processes on one database share
    them. A success clears the user's count.
    """

    def __init__(
        self,
        settings: SettingStore,
        *,
        max_failures: int = MAX_FAILURES,
        window_seconds: float = FAILURE_WINDOW_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self.max_failures = max_failures
        self.window_seconds = window_seconds
        self.clock = clock

    def _recent(self, bucket: str) -> list[float]:
        stored = self.settings.get_setting(SETTING_PREFIX + bucket, []) or []
        cutoff = self.clock() - self.window_seconds
        return [float(stamp) for stamp in stored if float(stamp) > cutoff]

    def seconds_locked(self, bucket: str) -> float:
        """Return how many seconds ``bucket`` stays locked (0 when it may try again)."""
        recent = self._recent(bucket)
        if len(recent) < self.max_failures:
            return 0.0
        oldest_counted = sorted(recent)[-self.max_failures]
        return max(0.0, oldest_counted + self.window_seconds - self.clock())

    def record_failure(self, bucket: str) -> int:
        """Store one failed login for ``bucket`` and return the failures in the window."""
        recent = self._recent(bucket)
        recent.append(self.clock())
        # Keep only as many stamps as the rule needs, so the row stays small.
        recent = sorted(recent)[-self.max_failures :]
        self.settings.set_setting(SETTING_PREFIX + bucket, recent, actor="sistem")
        return len(recent)

    def clear(self, bucket: str) -> None:
        """Forget the failures of ``bucket`` after a successful login."""
        if self.settings.get_setting(SETTING_PREFIX + bucket, []):
            self.settings.set_setting(SETTING_PREFIX + bucket, [], actor="sistem")


@dataclass(frozen=True)
class LoginResult:
    """The outcome of a login attempt; ``message`` is shown to the user as is."""

    ok: bool
    user: str | None
    message: str


def login(
    credentials: Credentials, limiter: LoginLimiter, user: str, password: str
) -> LoginResult:
    """Check a staff login, counting failures and refusing while the user is locked."""
    name = normalise_user(user)
    bucket = name if name in credentials.staff else UNKNOWN_USER_BUCKET

    wait = limiter.seconds_locked(bucket)
    if wait > 0:
        _LOGGER.warning("login refused: too many failures for bucket %r", bucket)
        return LoginResult(
            False,
            None,
            f"Terlalu banyak percobaan gagal. Coba lagi dalam {int(wait // 60) + 1} menit.",
        )

    matched = verify_password(password, credentials.staff.get(name, _DUMMY_HASH))
    if matched and name in credentials.staff:
        limiter.clear(bucket)
        _LOGGER.info("staff login: %s", name)
        return LoginResult(True, name, f"Masuk sebagai {name}.")

    failures = limiter.record_failure(bucket)
    _LOGGER.warning("failed login for bucket %r (%d in window)", bucket, failures)
    left = max(0, limiter.max_failures - failures)
    return LoginResult(
        False,
        None,
        f"Nama pengguna atau kata sandi salah. Sisa percobaan: {left} dalam 15 menit.",
    )


def check_viewer_password(credentials: Credentials, password: str) -> bool:
    """Return True when no viewer password is set or ``password`` matches it."""
    if credentials.viewer_hash is None:
        return True
    return verify_password(password, credentials.viewer_hash)


def staff_without_login(credentials: Credentials, remote_ip: str | None) -> bool:
    """Return True when staff actions are open without a login.

    That is the case only when no staff user is configured and the browser connects
    from this machine. ``remote_ip`` follows ``st.context.ip_address``: None for a
    loopback connection. NOTE: behind a reverse proxy on the same machine every
    browser looks local, so configure staff users before adding a proxy.
    """
    if credentials.has_staff:
        return False
    return remote_ip is None or remote_ip in {"127.0.0.1", "::1"}


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``hash-password`` command."""
    parser = subparsers.add_parser(
        "hash-password",
        help="buat hash kata sandi untuk NETNO_STAFF_USERS atau secrets.toml",
        description=(
            "Membaca kata sandi (diketik tanpa tampil, atau dari stdin) dan mencetak "
            "hash scrypt-nya. Simpan hanya hash-nya, jangan kata sandinya."
        ),
    )
    parser.add_argument(
        "--user", help="nama pengguna: cetak baris siap pakai nama:HASH untuk NETNO_STAFF_USERS"
    )
    parser.set_defaults(handler=_hash_password_command)


def _hash_password_command(args: argparse.Namespace) -> int:
    from netno.cli import CommandError

    if sys.stdin.isatty():
        password = getpass.getpass("Kata sandi: ")
        if getpass.getpass("Ulangi kata sandi: ") != password:
            raise CommandError("Kedua kata sandi berbeda. Tidak ada hash yang dibuat.")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        encoded = hash_password(password)
    except AuthError as error:
        raise CommandError(str(error)) from error
    if args.user:
        name = normalise_user(args.user)
        if not name or any(mark in name for mark in ":,"):
            raise CommandError(
                f"Nama pengguna '{args.user}' tidak boleh kosong atau memuat ':' atau ','."
            )
        print(f"{name}:{encoded}")
    else:
        print(encoded)
    return 0

