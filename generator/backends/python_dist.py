"""The bindings as a distribution: ``python/pyproject.toml``, its README and LICENSE.

``pip install generated/python`` and ``pip wheel generated/python`` build the
``mapi-bindings`` package from them.  The version names the generator and the
snapshot the bindings were built from: ``<generator version>+docs.<newest
page date>.<input digest>`` (a PEP 440 local label), e.g.
``0.1.0+docs.20251009.1a2b3c4d``, so newer docs sort higher for the same
generator, and two builds with one version read the same files.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator import __version__
from generator.model import Model

DISTRIBUTION = "mapi-bindings"
# The digest's first characters shown in the version: enough to tell snapshots apart by eye.
SHORT_DIGEST = 8


@dataclass(frozen=True)
class DistributionView:
    """What the distribution's templates show."""

    name: str
    package: str
    version: str
    generator_version: str
    newest_page_date: str | None
    digest: str | None
    inputs: str | None
    interfaces: int
    hresults: int
    languages: tuple[str, ...]


def bindings_version(model: Model) -> str:
    """The version of ``mapi-bindings`` built from ``model``."""
    snapshot = model.snapshot
    if snapshot is None:
        return __version__
    date = snapshot.newest_page_date.replace("-", "") if snapshot.newest_page_date else "undated"
    return f"{__version__}+docs.{date}.{snapshot.digest[:SHORT_DIGEST]}"


def distribution_view(model: Model, package: str) -> DistributionView:
    """The view model of the files that make ``package`` a distribution."""
    snapshot = model.snapshot
    return DistributionView(
        name=DISTRIBUTION,
        package=package,
        version=bindings_version(model),
        generator_version=__version__,
        newest_page_date=snapshot.newest_page_date if snapshot else None,
        digest=snapshot.digest if snapshot else None,
        inputs=_counted(snapshot.pages, "reference page") + " and " + _counted(snapshot.abi_files, "IDL or header file")
        if snapshot
        else None,
        interfaces=len(model.interfaces),
        hresults=len(model.hresults),
        languages=tuple(sorted(model.languages)),
    )


def _counted(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
