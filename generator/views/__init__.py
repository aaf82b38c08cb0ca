"""The views stage: structured facts every back end and template reads, computed once from the model.

``interfaces`` holds the Python and ctypes facts of every interface, method and
parameter (names, ctypes types, annotations, out kinds, flags); ``data`` those of
every structure, union, constant, property tag and GUID (ctypes types, Win32 and
Win64 layouts, values); ``properties`` those of every canonical property;
``functions`` the prototypes and entry points of every function; ``values`` the
Python values of MAPI data (the ``PT_`` table, restriction classes, notification
kinds, the methods whose arguments convert); ``names`` the Python names all are spelled with.  Views
hold facts, not code: a back end formats them.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.model import Model
from generator.views.data import DataViews, data_views
from generator.views.functions import FunctionViews, function_views
from generator.views.interfaces import InterfaceViews
from generator.views.names import GENERATED_NAMES, py_name
from generator.views.properties import PropertyViews, property_views
from generator.views.values import ValueViews, value_views_of

# Names the runtime module binds besides the generated code's own.
_RUNTIME_NAMES = frozenset({"GUID", "WSTR", "MAPIError", "expose", "ComClient", "HRESULT", "S_OK", "E_FAIL"})


@dataclass(frozen=True, slots=True)
class Views:
    """Every view of one model; ``bound``: every name the runtime, interfaces and data types bind (functions take the others)."""

    interfaces: InterfaceViews
    data: DataViews
    bound: frozenset[str]
    properties: PropertyViews
    functions: FunctionViews
    values: ValueViews


def views_of(model: Model) -> Views:
    """The views of ``model``: interfaces first, then the data types under the names they leave free."""
    interfaces = InterfaceViews(model)
    taken = set(GENERATED_NAMES) | _RUNTIME_NAMES | {py_name(h.name) for h in model.hresults}
    taken |= {n for v in interfaces.interfaces for n in (v.py_name, v.client, v.vtbl, v.iid_name)}
    data = data_views(model, taken)
    taken |= set(data.structure_names) | {c.name for c in data.constants + data.tags} | {g.name for g in data.guids}
    properties = property_views(model, taken, {g.name for g in data.guids})
    bound = frozenset(taken)
    functions = function_views(model, bound, py_name)
    values = value_views_of(model, interfaces.interfaces, functions.names)
    return Views(interfaces, data, bound, properties, functions, values)
