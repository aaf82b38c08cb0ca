"""What C types MAPI uses mean to ctypes: sizes as on Windows, typedefs followed.

Shared by the merge step (which reports types no source declares) and the
Python back end (which maps every parameter to a ctypes type).
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.model import CType, Model, Typedef

# MAPI's integer types, as wide as on Windows whatever the host's C long is.
INTEGER_CTYPES = {
    "ULONG": "ctypes.c_uint32",
    "DWORD": "ctypes.c_uint32",
    "UINT": "ctypes.c_uint32",
    "LONG": "ctypes.c_int32",
    "INT": "ctypes.c_int32",
    "int": "ctypes.c_int32",
    "BOOL": "ctypes.c_int32",
    "HRESULT": "ctypes.c_int32",
    "SCODE": "ctypes.c_int32",
    "WORD": "ctypes.c_uint16",
    "USHORT": "ctypes.c_uint16",
    "SHORT": "ctypes.c_int16",
    "BYTE": "ctypes.c_uint8",
    "BOOLEAN": "ctypes.c_uint8",
    "ULONG_PTR": "ctypes.c_size_t",
    "DWORD_PTR": "ctypes.c_size_t",
    "UINT_PTR": "ctypes.c_size_t",
    "WPARAM": "ctypes.c_size_t",
    "LONG_PTR": "ctypes.c_ssize_t",
    "LPARAM": "ctypes.c_ssize_t",
    "ULONGLONG": "ctypes.c_uint64",
    "LONGLONG": "ctypes.c_int64",
}


# Windows and C types that structure members hold by value and no MAPI header
# declares, as ctypes types of the Windows x64 size and alignment (WCHAR is
# 2 bytes there, not the host's wchar_t; CY and LARGE_INTEGER are unions of
# 8 bytes aligned to 8, laid out as one 64-bit integer).
WINDOWS_VALUE_CTYPES = {
    "char": "ctypes.c_char",
    "CHAR": "ctypes.c_char",
    "unsigned char": "ctypes.c_uint8",
    "short": "ctypes.c_int16",
    "short int": "ctypes.c_int16",
    "signed short": "ctypes.c_int16",
    "unsigned short": "ctypes.c_uint16",
    "unsigned short int": "ctypes.c_uint16",
    "unsigned int": "ctypes.c_uint32",
    "unsigned": "ctypes.c_uint32",
    "long": "ctypes.c_int32",
    "unsigned long": "ctypes.c_uint32",
    "float": "ctypes.c_float",
    "double": "ctypes.c_double",
    "WCHAR": "ctypes.c_uint16",
    "TCHAR": "ctypes.c_uint16",
    "LCID": "ctypes.c_uint32",
    "LANGID": "ctypes.c_uint16",
    "LARGE_INTEGER": "ctypes.c_int64",
    "ULARGE_INTEGER": "ctypes.c_uint64",
    "CY": "ctypes.c_int64",
    "CURRENCY": "ctypes.c_int64",
    "union tagCY": "ctypes.c_int64",
    "union _LARGE_INTEGER": "ctypes.c_int64",
    "union _ULARGE_INTEGER": "ctypes.c_uint64",
    "struct _GUID": "GUID",
    "__LONG32": "ctypes.c_int32",  # mingw-w64's spelling of LONG and ULONG
    "unsigned __LONG32": "ctypes.c_uint32",
}

# Pointer types of windows.h that MAPI structures hold (a pointer whatever they point to);
# wide strings are com.WSTR: UTF-16, where ctypes.c_wchar_p is the host's wchar_t (4 bytes on Linux).
WINDOWS_POINTER_CTYPES = {
    "LPSTR": "ctypes.c_char_p",
    "LPCSTR": "ctypes.c_char_p",
    "LPWSTR": "WSTR",
    "LPCWSTR": "WSTR",
    "LPTSTR": "WSTR",
    "LPCTSTR": "WSTR",
    **{name: "ctypes.c_void_p" for name in ("LPVOID", "PVOID", "LPCVOID", "HWND", "HANDLE", "HINSTANCE", "HICON", "HMENU", "HDC", "HBITMAP", "HKEY", "HGLOBAL")},
}


@dataclass(frozen=True, slots=True)
class Resolved:
    """A C type after following typedefs: what it finally names, and how many pointers deep."""

    base: str
    pointers: int


class TypeResolver:
    """Follows a model's typedefs to integers, interface pointers and other pointers."""

    def __init__(self, typedefs: tuple[Typedef, ...], interfaces: set[str]) -> None:
        self.typedefs = {t.name: t for t in typedefs}
        self.interfaces = interfaces

    @classmethod
    def of(cls, model: Model) -> TypeResolver:
        """The resolver for ``model``."""
        return cls(model.typedefs, {i.name for i in model.interfaces})

    def resolve(self, ctype: CType) -> Resolved:
        """Follow typedefs until an integer type, an interface, or an undeclared name.

        An enum is an ``int``, as the Windows compilers lay it out.
        """
        name, pointers, seen = ctype.name, ctype.pointers, set()
        while name in self.typedefs and name not in seen and name not in INTEGER_CTYPES:
            seen.add(name)
            target = self.typedefs[name].type
            name, pointers = target.name, pointers + target.pointers
        return Resolved("int" if name.startswith("enum ") else name, pointers)

    def is_interface_pointer(self, resolved: Resolved) -> bool:
        """One pointer to an interface the model knows."""
        return resolved.pointers == 1 and resolved.base in self.interfaces

    def ctypes_type(self, ctype: CType) -> str:
        """The ctypes type a parameter of this type is passed as."""
        resolved = self.resolve(ctype)
        if resolved.pointers == 0:
            return INTEGER_CTYPES.get(resolved.base, "ctypes.c_void_p")
        return "ctypes.c_void_p"

    def is_unknown_value(self, ctype: CType) -> bool:
        """Passed by value, yet neither an integer type nor void: its size is a guess."""
        resolved = self.resolve(ctype)
        return resolved.pointers == 0 and resolved.base not in INTEGER_CTYPES and resolved.base != "void"

    def out_pointee(self, resolved: Resolved) -> Resolved | None:
        """What an [out] parameter of this type points to, when a wrapper can hold it; else None.

        Only an integer or a pointer: its size is known.  Into anything else
        (a structure such as an [out] MAPIUID *, a type no source declares,
        an interface object) the callee writes what the wrapper cannot size,
        so the caller passes the buffer.
        """
        pointee = Resolved(resolved.base, resolved.pointers - 1)
        holdable = resolved.pointers >= 1 and (pointee.pointers >= 1 or pointee.base in INTEGER_CTYPES)
        return pointee if holdable else None


# Arguments wider than 4 bytes in a 32-bit Windows process (by value); every other argument
# (pointers, ULONG_PTR, the 32-bit and smaller integers) takes 4 bytes on the stack there.
_X86_WIDE_ARGUMENTS = {"ULONGLONG": 8, "LONGLONG": 8, "double": 8, "LARGE_INTEGER": 8, "ULARGE_INTEGER": 8, "CY": 8, "CURRENCY": 8, "union tagCY": 8, "union _LARGE_INTEGER": 8, "union _ULARGE_INTEGER": 8, "struct _FILETIME": 8, "FILETIME": 8}


def x86_export_name(name: str, params: tuple[CType, ...], types: TypeResolver) -> str:
    """The 32-bit Windows export name of a stdcall function: ``name@bytes``, each argument rounded up to 4.

    The rule of ``runtime.decorated_name``, with the sizes of a 32-bit process
    (``HrQueryAllRows@24``: six pointers and integers).
    """
    total = 0
    for ctype in params:
        resolved = types.resolve(ctype)
        total += 4 if resolved.pointers else _X86_WIDE_ARGUMENTS.get(resolved.base, 4)
    return f"{name}@{total}"
