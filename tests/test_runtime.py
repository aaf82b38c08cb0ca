"""The runtime loader: a C library compiled here and called through ``runtime.function``, the
error without a library, export-name decoration, and the Windows lookup on a faked registry."""

from __future__ import annotations

import ctypes
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import GENERATED, require_tool
from mapi_bindings import runtime
from mapi_bindings.runtime import REG_EXPAND_SZ, REG_MULTI_SZ, REG_SZ, MAPIRuntimeError

DOUBLE = Path(__file__).parent / "c" / "mapi_double.c"
MAIL = "Software\\Clients\\Mail"
SYSTEM = "C:\\Windows\\System32"
O15, O16 = runtime.OFFICE_CATEGORIES[1], runtime.OFFICE_CATEGORIES[0]


@pytest.fixture(scope="module")
def doubles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two builds of the MAPI stand-in, told apart by ``DoubleName()``."""
    cc = require_tool("cc")
    folder = tmp_path_factory.mktemp("mapi-double")
    built = {}
    for name in ("first", "second"):
        out = folder / f"libmapi-{name}.so"
        command = [cc, "-shared", "-fPIC", "-Wall", "-Werror", f'-DDOUBLE_NAME="{name}"']
        subprocess.run([*command, "-o", str(out), str(DOUBLE)], check=True)
        built[name] = out
    return built


@pytest.fixture(autouse=True)
def fresh_runtime(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test starts and ends with no library loaded and no environment variable."""
    monkeypatch.delenv(runtime.ENVIRONMENT_VARIABLE, raising=False)
    runtime.unload()
    yield
    runtime.unload()


double_name = runtime.function("DoubleName", ctypes.c_char_p)
outstanding = runtime.function("DoubleOutstanding", ctypes.c_int32)
allocate = runtime.function(
    "MAPIAllocateBuffer", ctypes.c_int32, ctypes.c_uint32, ctypes.POINTER(ctypes.c_void_p)
)
free = runtime.function("MAPIFreeBuffer", ctypes.c_uint32, ctypes.c_void_p)


def test_load_path_and_call(doubles: dict[str, Path]) -> None:
    library = runtime.load(doubles["first"])
    assert runtime.loaded() is library
    before = outstanding()
    buffer = ctypes.c_void_p()
    assert allocate(16, ctypes.byref(buffer)) == 0
    assert buffer.value
    assert outstanding() == before + 1
    assert free(buffer) == 0
    assert outstanding() == before
    assert double_name() == b"first"


def test_environment_variable_names_the_library(
    doubles: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(runtime.ENVIRONMENT_VARIABLE, str(doubles["second"]))
    assert runtime.loaded() is None
    assert double_name() == b"second"
    library = runtime.loaded()
    assert library is not None and library._name == str(doubles["second"])


def test_nothing_loads_before_the_first_call(doubles: dict[str, Path]) -> None:
    uninitialize = runtime.function("MAPIUninitialize", None)
    assert runtime.loaded() is None
    assert repr(uninitialize) == "<MAPI function MAPIUninitialize>"
    runtime.load(doubles["first"])
    initialize = runtime.function("MAPIInitialize", ctypes.c_int32, ctypes.c_void_p)
    initialized = runtime.function("DoubleInitialized", ctypes.c_int32)
    assert initialize(None) == 0
    count = initialized()
    assert uninitialize() is None
    assert initialized() == count - 1


def test_without_a_library_the_first_call_says_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runtime, "_IS_WINDOWS", False)
    with pytest.raises(MAPIRuntimeError) as raised:
        double_name()
    assert isinstance(raised.value, OSError)
    message = str(raised.value)
    assert "Outlook" in message
    assert "mapi_bindings.runtime.load(path)" in message
    assert "MAPI_BINDINGS_LIBRARY" in message
    assert runtime.loaded() is None


def test_a_library_that_cannot_be_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "nowhere.so"
    monkeypatch.setenv(runtime.ENVIRONMENT_VARIABLE, str(missing))
    with pytest.raises(
        MAPIRuntimeError,
        match=f"cannot load {re.escape(str(missing))}, which MAPI_BINDINGS_LIBRARY names",
    ):
        double_name()
    with pytest.raises(MAPIRuntimeError, match="cannot load"):
        runtime.load(missing)
    assert runtime.loaded() is None


def test_a_missing_export_names_what_was_looked_for(
    doubles: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime.load(doubles["first"])
    missing = runtime.function("HrQueryAllRows", ctypes.c_int32, *[ctypes.c_uint32] * 6)
    with pytest.raises(
        MAPIRuntimeError, match=r"does not export HrQueryAllRows \(looked for HrQueryAllRows\)$"
    ):
        missing()
    monkeypatch.setattr(runtime, "_DECORATE_EXPORTS", True)
    with pytest.raises(MAPIRuntimeError, match=r"looked for HrQueryAllRows@24, HrQueryAllRows\)$"):
        missing()


def test_unload_then_load_rebinds_every_function(doubles: dict[str, Path]) -> None:
    first = runtime.load(doubles["first"])
    assert double_name() == b"first"
    assert runtime.load(doubles["first"]) is first
    assert runtime.load() is first
    with pytest.raises(
        MAPIRuntimeError, match="already loaded from .*libmapi-first.so; call unload()"
    ):
        runtime.load(doubles["second"])
    runtime.unload()
    assert runtime.loaded() is None
    runtime.load(doubles["second"])
    assert double_name() == b"second"


class FILETIME(ctypes.Structure):
    _fields_ = [("dwLowDateTime", ctypes.c_uint32), ("dwHighDateTime", ctypes.c_uint32)]


class SixBytes(ctypes.Structure):
    _fields_ = [("a", ctypes.c_uint16), ("b", ctypes.c_uint16), ("c", ctypes.c_uint16)]


@pytest.mark.parametrize(
    ("name", "argtypes", "expected"),
    [
        # six arguments of 4 bytes, as HrQueryAllRows's pointers and ULONGs are on 32-bit
        ("HrQueryAllRows", [ctypes.c_uint32] * 6, "HrQueryAllRows@24"),
        ("MAPIUninitialize", [], "MAPIUninitialize@0"),
        ("FtAddFt", [FILETIME, FILETIME], "FtAddFt@16"),
        ("Rounded", [ctypes.c_uint8, ctypes.c_uint16, ctypes.c_char], "Rounded@12"),
        ("Wide", [ctypes.c_double, ctypes.c_int64, ctypes.c_int32], "Wide@20"),
        ("Odd", [SixBytes], "Odd@8"),
    ],
)
def test_decorated_name(
    name: str, argtypes: list[type[ctypes._SimpleCData[int]]], expected: str
) -> None:
    assert runtime.decorated_name(name, argtypes) == expected


def test_decorated_name_first_then_plain_on_32_bit_windows(
    doubles: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    four = [ctypes.c_uint32] * 6
    thirty_two_bit_windows = sys.platform == "win32" and ctypes.sizeof(ctypes.c_void_p) == 4
    plain = (
        ("HrQueryAllRows@24", "HrQueryAllRows") if thirty_two_bit_windows else ("HrQueryAllRows",)
    )
    assert runtime.export_names("HrQueryAllRows", four) == plain
    monkeypatch.setattr(runtime, "_DECORATE_EXPORTS", True)
    assert runtime.export_names("HrQueryAllRows", four) == ("HrQueryAllRows@24", "HrQueryAllRows")
    runtime.load(doubles["first"])
    assert double_name() == b"first"  # DoubleName@0 is not exported: the plain name is the fallback


class FakeWindows:
    """The registry, Windows Installer and the loader, answered from dictionaries."""

    def __init__(
        self,
        registry: dict[tuple[str, str], tuple[object, int]] | None = None,
        installed: dict[tuple[str, str], str] | None = None,
        components: dict[tuple[str, str], str] | None = None,
        loadable: tuple[str, ...] = (),
        attached: tuple[str, ...] = (),
    ) -> None:
        self.registry = registry or {}
        self.installed = installed or {}
        self.components = components or {}
        self.handles = {path: 0x10000 * (i + 1) for i, path in enumerate(loadable + attached)}
        self.attached = attached
        self.loads: list[str] = []
        self.queries: list[tuple[str, str]] = []
        self.component_queries: list[tuple[str, str]] = []

    def registry_value(self, key: str, name: str) -> tuple[object, int] | None:
        return self.registry.get((key, name))

    def expand(self, text: str) -> str:
        variables = {"ProgramFiles": "C:\\Program Files", "SystemRoot": "C:\\Windows"}
        return re.sub(r"%(\w+)%", lambda m: variables.get(m.group(1), m.group()), text)

    def qualified_component(self, category: str, qualifier: str) -> str | None:
        self.queries.append((category, qualifier))
        return self.installed.get((category, qualifier))

    def component_path(self, component: str, qualifier: str) -> str | None:
        self.component_queries.append((component, qualifier))
        return self.components.get((component, qualifier))

    def system_directory(self) -> str:
        return SYSTEM

    def attach(self, module: str) -> int | None:
        return self.handles[module] if module in self.attached else None

    def load_library(self, path: str) -> int | None:
        self.loads.append(path)
        return None if path in self.attached else self.handles.get(path)


def client(name: str, **values: tuple[object, int]) -> dict[tuple[str, str], tuple[object, int]]:
    """The registry of a default mail client ``name`` with ``values`` under its key."""
    registry: dict[tuple[str, str], tuple[object, int]] = {(MAIL, ""): (name, REG_SZ)}
    registry.update({(f"{MAIL}\\{name}", value): answer for value, answer in values.items()})
    return registry


def test_default_client_dll_path_ex_before_dll_path_expanded() -> None:
    registry = client(
        "Contoso Mail",
        DllPathEx=("%ProgramFiles%\\Contoso\\mapi64.dll", REG_EXPAND_SZ),
        DllPath=("C:\\Contoso\\mapi.dll", REG_SZ),
    )
    expanded = "C:\\Program Files\\Contoso\\mapi64.dll"
    host = FakeWindows(registry, loadable=(expanded, "C:\\Contoso\\mapi.dll"))
    assert runtime.mapi_candidates(host, []) == [
        expanded,
        "C:\\Contoso\\mapi.dll",
        f"{SYSTEM}\\mapi32.dll",
    ]
    assert runtime.find_windows_mapi(host) == (expanded, host.handles[expanded])
    assert host.loads == [expanded]
    host = FakeWindows(registry, loadable=("C:\\Contoso\\mapi.dll",))
    assert runtime.find_windows_mapi(host)[0] == "C:\\Contoso\\mapi.dll"
    assert host.loads == [expanded, "C:\\Contoso\\mapi.dll"]


def test_registry_values_of_other_types_are_ignored() -> None:
    registry = client(
        "Contoso Mail",
        DllPathEx=(b"C:\\x.dll", 3),
        DllPath=(["C:\\y.dll", "C:\\z.dll"], REG_MULTI_SZ),
        MSIComponentID=(["{00000000-1111-2222-3333-444444444444}"], REG_SZ),
        MSIApplicationLCID=("1033", REG_SZ),
    )
    host = FakeWindows(registry)
    assert runtime.mapi_candidates(host, []) == [f"{SYSTEM}\\mapi32.dll"]
    assert host.component_queries == []


def test_olmapi32_comes_first_and_pstprx32_is_preloaded() -> None:
    registry = client(
        "Microsoft Outlook",
        DllPathEx=("C:\\Contoso\\mapi64.dll", REG_SZ),
        DllPath=("D:\\Office\\OLMAPI32.DLL", REG_SZ),
    )
    installed = {(O15, "outlook.exe"): "C:\\Office15\\OUTLOOK.EXE"}
    every = ("C:\\Office15\\olmapi32.dll", "D:\\Office\\OLMAPI32.DLL", "C:\\Contoso\\mapi64.dll")
    host = FakeWindows(registry, installed, loadable=(*every, "C:\\Office15\\pstprx32.dll"))
    outlook = runtime.installed_outlook_mapi(host)
    assert outlook == ["C:\\Office15\\olmapi32.dll"]
    assert [q for c, q in host.queries if c == O16] == list(runtime.OUTLOOK_QUALIFIERS)
    assert [q for c, q in host.queries if c == O15] == ["outlook.x64.exe", "outlook.exe"]
    assert runtime.mapi_candidates(host, outlook) == [*every, f"{SYSTEM}\\mapi32.dll"]
    assert runtime.find_windows_mapi(host)[0] == "C:\\Office15\\olmapi32.dll"
    assert host.loads == ["C:\\Office15\\olmapi32.dll", "C:\\Office15\\pstprx32.dll"]


def test_msi_component_through_fgetcomponentpath() -> None:
    registry = client(
        "Contoso Mail",
        DllPath=("C:\\Contoso\\mapi.dll", REG_SZ),
        MSIComponentID=("{00000000-1111-2222-3333-444444444444}", REG_SZ),
        MSIApplicationLCID=(["Software\\Contoso\\Mail", "Locale"], REG_MULTI_SZ),
    )
    lookup = ("{00000000-1111-2222-3333-444444444444}", "Software\\Contoso\\Mail\0Locale")
    host = FakeWindows(registry, components={lookup: "C:\\Contoso\\private\\mapi32.dll"})
    assert runtime.mapi_candidates(host, []) == [
        "C:\\Contoso\\mapi.dll",
        "C:\\Contoso\\private\\mapi32.dll",
        f"{SYSTEM}\\mapi32.dll",
    ]
    assert host.component_queries == [lookup]


def test_fallback_to_mapi32_in_the_system_folder() -> None:
    system = f"{SYSTEM}\\mapi32.dll"
    host = FakeWindows(loadable=(system,))
    assert runtime.find_windows_mapi(host) == (system, host.handles[system])
    assert host.loads == [system]
    assert len(host.queries) == len(runtime.OFFICE_CATEGORIES) * len(runtime.OUTLOOK_QUALIFIERS)
    broken = client(
        "Contoso Mail", DllPathEx=("C:\\gone.dll", REG_SZ), DllPath=("C:\\gone2.dll", REG_SZ)
    )
    host = FakeWindows(broken, loadable=(system,))
    assert runtime.find_windows_mapi(host)[0] == system
    assert host.loads == ["C:\\gone.dll", "C:\\gone2.dll", system]


def test_a_mapi_already_in_the_process_is_used() -> None:
    host = FakeWindows(
        attached=("msmapi32.dll", "olmapi32.dll"), loadable=(f"{SYSTEM}\\mapi32.dll",)
    )
    assert runtime.find_windows_mapi(host) == ("olmapi32.dll", host.handles["olmapi32.dll"])
    host = FakeWindows(attached=("msmapi32.dll",), loadable=(f"{SYSTEM}\\mapi32.dll",))
    assert runtime.find_windows_mapi(host) == ("msmapi32.dll", host.handles["msmapi32.dll"])
    assert host.loads == []


def test_no_mapi_on_windows_says_what_to_do_and_what_was_tried() -> None:
    host = FakeWindows(client("Contoso Mail", DllPath=("C:\\gone.dll", REG_SZ)))
    with pytest.raises(MAPIRuntimeError) as raised:
        runtime.find_windows_mapi(host)
    message = str(raised.value)
    assert (
        "install Outlook" in message
        and "load(path)" in message
        and "MAPI_BINDINGS_LIBRARY" in message
    )
    assert message.endswith(f"Tried: C:\\gone.dll, {SYSTEM}\\mapi32.dll")


def test_load_on_windows_uses_the_lookup(
    doubles: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole path on a faked Windows: the registry names the double, which really loads."""
    path = str(doubles["second"])

    class Loading(FakeWindows):
        def load_library(self, path: str) -> int | None:
            self.loads.append(path)
            return ctypes.CDLL(path)._handle if path.endswith(".so") else None

    host = Loading(client("Contoso Mail", DllPathEx=(path, REG_SZ)))
    monkeypatch.setattr(runtime, "_IS_WINDOWS", True)
    monkeypatch.setattr(runtime, "_windows_host", lambda: host)
    assert double_name() == b"second"
    library = runtime.loaded()
    assert library is not None and library._name == path
    assert host.loads == [path]


def test_import_does_no_work() -> None:
    """``import mapi_bindings`` binds the functions through runtime.function, which loads nothing."""
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1]); import mapi_bindings; "
        "from mapi_bindings import runtime; assert runtime.loaded() is None; "
        "assert mapi_bindings.functions.MAPILogonEx._bound is None; "
        "print(sorted(m for m in sys.modules if m.startswith('mapi_bindings.runtime')))"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", probe, str(GENERATED / "python")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "['mapi_bindings.runtime']"


def test_windows_branch_passes_mypy_strict() -> None:
    require_tool("mypy")
    module = GENERATED / "python" / "mapi_bindings" / "runtime.py"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--platform",
            "win32",
            "--no-incremental",
            "--cache-dir",
            "/dev/null",
            str(module),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
