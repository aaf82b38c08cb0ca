"""Where the generator's own files are: the one module that knows, for every kind of install.

An installed wheel carries everything a build reads inside the package
(``generator/templates/``, ``generator/specs/``, the built-in IDL, the
grammars); a source checkout, and an editable install of one, keeps
``templates/`` and ``specs/`` at the repository's top, beside the package.
The packaged copy wins when it exists.  The package is the folder of this
module (as ``importlib.resources`` would find it, without importing that); its files must be on disk (Jinja and Lark read
folders and files, not zip members).  Grammars sit beside the front end
that loads them (``Lark.open(name, rel_to=__file__)``), which is the
package folder here too.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

# The files of the package itself that are not Python: grammars and built-in IDL.
BUILTIN_IDL_NAMES = ("unknwn.idl", "wintypes.idl")


@cache
def package_folder() -> Path:
    """The ``generator`` package's folder on disk."""
    root = Path(__file__).resolve().parent
    if root.is_dir():
        return root
    raise RuntimeError(f"the generator package must be installed as files on disk, not in {root}")


def _shipped(name: str) -> Path:
    """``<package>/<name>`` in an installed wheel, else ``<checkout>/<name>`` beside the package."""
    package = package_folder()
    for candidate in (package / name, package.parent / name):
        if candidate.is_dir():
            return candidate
    raise RuntimeError(f"the generator's {name}/ folder is missing (looked in {package} and {package.parent})")


def templates_folder() -> Path:
    """The Jinja templates (``python/``, ``ctypes/``, ``site/``, ``idl/``)."""
    return _shipped("templates")


def embedded_specs() -> Path:
    """The specs that ship with the generator: ``idl/`` (every documented interface) and ``pages/``."""
    return _shipped("specs")


def builtin_idl() -> tuple[Path, ...]:
    """IUnknown and the Windows types no MAPI source declares, read by every build."""
    return tuple(package_folder() / name for name in BUILTIN_IDL_NAMES)
