"""Where each member of a structure or union lies on 32-bit and 64-bit Windows.

Computed from the members' types as MSVC lays them out: every integer as wide
and as aligned as its Windows type (8-byte ones aligned to 8 on both
platforms), pointers and ``ULONG_PTR`` 4 bytes on Win32 and 8 on Win64, arrays
as their element, aggregates aligned to their widest member, members aligned
to at most the packing (``#pragma pack``/``pshpack``), sizes rounded up to the
alignment.
"""

from __future__ import annotations

from dataclasses import dataclass

# (size, alignment) of the ctypes types members map to; None: pointer-sized.
_SCALARS: dict[str, tuple[int, int] | None] = {
    "ctypes.c_char": (1, 1),
    "ctypes.c_uint8": (1, 1),
    "ctypes.c_int8": (1, 1),
    "ctypes.c_uint16": (2, 2),
    "ctypes.c_int16": (2, 2),
    "ctypes.c_uint32": (4, 4),
    "ctypes.c_int32": (4, 4),
    "ctypes.c_float": (4, 4),
    "ctypes.c_uint64": (8, 8),
    "ctypes.c_int64": (8, 8),
    "ctypes.c_double": (8, 8),
    "GUID": (16, 4),
    "ctypes.c_size_t": None,
    "ctypes.c_ssize_t": None,
    "ctypes.c_void_p": None,
    "ctypes.c_char_p": None,
    "WSTR": None,  # com.WSTR, a pointer to UTF-16 text
}


@dataclass(frozen=True, slots=True)
class Placement:
    """A member's byte offset and size on one platform."""

    offset: int
    size: int


@dataclass(frozen=True, slots=True)
class Layout:
    """An aggregate's size, alignment and its members' placements on one platform."""

    size: int
    align: int
    members: tuple[Placement, ...]


def scalar(ctype: str, pointer_size: int) -> tuple[int, int] | None:
    """(size, alignment) of a member's ctypes type that is not an aggregate, or None."""
    if ctype.startswith("ctypes.POINTER("):
        return pointer_size, pointer_size
    if ctype not in _SCALARS:
        return None
    found = _SCALARS[ctype]
    return found if found is not None else (pointer_size, pointer_size)


def lay_out(
    union: bool, members: list[tuple[int, int, int]], pack: int
) -> Layout:
    """The layout of an aggregate whose members are (element size, element alignment, count)."""
    offset = size = 0
    align = 1
    placements = []
    for element_size, element_align, count in members:
        member_align = min(element_align, pack) if pack else element_align
        align = max(align, member_align)
        member_size = element_size * count
        if union:
            placements.append(Placement(0, member_size))
            size = max(size, member_size)
            continue
        offset = -(-offset // member_align) * member_align
        placements.append(Placement(offset, member_size))
        offset += member_size
        size = offset
    return Layout(-(-size // align) * align, align, tuple(placements))
