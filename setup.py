"""Build the optional C extensions of netno; the project metadata is in pyproject.toml."""

from setuptools import Extension, setup

setup(
    ext_modules=[
        # Optional: without a C compiler the build skips them and netno.normalize falls
        # back to its pure-Python path, with the same results.
        Extension("netno._chunks", sources=["netno/_chunks.c"], optional=True),
        # Likewise netno.classify falls back to numpy for the gate's candidate loop.
        Extension("netno._gate", sources=["netno/_gate.c"], optional=True),
    ],
)
