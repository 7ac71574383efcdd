"""Command line for netno: each command lives in the module that does its work."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence

# Each module listed here defines ``register(subparsers)``, which adds its commands
# with ``set_defaults(handler=...)``. A handler takes the parsed arguments and returns
# the exit code.
COMMAND_MODULES = (
    "netno.pipeline_cli",
    "netno.report_cli",
    "netno.wordfreq",
    "netno.store_cli",
    "netno.evaluate",
    "netno.auth",
)


class CommandError(Exception):
    """A command failed for a reason the user can fix; the message is shown as is."""


# argparse's own texts (usage, headings, errors), in Indonesian. argparse looks each
# text up through its module-level ``_`` (gettext), which ships no Indonesian catalogue.
_ARGPARSE_TEXTS = {
    "usage: ": "penggunaan: ",
    "positional arguments": "argumen",
    "options": "pilihan",
    "show this help message and exit": "tampilkan bantuan ini lalu keluar",
    "%(prog)s: error: %(message)s\n": "%(prog)s: kesalahan: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argumen %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "argumen berikut wajib diisi: %s",
    "unrecognized arguments: %s": "argumen tidak dikenal: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "pilihan tidak sah: %(value)r (pilih salah satu: %(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": "nilai %(type)s tidak sah: %(value)r",
    "expected one argument": "perlu satu nilai",
    "expected at least one argument": "perlu sedikitnya satu nilai",
    "ambiguous option: %(option)s could match %(matches)s": (
        "pilihan %(option)s ambigu, bisa berarti %(matches)s"
    ),
    "not allowed with argument %s": "tidak boleh bersama argumen %s",
    "one of the arguments %s is required": "salah satu argumen %s wajib diisi",
}


def _translate_argparse(text: str) -> str:
    return _ARGPARSE_TEXTS.get(text, text)


# NOTE: replaces a private name of argparse (present in CPython 3.11 to 3.13);
# without it, help and usage errors are printed in English.
argparse._ = _translate_argparse  # type: ignore[attr-defined]


def _library_errors() -> tuple[type[Exception], ...]:
    """Return the library's named errors, whose Indonesian messages a user can act on."""
    from netno.codebook import CodebookError
    from netno.ingest import IngestError
    from netno.privacy import SecretKeyError
    from netno.store import StoreError

    return (CodebookError, IngestError, SecretKeyError, StoreError)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m netno",
        description="netno: pengodean komentar pengguna M-Paspor dari baris perintah.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="tampilkan log proses")
    subparsers = parser.add_subparsers(dest="command", metavar="PERINTAH")
    subparsers.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv``, run the chosen command and return its exit code."""
    parser = build_parser()
    arguments = parser.parse_args(argv)
    logging.basicConfig(
        # Operator logs are English; without --verbose a user sees only the commands'
        # own Indonesian lines and errors.
        level=logging.INFO if arguments.verbose else logging.ERROR,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return int(arguments.handler(arguments) or 0)
    except CommandError as error:
        print(f"netno: {error}", file=sys.stderr)
        return 2
    except _library_errors() as error:
        # A handler that let a library error through still gets a one-line message.
        print(f"netno: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader closed the pipe early ("netno batches --json | head -1"). Point
        # stdout at /dev/null so that Python's flush at exit does not raise again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
