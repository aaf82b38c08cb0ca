"""Python names for input names: keywords, builtins and the generated modules' own names are mangled."""

from __future__ import annotations

import builtins
import keyword

# Names the generated modules bind themselves (imports, helpers, locals of the
# generated functions, attributes of ComClient and Servable): an input name
# spelled like one of them would shadow it.
GENERATED_NAMES = frozenset(
    {
        *("annotations", "ctypes", "byref", "FUNCTYPE", "GUID", "WSTR", "wide_text", "ComClient", "MAPIError"),
        *("Pointer", "Servable", "address", "interface_pointer", "serve", "server_object"),
        *("store_pointer", "store_value", "unknown_slots", "expose", "HRESULT_NAMES"),
        *("self", "this", "result", "hresult", "found", "slots", "wrap"),
    }
)


def _reserved(name: str) -> bool:
    return (
        keyword.iskeyword(name)
        or keyword.issoftkeyword(name)
        or hasattr(builtins, name)
        or name in GENERATED_NAMES
        or name.startswith("__")
    )


def py_name(name: str) -> str:
    """A Python identifier for ``name`` (an identifier from the input): keywords, builtins,
    names starting with ``__`` and names the generated code binds get a trailing underscore.

    ``from`` → ``from_``, ``None`` → ``None_``, ``__import__`` → ``__import___``.  So that
    no two names meet, a name that already ends in ``_`` gets one more when it
    would otherwise equal the mangled form of another (``from_`` → ``from__``).
    """
    stem = name
    while True:
        if _reserved(stem):
            return name + "_"
        if not stem.endswith("_") or stem == "_":
            return name
        stem = stem[:-1]
