"""Build the optional C extensions of netno. The project metadata is in pyproject.toml."""

from setuptools import Extension, setup

# Rebuild both extensions when the header they share changes.
_HEADERS = ["netno/_int64_array.h"]

setup(
    ext_modules=[
        # Optional: without a C compiler the build skips them and netno.normalize falls
        # back to its pure-Python path, with the same results.
        Extension(
            "netno._chunks", sources=["netno/_chunks.c"], depends=_HEADERS, optional=True
        ),
        # Likewise netno.classify falls back to numpy for the gate's candidate loop.
        Extension("netno._gate", sources=["netno/_gate.c"], depends=_HEADERS, optional=True),
    ],
)
