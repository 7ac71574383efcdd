"""Tests for password hashing, credential loading and the login limiter in netno.auth."""

from __future__ import annotations

import io
import sys

import pytest

from netno import cli
from netno.auth import (
    MAX_FAILURES,
    UNKNOWN_USER_BUCKET,
    AuthError,
    Credentials,
    LoginLimiter,
    check_viewer_password,
    hash_password,
    load_credentials,
    login,
    parse_staff_users,
    staff_without_login,
    verify_password,
)

# A cheap cost keeps the tests quick; the format and checks are the same.
FAST = {"n": 2**4, "r": 1, "p": 1}


class Clock:
    """A settable clock for the limiter's time window."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def store(sqlite_url: str):
    from netno.store import Store

    return Store(sqlite_url)


def test_hash_password_round_trip() -> None:
    encoded = hash_password("rahasia-kantor", **FAST)

    assert encoded.startswith("scrypt$16$1$1$")
    assert verify_password("rahasia-kantor", encoded)
    assert not verify_password("rahasia-kantoR", encoded)


def test_hash_password_default_cost() -> None:
    encoded = hash_password("rahasia-kantor")

    assert encoded.split("$")[1:4] == ["16384", "8", "1"]
    assert verify_password("rahasia-kantor", encoded)


def test_hash_password_salts_each_hash() -> None:
    assert hash_password("sama-persis", **FAST) != hash_password("sama-persis", **FAST)


def test_hash_password_never_contains_password() -> None:
    assert "rahasia-kantor" not in hash_password("rahasia-kantor", **FAST)


def test_hash_password_rejects_short() -> None:
    with pytest.raises(AuthError, match="minimal 8 karakter"):
        hash_password("pendek")


@pytest.mark.parametrize(
    "encoded",
    [
        "plain-password",
        "bcrypt$1$1$1$AAAA$AAAA",
        "scrypt$abc$8$1$AAAA$AAAA",
        "scrypt$16384$8$1$***$AAAA",
        "scrypt$1048577$8$1$AAAA$AAAA",
        "scrypt$4194304$8$1$AAAA$AAAA",
    ],
)
def test_verify_password_rejects_malformed_hash(encoded: str) -> None:
    with pytest.raises(AuthError, match="hash-password"):
        verify_password("apa saja", encoded)


def test_parse_staff_users_reads_pairs() -> None:
    first = hash_password("kata-sandi-1", **FAST)
    second = hash_password("kata-sandi-2", **FAST)

    users = parse_staff_users(f" Rina:{first} , budi:{second},")

    assert users == {"rina": first, "budi": second}


def test_parse_staff_users_rejects_missing_hash() -> None:
    with pytest.raises(AuthError, match="nama:HASH"):
        parse_staff_users("rina")


def test_load_credentials_merges_env_and_secrets() -> None:
    from_secrets = hash_password("dari-secrets", **FAST)
    from_env = hash_password("dari-environment", **FAST)
    viewer = hash_password("untuk-penonton", **FAST)

    credentials = load_credentials(
        {"NETNO_STAFF_USERS": f"rina:{from_env}"},
        {"staff": {"Rina": from_secrets, "dewi": from_secrets}, "viewer_password_hash": viewer},
    )

    assert credentials.staff == {"rina": from_env, "dewi": from_secrets}
    assert credentials.viewer_hash == viewer


def test_load_credentials_empty_without_config() -> None:
    credentials = load_credentials({}, None)

    assert not credentials.has_staff
    assert credentials.viewer_hash is None


def test_load_credentials_rejects_bad_viewer_hash() -> None:
    with pytest.raises(AuthError):
        load_credentials({"NETNO_VIEWER_PASSWORD_HASH": "rahasia"})


def test_check_viewer_password_open_without_hash() -> None:
    assert check_viewer_password(Credentials(), "")


def test_check_viewer_password_needs_match() -> None:
    credentials = Credentials(viewer_hash=hash_password("lihat-saja", **FAST))

    assert check_viewer_password(credentials, "lihat-saja")
    assert not check_viewer_password(credentials, "salah-tebak")


def test_staff_without_login_only_local_and_unconfigured() -> None:
    configured = Credentials(staff={"rina": hash_password("kata-sandi-1", **FAST)})

    assert staff_without_login(Credentials(), None)
    assert staff_without_login(Credentials(), "127.0.0.1")
    assert not staff_without_login(Credentials(), "192.168.1.20")
    assert not staff_without_login(configured, None)


def test_login_accepts_right_password(store) -> None:
    credentials = Credentials(staff={"rina": hash_password("kata-sandi-1", **FAST)})

    result = login(credentials, LoginLimiter(store), " Rina ", "kata-sandi-1")

    assert result.ok
    assert result.user == "rina"


def test_login_rejects_wrong_password(store) -> None:
    credentials = Credentials(staff={"rina": hash_password("kata-sandi-1", **FAST)})

    result = login(credentials, LoginLimiter(store), "rina", "kata-sandi-2")

    assert not result.ok
    assert result.user is None
    assert "salah" in result.message


def test_login_locks_after_max_failures(store) -> None:
    credentials = Credentials(staff={"rina": hash_password("kata-sandi-1", **FAST)})
    clock = Clock()
    limiter = LoginLimiter(store, clock=clock)
    for _ in range(MAX_FAILURES):
        assert not login(credentials, limiter, "rina", "tebakan-salah").ok

    locked = login(credentials, limiter, "rina", "kata-sandi-1")

    assert not locked.ok
    assert "Terlalu banyak percobaan" in locked.message


def test_login_unlocks_after_window(store) -> None:
    credentials = Credentials(staff={"rina": hash_password("kata-sandi-1", **FAST)})
    clock = Clock()
    limiter = LoginLimiter(store, clock=clock)
    for _ in range(MAX_FAILURES):
        login(credentials, limiter, "rina", "tebakan-salah")

    clock.now += 15 * 60 + 1

    assert login(credentials, limiter, "rina", "kata-sandi-1").ok


def test_login_lock_survives_new_limiter(sqlite_url: str) -> None:
    from netno.store import Store

    credentials = Credentials(staff={"rina": hash_password("kata-sandi-1", **FAST)})
    clock = Clock()
    for _ in range(MAX_FAILURES):
        login(credentials, LoginLimiter(Store(sqlite_url), clock=clock), "rina", "salah-lagi")

    # A new store and limiter stand for a restarted server on the same database.
    restarted = LoginLimiter(Store(sqlite_url), clock=clock)
    result = login(credentials, restarted, "rina", "kata-sandi-1")

    assert not result.ok


def test_login_lock_is_per_user(store) -> None:
    credentials = Credentials(
        staff={
            "rina": hash_password("kata-sandi-1", **FAST),
            "budi": hash_password("kata-sandi-2", **FAST),
        }
    )
    limiter = LoginLimiter(store, clock=Clock())
    for _ in range(MAX_FAILURES):
        login(credentials, limiter, "rina", "tebakan-salah")

    assert login(credentials, limiter, "budi", "kata-sandi-2").ok


def test_login_success_clears_failures(store) -> None:
    credentials = Credentials(staff={"rina": hash_password("kata-sandi-1", **FAST)})
    limiter = LoginLimiter(store, clock=Clock())
    for _ in range(MAX_FAILURES - 1):
        login(credentials, limiter, "rina", "tebakan-salah")
    assert login(credentials, limiter, "rina", "kata-sandi-1").ok

    login(credentials, limiter, "rina", "tebakan-salah")

    assert limiter.seconds_locked("rina") == 0


def test_login_unknown_names_share_bucket(store) -> None:
    credentials = Credentials(staff={"rina": hash_password("kata-sandi-1", **FAST)})
    limiter = LoginLimiter(store, clock=Clock())
    for number in range(MAX_FAILURES):
        login(credentials, limiter, f"tamu{number}", "apa-saja-deh")

    assert limiter.seconds_locked(UNKNOWN_USER_BUCKET) > 0
    assert store.get_setting("auth_failures:tamu0") is None
    assert login(credentials, limiter, "rina", "kata-sandi-1").ok


def test_login_failures_never_store_password(store) -> None:
    credentials = Credentials(staff={"rina": hash_password("kata-sandi-1", **FAST)})

    login(credentials, LoginLimiter(store, clock=Clock()), "rina", "sandi-bocor-99")

    assert "sandi-bocor-99" not in repr(store.get_setting("auth_failures:rina"))
    assert "sandi-bocor-99" not in repr(store.audit_log())


def test_cli_hash_password_reads_stdin(monkeypatch, capsys) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("kata-sandi-cli\n"))

    code = cli.main(["hash-password", "--user", "Dewi"])

    name, _, encoded = capsys.readouterr().out.strip().partition(":")
    assert code == 0
    assert name == "dewi"
    assert verify_password("kata-sandi-cli", encoded)


def test_cli_hash_password_rejects_short(monkeypatch, capsys) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("abc\n"))

    code = cli.main(["hash-password"])

    assert code == 2
    assert "terlalu pendek" in capsys.readouterr().err
