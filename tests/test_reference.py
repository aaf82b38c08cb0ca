"""The whole reference: headers, pages and IDL together; the IDL round trip; the compiler's view."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from conftest import CORPUS_FOLDERS, SPECS, require_corpus, require_tool, tools_required

from generator.backends.idl import render_idl
from generator.backends.model_json import render_model_json
from generator.build import build_model
from generator.ctypes_facts import Resolved, TypeResolver
from generator.frontends.header import parse_headers
from generator.frontends.page import parse_page
from generator.model import AbiFile, CType, Model
from generator.sources import Sources

MINGW = Path("/usr/x86_64-w64-mingw32/include")
OUTLOOK = SPECS.parent.parent / "shared" / "outlook-headers"
MINGW_HEADERS = (
    "mapidefs.h", "mapix.h", "mapispi.h", "mapiform.h", "mapiutil.h", "mapihook.h", "tnef.h", "mapiguid.h", "mapicode.h",
)


def _require_headers(folder: Path, marker: str, missing: str) -> Path:
    """``folder`` when it holds ``marker``; else skip, or fail when tools are required."""
    if not (folder / marker).is_file():
        if tools_required():
            pytest.fail(missing)
        pytest.skip(missing)
    return folder


def require_microsoft_headers() -> Path:
    return _require_headers(OUTLOOK, "MAPIDefS.h", f"Microsoft's Outlook MAPI headers are not in {OUTLOOK}")


def require_mingw_headers() -> Path:
    missing = f"mingw-w64's MAPI headers are not installed in {MINGW} (apt-get install mingw-w64-x86-64-dev)"
    return _require_headers(MINGW, "mapidefs.h", missing)


@cache
def header_files() -> tuple[AbiFile, ...]:
    root = require_mingw_headers()
    return parse_headers([(name, (root / name).read_text(encoding="utf-8")) for name in MINGW_HEADERS])


def header_vtables() -> dict[str, list[str]]:
    """Every interface mingw declares: its full vtable, base slots first."""
    own = {i.name: i for f in header_files() for i in f.interfaces}
    tables: dict[str, list[str]] = {}
    for name in own:
        chain, current = [], own.get(name)
        while current is not None:
            chain.append([m.name for m in current.methods])
            current = own.get(current.base) if current.base else None
        tables[name] = ["QueryInterface", "AddRef", "Release"] + [m for part in reversed(chain) for m in part]
    return tables


@cache
def corpus_model(folder: str) -> Model:
    return build_model(Sources(SPECS, (require_corpus() / folder,), (require_mingw_headers(),), read_idl=False))


def abi_facts(model: Model) -> list[tuple[object, ...]]:
    return [
        (
            itf.name,
            itf.base,
            itf.iid,
            tuple(
                (m.name, str(m.return_type), tuple((p.name, str(p.type), p.direction, p.attributes) for p in m.params))
                for m in itf.methods
            ),
        )
        for itf in model.interfaces
    ]


def test_default_build_vtables_equal_mingw_headers(embedded_model: Model) -> None:
    model = embedded_model
    tables = header_vtables()
    assert len(tables) == 41
    for name, slots in tables.items():
        if name == "IUnknown":
            continue
        assert [s.method.name for s in model.vtable(name)] == slots, name


def test_static_asserts_compile_with_mingw(tmp_path: Path, embedded_model: Model) -> None:
    gcc = require_tool("x86_64-w64-mingw32-gcc")
    model = embedded_model
    lines = ["#define CINTERFACE", "#include <stddef.h>", "#include <windows.h>"]
    lines += [f"#include <{name}>" for name in MINGW_HEADERS if name not in ("mapiguid.h", "mapicode.h")]
    count = 0
    for name in sorted(header_vtables()):
        for slot in model.vtable(name):
            lines.append(
                f"_Static_assert(offsetof(struct {name}Vtbl, {slot.method.name}) == {slot.index} * sizeof(void *),"
                f' "{name}::{slot.method.name} is slot {slot.index}");'
            )
            count += 1
    source = tmp_path / "vtables.c"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = subprocess.run([gcc, "-c", str(source), "-o", str(tmp_path / "vtables.o")], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-4000:]
    assert count > 500


def test_a_wrong_slot_fails_to_compile(tmp_path: Path) -> None:
    """The check can fail: a deliberately wrong offset is rejected by the compiler."""
    gcc = require_tool("x86_64-w64-mingw32-gcc")
    source = tmp_path / "wrong.c"
    source.write_text(
        "#define CINTERFACE\n#include <stddef.h>\n#include <windows.h>\n#include <mapix.h>\n"
        "_Static_assert(offsetof(struct IMAPISessionVtbl, EnumAdrTypes) == 13 * sizeof(void *), \"wrong\");\n",
        encoding="utf-8",
    )
    result = subprocess.run([gcc, "-c", str(source), "-o", str(tmp_path / "wrong.o")], capture_output=True, text=True, check=False)
    assert result.returncode != 0 and "wrong" in result.stderr


def test_idl_round_trip(tmp_path: Path, embedded_model: Model) -> None:
    model = embedded_model
    files = render_idl(model)
    specs = tmp_path / "specs"
    shutil.copytree(SPECS / "pages", specs / "pages")
    (specs / "idl").mkdir()
    for name, text in files.items():
        (specs / "idl" / name).write_text(text, encoding="utf-8")
    again = build_model(Sources(specs))
    assert abi_facts(again) == abi_facts(model)
    assert render_idl(again) == files


def test_committed_idl_is_what_the_pages_and_headers_give() -> None:
    """Microsoft's headers first (they decide), then mingw-w64's for ITnef, which Microsoft's set lacks."""
    headers = (require_microsoft_headers(), require_mingw_headers())
    written = render_idl(build_model(Sources(SPECS, (require_corpus() / "en-US",), headers, read_idl=False)))
    committed = {p.name: p.read_text(encoding="utf-8") for p in (SPECS / "idl").glob("*.idl")}
    assert written == committed, (
        f"run: python -m generator idl --docs ../shared/docs/en-US --headers ../shared/outlook-headers --headers {MINGW}"
    )


@pytest.mark.parametrize("folder", CORPUS_FOLDERS)
def test_each_folder_with_headers(folder: str) -> None:
    model = corpus_model(folder)
    document = json.loads(render_model_json(model)["model.json"])
    documented = [i for i in document["interfaces"] if i["page"]]
    assert len(documented) == {"en-US": 67, "es-ES": 67}.get(folder, 65)
    header_only = sorted(i["name"] for i in document["interfaces"] if not i["page"])
    assert header_only == ["ISpoolerHook", "IUnknown"]
    sources = Counter(i["abi_source"] for i in document["interfaces"])
    assert sources["header"] == 41
    codes = Counter(d["code"] for d in document["diagnostics"])
    # The whole folder documents IProxyStoreObject::UnwrapNoRef, an interface with no page of its own.
    orphans = [d["file"] for d in document["diagnostics"] if d["code"] == "method-page-orphan"]
    assert orphans == [f"{folder}/iproxystoreobject-unwrapnoref.md"]
    assert codes["method-page-unattached"] == 0
    for name, slots in header_vtables().items():
        assert document_vtable(document, name) == slots


def document_vtable(document: dict[str, list[dict[str, object]]], name: str) -> list[str]:
    (entry,) = [i for i in document["interfaces"] if i["name"] == name]
    vtable = entry["vtable"]
    assert isinstance(vtable, list)
    return [str(v) for v in vtable]


# The reconciliation report: every interface whose page table disagrees with the header.
EXPECTED_FINDINGS = {
    ("IABProvider", "vtable-order", "Shutdown"),
    ("IDistList", "vtable-missing", "CopyEntries"),
    ("IDistList", "vtable-missing", "CreateEntry"),
    ("IDistList", "vtable-missing", "DeleteEntries"),
    ("IDistList", "vtable-missing", "ResolveNames"),
    ("IMAPIForm", "vtable-order", "GetLastError"),
    ("IMAPIFormContainer", "vtable-order", "GetLastError"),
    ("IMAPIFormFactory", "vtable-order", "GetLastError"),
    ("IMAPIFormMgr", "vtable-order", "GetLastError"),
    ("IMAPIMessageSite", "vtable-order", "GetLastError"),
    ("IMAPISupport", "vtable-missing", "Preprocess"),
    ("IMAPISupport", "vtable-missing", "UpdatePAB"),
    ("IMAPIViewContext", "vtable-order", "GetLastError"),
}


def findings(model: Model) -> set[tuple[str, str, str]]:
    found = set()
    for d in model.diagnostics:
        if d.code.startswith("vtable-") and d.code != "vtable-placeholder" or d.code == "base-mismatch":
            method = d.message.split(" lists ")[-1].split(" omits ")[-1].split()[0].rstrip(",")
            found.add((d.interface or "", d.code, method))
    return found


@pytest.mark.parametrize("folder", CORPUS_FOLDERS)
def test_report_pins_page_and_header_disagreements(folder: str) -> None:
    assert findings(corpus_model(folder)) == EXPECTED_FINDINGS


def test_with_the_embedded_idl_the_page_base_of_imsgserviceadmin2_is_a_finding_not_its_slots() -> None:
    """Microsoft's MAPIAux.h declares IMsgServiceAdmin2 on IUnknown, repeating IMsgServiceAdmin's methods."""
    model = build_model(Sources(SPECS, (require_corpus() / "en-US",)))
    assert findings(model) == EXPECTED_FINDINGS | {("IMsgServiceAdmin2", "base-mismatch", "page")}
    admin2 = model.interface("IMsgServiceAdmin2")
    assert [m.name for m in admin2.methods][-1] == "CreateMsgServiceEx" and len(admin2.methods) == 13
    assert not [p for m in admin2.methods for p in m.params if p.direction_assumed]  # from IMsgServiceAdmin's pages


def test_report_command_prints_the_table() -> None:
    corpus = require_corpus()
    result = subprocess.run(
        [sys.executable, "-m", "generator", "report", "--docs", str(corpus / "en-US"), "--headers", str(require_mingw_headers())],
        capture_output=True, text=True, check=False, cwd=SPECS.parent,
    )
    assert result.returncode == 0
    rows = [line for line in result.stdout.splitlines() if "vtable-missing" in line]
    assert any(line.startswith("IMAPISupport") and "imapisupportiunknown.md" in line and "Preprocess" in line for line in rows)


def test_iids_resolve_or_are_null_with_a_diagnostic() -> None:
    model = corpus_model("en-US")
    by_name = {i.name: i for i in model.interfaces}
    assert by_name["IAttach"].iid_symbol == "IID_IAttachment"
    assert by_name["IAttach"].iid is not None and by_name["IAttach"].iid.value == "{00020308-0000-0000-C000-000000000046}"
    assert by_name["IMAPISupport"].iid is not None and by_name["IMAPISupport"].iid.value == "{0002030F-0000-0000-C000-000000000046}"
    assert by_name["IConverterSession"].iid is not None
    assert by_name["IConverterSession"].iid.value == "{4B401570-B77B-11D0-9DA5-00C04FD65685}"
    assert by_name["IMAPIGetSession"].iid is not None
    assert by_name["IMAPIGetSession"].iid.value == "{614AB435-491D-4F5B-A8B4-60EB031030C6}"
    # From a code span in a note of imsgserviceadmin2-createmsgserviceex.md: DEFINE_OLEGUID(IID_IMsgServiceAdmin2,0x00020387, 0, 0);
    assert by_name["IMsgServiceAdmin2"].iid is not None
    assert by_name["IMsgServiceAdmin2"].iid.value == "{00020387-0000-0000-C000-000000000046}"
    unknown = sorted(i.name for i in model.interfaces if i.iid is None)
    assert unknown == [
        "IExchangeModifyTable", "IMAPIClientShutdown", "IMAPIInitMonitor", "IMAPIProviderShutdown", "IMAPIWaitResult",
    ]
    assert not [d for d in model.diagnostics if d.code == "guid-conflict"]
    flagged = {d.interface for d in model.diagnostics if d.code == "iid-unknown"}
    assert flagged == set(unknown)
    case = [d for d in model.diagnostics if d.code == "iid-symbol-case"]
    assert [(d.interface, d.loc.line if d.loc else 0) for d in case] == [("IMAPISecureMessage", 19)]


GUID_PAGE = """---
title: IFoo
---
# IFoo : IUnknown

Foo things.

|Property |Value |
|:-----|:-----|
|Interface identifier:  <br/> |IID_IFoo  <br/> |

> [!NOTE]
> Its IID: `#if defined(USES_IID_IFoo)`
> `DEFINE_OLEGUID(IID_IFoo, 0x00020399, 0, 0);` (the `DEFINE_GUID` macro comes from guiddef.h)

|Constant |Value |
|:-----|:-----|
|**Also** `DEFINE_GUID(IID_IBar, 0x12345678, 0x1234, 0x5678, 1, 2, 3, 4, 5, 6, 7, 8);` |x |
"""


def test_a_page_may_define_a_guid_in_a_code_span_and_other_values_are_reported(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "ifooiunknown.md").write_text(GUID_PAGE, encoding="utf-8")
    other = "# Other\n\nSee `DEFINE_OLEGUID(IID_IFoo, 0x00020400, 0, 0);`.\nWrite yours as `DEFINE_GUID(name, …)`.\n"
    (docs / "other.md").write_text(other, encoding="utf-8")
    model = build_model(Sources(None, (docs,)))  # a sketch of a definition in prose is a warning, not an error
    [foo] = [i for i in model.interfaces if i.name == "IFoo"]
    assert foo.iid is not None and foo.iid.value == "{00020399-0000-0000-C000-000000000046}"
    [conflict] = [d for d in model.diagnostics if d.code == "guid-conflict"]
    assert conflict.loc is not None and (conflict.loc.file, conflict.loc.line, conflict.loc.column) == ("docs/other.md", 3, 6)
    assert conflict.message == (
        "IID_IFoo is {00020400-0000-0000-C000-000000000046} here but {00020399-0000-0000-C000-000000000046} "
        "in docs/ifooiunknown.md; the first is used"
    )
    [sketch] = [d for d in model.diagnostics if d.code == "guid-unreadable"]
    assert sketch.loc is not None and (sketch.loc.file, sketch.loc.line) == ("docs/other.md", 4)
    assert sketch.message.startswith("a code span that starts a GUID definition cannot be read, so it is left out: ")
    page = parse_page("docs/ifooiunknown.md", GUID_PAGE)
    assert [(s.text.split(",")[0], s.first_line, s.first_column) for s in page.guid_spans] == [
        ("DEFINE_OLEGUID(IID_IFoo", 14, 4), ("DEFINE_GUID(IID_IBar", 18, 12),
    ]


def test_types_are_declared_by_headers_or_the_built_in_facts() -> None:
    """Struct and enum typedefs come from the headers, Windows and Outlook types from wintypes.idl."""
    model = corpus_model("en-US")
    unknown = [d.message.split()[3] for d in model.diagnostics if d.code == "type-unknown"]
    assert unknown == ["LPFNBUTTON"]  # a function pointer typedef, which the header grammar skips
    by_value = [(d.interface, d.message.split()[1]) for d in model.diagnostics if d.code == "out-by-value"]
    assert by_value == [("IABLogon", "lpMAPIPropSibling")]
    types = TypeResolver.of(model)
    assert types.resolve(CType("LPADRLIST")) == Resolved("struct _ADRLIST", 1)
    assert types.resolve(CType("MIMESAVETYPE")) == Resolved("int", 0)
    assert types.ctypes_type(CType("MSCAP_SELECTOR")) == "ctypes.c_int32"
    assert types.resolve(CType("REFCLSID")) == Resolved("struct _GUID", 1)


def test_findings_are_on_the_interface_doc_page() -> None:
    from generator.backends.site import render_site

    model = corpus_model("en-US")
    pages = render_site(model)
    support = pages["docs/en-US/IMAPISupport.html"]
    assert "vtable-missing" in support and "Preprocess" in support and "imapisupportiunknown.md:17" in support
    flagged = {d.interface for d in model.diagnostics}
    quiet = [i.name for i in model.interfaces if i.name not in flagged]
    assert quiet
    assert "The pages and the ABI sources agree" in pages[f"docs/en-US/{quiet[0]}.html"]
