"""The Python side of a method page: its signature in mapi_bindings and a ctypes example."""

from __future__ import annotations

import re

from generator.model import Method
from generator.views.interfaces import InKind, MethodView
from generator.views.names import py_name

_ROOT_CLIENT = {
    "QueryInterface": ("def QueryInterface(self, client: type[C]) -> C", "other = {var}.QueryInterface({client})"),
    "AddRef": ("def AddRef(self) -> int", "count = {var}.AddRef()"),
    "Release": ("def Release(self) -> int", "count = {var}.Release()"),
}


def _object_var(interface: str) -> str:
    name = interface[1:] if interface[:1] == "I" and interface[1:2].isupper() else interface
    name = name.removeprefix("MAPI") or name
    return py_name(re.sub(r"[^a-z0-9_]", "", name.lower()) or "obj")


def python_signature(view: MethodView) -> str:
    """The method as mapi_bindings declares it (one line, or one parameter a line)."""
    params = ["self", *(f"{p.name}: {p.annotation}" for p in view.ins)]
    line = f"def {view.py_name}({', '.join(params)}) -> {view.return_annotation}"
    if len(line) <= 88:
        return line
    body = "".join(f"    {p},\n" for p in params)
    return f"def {view.py_name}(\n{body}) -> {view.return_annotation}"


def ctypes_example(interface: str, method: Method, view: MethodView) -> str:
    """A short call through ``<I>Client``: placeholders for the [in] parameters, the [out] ones returned."""
    var = _object_var(interface)
    client = f"{interface}Client"
    lines = [
        f"from mapi_bindings import MAPIError, {client}",
        "",
        f"# pointer: an {interface} * (an int) received from C or from another COM call",
        f"{var} = {client}(pointer)",
    ]
    if view.outs:
        target = ", ".join(p.name for p in view.outs) + " = "
    elif view.returns_value:
        target = "result = "
    else:
        target = ""
    if view.ins:
        args = "".join(
            f"    {p.name}={'0' if p.in_kind is InKind.INTEGER else 'None'},  # {p.c_type}\n"
            for p in view.ins
        )
        call = f"{target}{var}.{view.py_name}(\n{args})"
    else:
        call = f"{target}{var}.{view.py_name}()"
    if view.returns_hresult:
        body = "\n".join("    " + line if line else line for line in call.split("\n"))
        lines += ["try:", body, "except MAPIError as error:", "    print(error.name, hex(error.hresult))"]
    else:
        lines.append(call)
    return "\n".join(lines)


def root_python(interface: str, method: Method, view: MethodView) -> tuple[str, str]:
    var = _object_var(interface)
    client = f"{interface}Client"
    signature, call = _ROOT_CLIENT.get(method.name, (python_signature(view), ""))
    if not call:
        return signature, ctypes_example(interface, method, view)
    example = "\n".join(
        [
            f"from mapi_bindings import {client}",
            "",
            f"# pointer: an {interface} * (an int) received from C or from another COM call",
            f"{var} = {client}(pointer)",
            call.format(var=var, client=client),
        ]
    )
    return signature, example

