"""Build the optional C extension ``netno._chunks``; the project metadata is in pyproject.toml."""

from setuptools import Extension, setup

setup(
    ext_modules=[
        # Optional: without a C compiler the build skips it and netno.normalize falls
        # back to its pure-Python path, with the same results.
        Extension("netno._chunks", sources=["netno/_chunks.c"], optional=True),
    ],
)
