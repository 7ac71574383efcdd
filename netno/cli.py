"""Command line for netno: each command lives in the module that does its work."""

from __future__ import annotations

import argparse
import importlib
import logging
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
        level=logging.INFO if arguments.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return int(arguments.handler(arguments) or 0)
    except CommandError as error:
        print(f"netno: {error}", file=sys.stderr)
        return 2
