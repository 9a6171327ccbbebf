"""The package build compiles the message catalogues into the wheel (see app/catalogues.py).

Everything else about the package is declared in pyproject.toml.
"""

import runpy
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithCatalogues(build_py):
    """build_py, then ``.mo`` files beside the ``.po`` files copied into the build."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return  # an editable install runs from the checkout, which compiles at start-up
        # Run as a file: the app's package imports Flask, which the build environment lacks.
        catalogues = runpy.run_path(str(HERE / "app" / "catalogues.py"))
        for mo in catalogues["compile_all"](Path(self.build_lib) / "app" / "translations"):
            print(f"compiled {mo}")


setup(cmdclass={"build_py": BuildWithCatalogues})
