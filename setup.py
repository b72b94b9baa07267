"""Which files the package ships; everything else about it is in pyproject.toml.

The repository keeps templates/, static/ and migrations/ beside the package; a wheel carries
them inside it (goalsapp/templates, ...), where create_app looks for them first.
"""
from setuptools import find_namespace_packages, setup

BESIDE_THE_PACKAGE = ("templates", "static", "migrations")


def shipped_folder(folder: str) -> list[str]:
    """The folder and its subfolders as packages: setuptools ships a directory's data only as a package."""
    return [f"goalsapp.{folder}"] + [f"goalsapp.{folder}.{sub}" for sub in find_namespace_packages(where=folder)]


setup(
    # Found, not listed, so a new subpackage (or data folder such as demo/) is never left out.
    packages=find_namespace_packages(include=["goalsapp", "goalsapp.*"])
    + [package for folder in BESIDE_THE_PACKAGE for package in shipped_folder(folder)],
    package_dir={f"goalsapp.{folder}": folder for folder in BESIDE_THE_PACKAGE},
    # Every file of every folder: a new kind of file (an icon, a font) ships without a word here.
    package_data={"": ["*"]},
)
