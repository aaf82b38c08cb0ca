"""Argument widths against the compiler: what the generated bindings pass and allocate is what Windows x64 reads.

One C file, compiled with x86_64-w64-mingw32-gcc, holds for every generated
prototype:

* where Microsoft's headers declare the interface, one assertion that the
  header's vtable member has exactly the prototype the model spells (so the
  types below are the header's own, not ours);
* for every parameter, ``sizeof`` of its C type equals the Windows x64 size
  of the ctypes type the generated prototype passes it as;
* for every pointer parameter whose buffer the generated client allocates,
  ``sizeof`` of the pointee equals the Windows x64 size of that buffer.

The generated side is read from ``generated/python/mapi_bindings/stubs.py``
itself: the prototypes' argument types and the buffers each client method
constructs and passes ``byref``.  Their sizes come from what the ctypes
names mean on Windows x64 (``c_size_t`` and ``c_void_p`` 8 bytes,
``c_uint32`` 4), not from the host.

Microsoft's headers compile against mingw-w64's ``<windows.h>`` with three
workarounds, the minimal set found: they include each other in lower case
(``<mapidefs.h>``), so a folder of lower-case links to them comes first on
the include path (otherwise mingw-w64's own copies are read); MAPIUtil.h
names ``RTF_WCSINFO`` and ``RTF_WCSRETINFO`` without ``struct`` (C++), so
they are typedef'd first; IMSCapabilities.h declares ``enum class
MSCAP_SELECTOR`` (C++), so ``class`` is defined away and the enum's name
typedef'd first (both are ``int``-sized on Windows x64).  mimeole.h gives
IConverterSession's ``ENCODINGTYPE``; mingw-w64's ``tnef.h`` declares ITnef,
which Microsoft's set lacks.
"""

from __future__ import annotations

import ast
import ctypes
import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from conftest import GENERATED, require_tool
from test_reference import require_microsoft_headers, require_mingw_headers

from generator.frontends.header import parse_headers
from generator.sources import Sources

STUBS = GENERATED / "python" / "mapi_bindings" / "stubs.py"
MODEL = GENERATED / "model.json"

# What each ctypes name the generated code uses is on Windows x64 (LLP64).
WIN64_SIZES = {
    "c_void_p": 8,
    "c_size_t": 8,
    "c_ssize_t": 8,
    "c_uint64": 8,
    "c_int64": 8,
    "c_uint32": 4,
    "c_int32": 4,
    "c_uint16": 2,
    "c_int16": 2,
    "c_uint8": 1,
}

PRELUDE = """\
#include <windows.h>
typedef struct RTF_WCSINFO RTF_WCSINFO;
typedef struct RTF_WCSRETINFO RTF_WCSRETINFO;
#define class
#define MSCAP_SELECTOR MSCAP_SELECTOR_
typedef enum MSCAP_SELECTOR_ MSCAP_SELECTOR_;
#include <mapix.h>
#include <mapispi.h>
#include <mapiform.h>
#include <mapiutil.h>
#include <mapihook.h>
#include <mapiaux.h>
#include <edkmdb.h>
#include <imscapabilities.h>
#undef class
#undef MSCAP_SELECTOR
typedef MSCAP_SELECTOR_ MSCAP_SELECTOR;
#include <tnef.h>
#include <mimeole.h>
"""


@dataclass(frozen=True)
class Generated:
    """What the generated stubs pass and allocate for one method."""

    argtypes: tuple[str, ...]  # ctypes names, ``this`` left out
    buffers: dict[int, str]  # parameter index -> what the client constructs for it


def _ctypes_name(node: ast.expr) -> str:
    assert isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "ctypes", ast.dump(node)
    return node.attr


def read_stubs() -> dict[tuple[str, str], Generated]:
    """(interface, method) -> the prototype's argument types and the client's buffers, from stubs.py's syntax tree."""
    tree = ast.parse(STUBS.read_text(encoding="utf-8"))
    prototypes: dict[str, tuple[str, ...]] = {}
    slots: dict[tuple[str, str], str] = {}
    buffers: dict[tuple[str, str], dict[int, str]] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and getattr(node.value.func, "id", "") == "FUNCTYPE":
            (target,) = node.targets
            assert isinstance(target, ast.Name)
            prototypes[target.id] = tuple(_ctypes_name(a) for a in node.value.args[2:])
        elif isinstance(node, ast.ClassDef) and node.name.endswith("Vtbl"):
            for item in node.body:
                if isinstance(item, ast.Assign) and getattr(item.targets[0], "id", "") == "_fields_":
                    assert isinstance(item.value, ast.List)
                    for field in item.value.elts:
                        assert isinstance(field, ast.Tuple)
                        name, proto = field.elts
                        assert isinstance(name, ast.Constant) and isinstance(proto, ast.Name)
                        slots[(node.name[: -len("Vtbl")], str(name.value))] = proto.id
        elif isinstance(node, ast.ClassDef) and node.name.endswith("Client"):
            for item in node.body:
                if isinstance(item, ast.FunctionDef):
                    buffers[(node.name[: -len("Client")], item.name)] = _client_buffers(item)
    return {
        key: Generated(prototypes[proto], buffers.get(key, {}))
        for key, proto in slots.items()
    }


def _client_buffers(method: ast.FunctionDef) -> dict[int, str]:
    """Parameter index -> the type a client method constructs and passes ``byref`` at that position."""
    made: dict[str, str] = {}
    found: dict[int, str] = {}
    for node in ast.walk(method):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and not node.value.args:
            (target,) = node.targets
            func = node.value.func
            if isinstance(target, ast.Name):
                made[target.id] = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Subscript):  # self._fns[k](self, ...)
            for index, arg in enumerate(node.args[1:]):
                if isinstance(arg, ast.Call) and getattr(arg.func, "id", "") == "byref":
                    (buffer,) = arg.args
                    assert isinstance(buffer, ast.Name)
                    found[index] = made[buffer.id]
    return found


def win64_size(name: str) -> int:
    """The Windows x64 size of a ctypes name, or of a generated client class (an interface pointer)."""
    if name.endswith("Client"):
        import mapi_bindings

        assert issubclass(getattr(mapi_bindings, name), ctypes.c_void_p)
        return WIN64_SIZES["c_void_p"]
    return WIN64_SIZES[name]


def microsoft_interfaces() -> set[str]:
    """The interfaces Microsoft's headers declare (their C vtable structs exist)."""
    root = require_microsoft_headers()
    files = [item.path for item in Sources(None, headers=(root,)).files()]
    parsed = parse_headers([(f"ms/{p.name}", p.read_text(encoding="utf-8", errors="replace")) for p in files])
    return {i.name for f in parsed for i in f.interfaces}


def lower_case_links(root: Path, folder: Path) -> Path:
    folder.mkdir()
    for header in root.iterdir():
        if header.suffix.lower() == ".h":
            (folder / header.name.lower()).symlink_to(header)
    return folder


def assertions() -> tuple[list[str], dict[str, int]]:
    """The C assertions for every generated prototype, and counts of each kind."""
    model = json.loads(MODEL.read_text(encoding="utf-8"))
    stubs = read_stubs()
    declared = microsoft_interfaces()
    lines: list[str] = []
    counts = {"prototypes": 0, "parameters": 0, "buffers": 0, "header prototypes": 0}
    for itf in model["interfaces"]:
        name = itf["name"]
        for method in itf["methods"]:
            generated = stubs[(name, method["name"])]
            params = method["params"]
            assert len(generated.argtypes) == len(params), (name, method["name"])
            where = f"{name}::{method['name']}"
            counts["prototypes"] += 1
            if name in declared:
                types = ", ".join([f"{name} *", *(p["type"] for p in params)])
                lines.append(
                    f"_Static_assert(__builtin_types_compatible_p(__typeof__(((struct {name}Vtbl *)0)->{method['name']}),"
                    f" {method['return_type']} (STDMETHODCALLTYPE *)({types})), \"{where}: the header's prototype\");"
                )
                counts["header prototypes"] += 1
            for index, (param, argtype) in enumerate(zip(params, generated.argtypes)):
                lines.append(
                    f"_Static_assert(sizeof({param['type']}) == {WIN64_SIZES[argtype]},"
                    f" \"{where} {param['name']}: {param['type']} is passed as ctypes.{argtype}\");"
                )
                counts["parameters"] += 1
                buffer = generated.buffers.get(index)
                if buffer is not None:
                    lines.append(
                        f"_Static_assert(sizeof(*({param['type']})0) == {win64_size(buffer)},"
                        f" \"{where} {param['name']}: the client allocates a {buffer} for the pointee of {param['type']}\");"
                    )
                    counts["buffers"] += 1
    return lines, counts


def compile_c(tmp_path: Path, body: list[str]) -> subprocess.CompletedProcess[str]:
    gcc = require_tool("x86_64-w64-mingw32-gcc")
    require_mingw_headers()
    tmp_path.mkdir(exist_ok=True)
    include = lower_case_links(require_microsoft_headers(), tmp_path / "include")
    source = tmp_path / "widths.c"
    source.write_text(PRELUDE + "\n".join(body) + "\n", encoding="utf-8")
    return subprocess.run(
        [gcc, "-fsyntax-only", "-I", str(include), str(source)], capture_output=True, text=True, check=False
    )


def undeclared_names(stderr: str) -> set[str]:
    """The names gcc reports as unknown types or undeclared identifiers."""
    found = re.findall(r"unknown type name \u2018(\w+)\u2019|\u2018(\w+)\u2019 undeclared", stderr)
    return {a or b for a, b in found}


def declarations(missing: set[str], typedefs: dict[str, str]) -> list[str]:
    """C declarations for names no header declares: the model's typedef, else an incomplete struct."""
    lines = []
    for name in sorted(missing):
        target = typedefs.get(name)
        lines.append(f"typedef {target} {name};" if target else f"typedef struct {name} {name};")
    return lines


def test_every_argument_and_buffer_is_the_width_windows_x64_uses(tmp_path: Path) -> None:
    """Types no C header declares (those of interfaces only pages describe) are declared as the model says.

    Where the model has a typedef (from wintypes.idl: ``PMAPISIB`` is
    ``MAPISIB *``) it is used; any other name becomes an incomplete struct,
    whose size is known only behind a pointer, which is where the model has
    them (by value they would fail to compile).  Every such name must belong
    to an interface that no header declares.
    """
    lines, counts = assertions()
    typedefs = {t["name"]: t["type"] for t in json.loads(MODEL.read_text(encoding="utf-8"))["typedefs"]}
    missing: set[str] = set()
    for attempt in range(4):
        result = compile_c(tmp_path / str(attempt), declarations(missing, typedefs) + lines)
        new = undeclared_names(result.stderr) - missing
        if not new:
            break
        missing |= new
    assert result.returncode == 0, "\n".join(re.findall(r"error: .*", result.stderr)[:40])
    declared = microsoft_interfaces()
    for line in lines:
        if any(re.search(rf"\b{name}\b", line) for name in missing):
            assert line.split('"')[1].split("::")[0] not in declared, line
    assert counts["prototypes"] == sum(1 for line in STUBS.read_text(encoding="utf-8").splitlines() if " = FUNCTYPE(" in line)
    assert counts == {"prototypes": 430, "parameters": 1169, "buffers": 231, "header prototypes": 339}


def test_a_wrong_width_fails_to_compile(tmp_path: Path) -> None:
    """The checks can fail: ULONG where Microsoft's header has ULONG_PTR, and a 4-byte buffer for a ULONG_PTR."""
    wrong = [
        (
            "_Static_assert(__builtin_types_compatible_p(__typeof__(((struct IMAPISessionVtbl *)0)->Unadvise),"
            ' HRESULT (STDMETHODCALLTYPE *)(IMAPISession *, ULONG)), "narrow Unadvise");'
        ),
        '_Static_assert(sizeof(*(ULONG_PTR *)0) == 4, "narrow buffer");',
    ]
    result = compile_c(tmp_path, wrong)
    assert result.returncode != 0
    assert "narrow Unadvise" in result.stderr and "narrow buffer" in result.stderr


def test_the_generated_side_is_read_from_the_stubs() -> None:
    stubs = read_stubs()
    unadvise = stubs[("IMAPISession", "Unadvise")]
    assert unadvise.argtypes == ("c_size_t",)
    advise = stubs[("IMAPISession", "Advise")]
    assert advise.argtypes == ("c_uint32", "c_void_p", "c_uint32", "c_void_p", "c_void_p")
    assert advise.buffers == {4: "c_size_t"}  # lpulConnection: a ULONG_PTR the callee writes
    assert stubs[("IXPLogon", "SubmitMessage")].buffers == {2: "c_size_t", 3: "c_size_t"}
    assert stubs[("IAddrBook", "Details")].argtypes[0] == "c_void_p"  # lpulUIParam, a ULONG_PTR * [in, out]
    assert stubs[("IMAPIProp", "CopyTo")].argtypes[3] == "c_size_t"  # ulUIParam


FUNCTIONS = GENERATED / "python" / "mapi_bindings" / "functions.py"

# The headers of functions that PRELUDE does not include.
FUNCTION_PRELUDE = """\
#include <mapi.h>
#include <mapival.h>
#include <imessage.h>
#include <mapinls.h>
#include <mapiwz.h>
"""
# MAPIWin.h ends in a DOS end-of-file byte (0x1A) that gcc refuses, so its one function is not checked.
UNCOMPILED_HEADERS = {"mapiwin.h"}


def read_functions() -> dict[str, tuple[str, ...]]:
    """Name -> the ctypes names (or prototype names) ``functions.py`` passes, for entry points and prototypes."""
    tree = ast.parse(FUNCTIONS.read_text(encoding="utf-8"))
    found: dict[str, tuple[str, ...]] = {}
    for node in tree.body:
        if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)):
            continue
        (target,) = node.targets
        assert isinstance(target, ast.Name)
        call = node.value
        args = call.args[2:] if isinstance(call.func, ast.Attribute) else call.args[1:]  # runtime.function(name, restype, ...) / FUNCTYPE(restype, ...)
        found[target.id] = tuple(a.id if isinstance(a, ast.Name) else _ctypes_name(a) for a in args)
    return found


def function_assertions() -> tuple[list[str], dict[str, int]]:
    """For every generated function and prototype Microsoft's headers declare: its C type, and each argument's width."""
    model = json.loads(MODEL.read_text(encoding="utf-8"))
    generated = read_functions()
    microsoft = {p.name.lower() for p in require_microsoft_headers().iterdir()}
    lines: list[str] = []
    counts = {"functions": 0, "function types": 0, "parameters": 0}
    for function in model["functions"]:
        name = function["name"]
        if name not in generated or function["header"].lower() not in microsoft - UNCOMPILED_HEADERS:
            continue
        argtypes = generated[name]
        params = function["params"]
        assert len(argtypes) == len(params), name
        types = ", ".join(p["type"] for p in params) or "void"
        pointer = "(*)" if function["kind"] == "pointer" else ""
        spelled = f"{function['return_type']} {pointer}({types})"
        subject = f"__typeof__({name})" if function["kind"] == "function" else name
        lines.append(f'_Static_assert(__builtin_types_compatible_p({subject}, {spelled}), "{name}: the header\'s type");')
        counts["functions" if function["kind"] == "function" else "function types"] += 1
        for param, argtype in zip(params, argtypes):
            size = WIN64_SIZES.get(argtype, 8)  # a prototype is a function pointer
            lines.append(f'_Static_assert(sizeof({param["type"]}) == {size}, "{name} {param["name"]}: {param["type"]} is passed as {argtype}");')
            counts["parameters"] += 1
    return lines, counts


def test_every_function_argument_is_the_width_windows_x64_uses(tmp_path: Path) -> None:
    """Each generated function's C type is the one Microsoft's header declares, and each argument has its width."""
    lines, counts = function_assertions()
    result = compile_c(tmp_path, [FUNCTION_PRELUDE, *lines])
    assert result.returncode == 0, "\n".join(re.findall(r"error: .*", result.stderr)[:40])
    assert counts == {"functions": 126, "function types": 44, "parameters": 633}


def test_a_wrong_function_width_fails_to_compile(tmp_path: Path) -> None:
    wrong = [
        '_Static_assert(__builtin_types_compatible_p(__typeof__(MAPILogonEx), HRESULT (ULONG, LPTSTR, LPTSTR, ULONG, LPMAPISESSION *)), "narrow logon");',
    ]
    result = compile_c(tmp_path, wrong)
    assert result.returncode != 0 and "narrow logon" in result.stderr
