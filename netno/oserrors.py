"""Describe operating-system errors (file not found, no permission) in Indonesian."""

from __future__ import annotations

import errno

_REASONS = {
    errno.ENOENT: "folder atau file tidak ada",
    errno.EACCES: "tidak ada izin",
    errno.EPERM: "tidak ada izin",
    errno.ENOSPC: "disk penuh",
    errno.EISDIR: "itu sebuah folder, bukan file",
    errno.ENOTDIR: "salah satu bagian path bukan folder",
    errno.EROFS: "disk hanya bisa dibaca",
    errno.ENAMETOOLONG: "nama file terlalu panjang",
}


def describe_os_error(error: OSError) -> str:
    """Return the reason of a failed file operation in Indonesian.

    Reasons without a translation fall back to the system's own text.
    """
    return _REASONS.get(error.errno or 0, error.strerror or str(error))
