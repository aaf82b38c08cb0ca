"""The generated package: lint-clean, type-clean, importable, and honest about its names."""

from __future__ import annotations

import ctypes
import importlib
import inspect
import subprocess
import sys

from conftest import GENERATED, require_tool

PACKAGE = GENERATED / "python" / "mapi_bindings"


def test_ruff_check_passes() -> None:
    ruff = require_tool("ruff")
    result = subprocess.run([ruff, "check", "--isolated", "--no-cache", str(PACKAGE)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_passes() -> None:
    require_tool("mypy")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", "/dev/null", str(PACKAGE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_export_exists() -> None:
    package = importlib.import_module("mapi_bindings")
    for name in package.__all__:
        assert hasattr(package, name), name
    assert str(package.IID_IMAPISession) == "{00020300-0000-0000-C000-000000000046}"


def test_vtable_slots_in_order() -> None:
    package = importlib.import_module("mapi_bindings")
    size = ctypes.sizeof(ctypes.c_void_p)
    assert package.IMAPISessionVtbl.MessageOptions.offset == 13 * size
    assert package.IMAPISessionVtbl.QueryDefaultMessageOpt.offset == 14 * size
    assert package.IMAPIPropVtbl.GetIDsFromNames.offset == 13 * size
    assert ctypes.sizeof(package.IUnknownVtbl) == 3 * size


def test_out_parameters_are_returned_only_when_their_size_is_known() -> None:
    """An [out] integer or pointer is returned; into a structure the caller passes the buffer.

    IMAPIMessageSite::GetSiteStatus([out] LPULONG), IProviderAdmin::CreateProvider(..., [out]
    MAPIUID *lpUID), IABLogon::OpenTemplateID(..., [out] LPMAPIPROP lpMAPIPropSibling: an
    interface pointer passed by value, so an input whatever the page says), and enums passed
    as ints (IMSCapabilities::GetCapabilities(MSCAP_SELECTOR)).
    """
    package = importlib.import_module("mapi_bindings")

    def shape(cls: type, method: str) -> tuple[list[str], str]:
        signature = inspect.signature(getattr(cls, method))
        return [f"{p.name}: {p.annotation}" for p in signature.parameters.values()][1:], str(
            signature.return_annotation
        )

    assert shape(package.IMAPIMessageSiteClient, "GetSiteStatus") == ([], "int")
    assert shape(package.IProviderAdminClient, "CreateProvider")[0][-1] == "lpUID: Pointer"
    assert shape(package.IProviderAdminClient, "CreateProvider")[1] == "None"
    assert shape(package.IABLogonClient, "OpenTemplateID") == (
        [
            "cbTemplateID: int",
            "lpTemplateID: Pointer",
            "ulTemplateFlags: int",
            "lpMAPIPropData: IMAPIProp | None",
            "lpInterface: Pointer",
            "lpMAPIPropSibling: IMAPIProp | None",
        ],
        "IMAPIProp | None",
    )
    assert shape(package.IMSCapabilitiesClient, "GetCapabilities") == (["mscapSelector: int"], "int")
    stubs = importlib.import_module("mapi_bindings.stubs")
    assert stubs._IMSCapabilities_GetCapabilities._argtypes_ == (ctypes.c_void_p, ctypes.c_int32)
