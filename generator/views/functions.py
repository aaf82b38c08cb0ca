"""The views of the functions: the prototypes and entry points ``functions.py`` binds and the site shows.

Every function type of the headers becomes a ctypes prototype (``FUNCTYPE``
of ``com.py``: ``WINFUNCTYPE`` on Windows, ``CFUNCTYPE`` elsewhere), and so do
the typedefs of pointers to them (``LPALLOCATEBUFFER``, ``LPFNBUTTON``): a
parameter of such a type is passed as that prototype, so a Python callable
wrapped in it can be handed to MAPI.  Every entry point becomes a
``runtime.function``, looked up on its first call.  A name that another
generated module already binds is left out (``skipped``).
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from generator.ctypes_facts import INTEGER_CTYPES, WINDOWS_VALUE_CTYPES, TypeResolver
from generator.model import AbiFunction, CType, Model


@dataclass(frozen=True, slots=True)
class PrototypeView:
    """``NAME = FUNCTYPE(restype, *argtypes)``, or an alias of one (``LPALLOCATEBUFFER = ALLOCATEBUFFER``)."""

    name: str
    value: str
    doc: str


@dataclass(frozen=True, slots=True)
class EntryPointView:
    """``Name = runtime.function("Name", restype, *argtypes)``."""

    name: str
    export: str
    restype: str
    argtypes: tuple[str, ...]
    doc: str


@dataclass(frozen=True, slots=True)
class FunctionViews:
    """Everything ``functions.py`` and ``__init__`` need."""

    prototypes: tuple[PrototypeView, ...]
    entry_points: tuple[EntryPointView, ...]
    skipped: tuple[str, ...]

    @property
    def names(self) -> list[str]:
        """The names ``functions.py`` binds."""
        return [p.name for p in self.prototypes] + [e.name for e in self.entry_points]


class _Types:
    """Parameter types as ctypes, function-pointer types as their prototypes."""

    def __init__(self, model: Model, prototypes: dict[str, AbiFunction]) -> None:
        self.resolver = TypeResolver.of(model)
        self.prototypes = prototypes

    def prototype_of(self, ctype: CType) -> str | None:
        """The prototype a parameter of this type is passed as, when it points to a function."""
        resolved = self.resolver.resolve(ctype)
        found = self.prototypes.get(resolved.base)
        if found is None:
            return None
        depth = resolved.pointers + (1 if found.kind == "pointer" else 0)
        return found.name if depth == 1 else None

    def ctype(self, ctype: CType) -> str:
        resolved = self.resolver.resolve(ctype)
        small = WINDOWS_VALUE_CTYPES.get(resolved.base, "") if resolved.pointers == 0 else ""
        if small.startswith("ctypes.") and resolved.base not in INTEGER_CTYPES:  # short, unsigned char, double, ...
            return small
        return self.prototype_of(ctype) or self.resolver.ctypes_type(ctype)

    def restype(self, ctype: CType) -> str:
        resolved = self.resolver.resolve(ctype)
        if resolved.pointers == 0 and resolved.base in ("void", "VOID"):
            return "None"
        if resolved.pointers == 0 and resolved.base not in INTEGER_CTYPES:
            return "ctypes.c_void_p"
        return self.ctype(ctype)


def _signature(function: AbiFunction) -> str:
    params = ", ".join(f"{p.type} {p.name}" for p in function.params) or "void"
    return f"{function.return_type} {function.name}({params})"


def function_views(model: Model, taken: AbstractSet[str], py_name: Callable[[str], str]) -> FunctionViews:
    """The prototypes and entry points of ``model``, leaving out names in ``taken`` and those ``py_name`` would mangle."""
    skipped: list[str] = []
    usable = {}
    for function in model.functions:
        if function.name in taken or py_name(function.name) != function.name:
            skipped.append(function.name)
        else:
            usable[function.name] = function
    prototypes = {f.name: f for f in usable.values() if f.kind != "function"}
    types = _Types(model, prototypes)
    views = []
    for function in (f for f in usable.values() if f.kind != "function"):
        argtypes = ", ".join(types.ctype(p.type) for p in function.params)
        value = f"FUNCTYPE({types.restype(function.return_type)}{', ' if argtypes else ''}{argtypes})"
        views.append(PrototypeView(function.name, value, f"{_signature(function)}; {function.header}"))
    for typedef in model.typedefs:
        target = types.prototype_of(CType(typedef.name))
        if target is not None and typedef.name not in taken and typedef.name not in prototypes:
            views.append(PrototypeView(typedef.name, target, f"{typedef.type}"))
    entries = tuple(
        EntryPointView(
            f.name,
            f.name,
            types.restype(f.return_type),
            tuple(types.ctype(p.type) for p in f.params),
            f"{_signature(f)}; {f.header}",
        )
        for f in usable.values()
        if f.kind == "function"
    )
    return FunctionViews(_defined_first(views), entries, tuple(skipped))


def _defined_first(views: list[PrototypeView]) -> tuple[PrototypeView, ...]:
    """Prototypes by name, each after the prototypes its arguments name (``ABPROVIDERINIT`` after ``ALLOCATEBUFFER``)."""
    by_name = {v.name: v for v in views}
    placed: dict[str, PrototypeView] = {}

    def place(view: PrototypeView, depth: int) -> None:
        if view.name in placed or depth > len(by_name):
            return
        for word in view.value.replace("(", " ").replace(",", " ").replace(")", " ").split():
            if word in by_name and word != view.name:
                place(by_name[word], depth + 1)
        placed[view.name] = view

    for view in sorted(views, key=lambda v: v.name):
        place(view, 0)
    return tuple(placed.values())
