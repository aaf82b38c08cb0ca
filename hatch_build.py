"""Build hook: a wheel carries ``templates/`` and ``specs/`` inside the package; an editable install does not.

An editable install reads them from the checkout (``generator.resources``); copied into
site-packages as ``generator/templates`` they would make a ``generator`` folder there that
shadows the checkout's package.
"""

from __future__ import annotations

from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class PackageDataHook(BuildHookInterface):  # type: ignore[misc]
    """Adds the top-level folders to a standard wheel only."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version == "standard":
            build_data["force_include"]["templates"] = "generator/templates"
            build_data["force_include"]["specs"] = "generator/specs"
