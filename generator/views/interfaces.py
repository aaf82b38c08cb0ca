"""Views of interfaces, methods and parameters: their Python names, ctypes types, annotations,
how each parameter is passed and returned, and the flags its documentation lists."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from generator.ctypes_facts import INTEGER_CTYPES, TypeResolver
from generator.model import Direction, Interface, Method, Model, Param
from generator.views.names import py_name


class InKind(enum.Enum):
    """How an [in] parameter is passed from Python."""

    INTEGER = "integer"  # an int, passed as its integer ctypes type
    POINTER = "pointer"  # any Pointer (an address, a structure, byref()), passed as c_void_p
    INTERFACE = "interface"  # a Python object implementing the interface, or a client


class OutKind(enum.Enum):
    """How an [out] parameter reaches the caller."""

    INTEGER = "integer"  # the integer the callee wrote, as an int
    POINTER = "pointer"  # the pointer the callee wrote, as an int or None
    INTERFACE = "interface"  # the interface pointer the callee wrote, as a client or None


@dataclass(frozen=True, slots=True)
class FlagView:
    """A flag a parameter's documentation lists; ``value`` is None when no header defines it."""

    name: str
    value: int | None
    header: str

    @property
    def hex(self) -> str:
        """The value as the headers spell it (``0x00000010``), or ``""``."""
        if self.value is None:
            return ""
        return f"-{-self.value}" if self.value < 0 else f"0x{self.value:08X}"


@dataclass(frozen=True, slots=True)
class ParamView:
    """One parameter: C facts, Python facts, and how it crosses between them.

    ``in_kind`` is set for parameters passed in, ``out_kind`` for those a client
    returns; ``holder`` is the type a client allocates for an [out] value
    (``ctypes.c_uint32``, ``IMAPISessionClient``); ``interface`` the interface a
    pointer parameter points to, if any.
    """

    name: str
    c_name: str
    c_type: str
    direction: Direction
    ctypes_type: str
    annotation: str
    in_kind: InKind | None
    out_kind: OutKind | None
    holder: str
    interface: str
    flags: tuple[FlagView, ...]

    @property
    def out(self) -> bool:
        """Returned by the client rather than passed."""
        return self.out_kind is not None


@dataclass(frozen=True, slots=True)
class MethodView:
    """One method as a vtable slot: prototype, parameters, what a client returns."""

    interface: str
    py_interface: str
    name: str
    py_name: str
    proto: str
    slot: int
    restype: str
    argtypes: tuple[str, ...]
    params: tuple[ParamView, ...]
    ins: tuple[ParamView, ...]
    outs: tuple[ParamView, ...]
    return_annotation: str
    returns_hresult: bool
    void: bool
    returns_value: bool
    """No [out] parameter, and neither an HRESULT nor void: the client returns the integer result."""


@dataclass(frozen=True, slots=True)
class InterfaceView:
    """One interface: its Python names, its own methods and its full vtable."""

    name: str
    py_name: str
    base: str | None
    client: str
    base_client: str
    vtbl: str
    vtbl_base: str
    class_base: str
    iid_name: str
    iid: str
    iid_fields: tuple[int, int, int, tuple[int, ...]] | None
    chain_iids: tuple[str, ...]
    methods: tuple[MethodView, ...]
    slots: tuple[MethodView, ...]
    root_count: int
    root: bool


class InterfaceViews:
    """The views of a model's interfaces, computed once; methods are looked up by interface and name."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.types = TypeResolver.of(model)
        self._by_name: dict[str, InterfaceView] = {}
        for itf in model.interfaces:  # bases first: a derived vtable reuses its base's slot views
            self._by_name[itf.name] = self._interface(itf)
        self.interfaces = tuple(self._by_name.values())

    def interface(self, name: str) -> InterfaceView:
        """The view of the interface called ``name``."""
        return self._by_name[name]

    def _interface(self, itf: Interface) -> InterfaceView:
        model = self.model
        vtable = model.vtable(itf.name)
        root = itf.base is None
        own = len(vtable) - len(itf.methods)
        inherited = self._by_name[itf.base].slots if itf.base in self._by_name else ()
        if len(inherited) != own:
            inherited = tuple(self._method(slot.declared_by, slot.method, slot.index) for slot in vtable[:own])
        slots = inherited + tuple(self._method(slot.declared_by, slot.method, slot.index) for slot in vtable[own:])
        root_name = vtable[0].declared_by if vtable else itf.name
        return InterfaceView(
            name=itf.name,
            py_name=py_name(itf.name),
            base=itf.base,
            client=f"{itf.name}Client",
            base_client=f"{itf.base}Client" if itf.base else "ComClient",
            vtbl=f"{itf.name}Vtbl",
            vtbl_base=f"{itf.base}Vtbl" if itf.base else "ctypes.Structure",
            class_base=py_name(itf.base) if itf.base else "Servable",
            iid_name=f"IID_{itf.name}",
            iid=itf.iid.value if itf.iid else "",
            iid_fields=itf.iid.fields if itf.iid else None,
            chain_iids=tuple(f"IID_{i.name}" for i in model.chain(itf.name)),
            methods=slots[own:],
            slots=slots,
            root_count=len(model.interface(root_name).methods),
            root=root,
        )

    def _method(self, interface: str, method: Method, slot: int) -> MethodView:
        types = self.types
        params = tuple(self._param(p) for p in method.params)
        outs = tuple(p for p in params if p.out)
        returns_hresult = types.resolve(method.return_type).base in ("HRESULT", "SCODE")
        void = method.return_type.name == "void" and not method.return_type.pointers
        returns_value = not outs and not returns_hresult and method.return_type.name != "void"
        if outs:
            annotation = outs[0].annotation if len(outs) == 1 else f"tuple[{', '.join(p.annotation for p in outs)}]"
        else:
            annotation = "int" if returns_value else "None"
        return MethodView(
            interface=interface,
            py_interface=py_name(interface),
            name=method.name,
            py_name=py_name(method.name),
            proto=f"_{interface}_{method.name}",
            slot=slot,
            restype="None" if void else types.ctypes_type(method.return_type),
            argtypes=("ctypes.c_void_p", *(p.ctypes_type for p in params)),
            params=params,
            ins=tuple(p for p in params if not p.out),
            outs=outs,
            return_annotation=annotation,
            returns_hresult=returns_hresult,
            void=void,
            returns_value=returns_value,
        )

    def _param(self, param: Param) -> ParamView:
        types = self.types
        name = py_name(param.name)
        ctype = types.ctypes_type(param.type)
        resolved = types.resolve(param.type)
        pointee = types.out_pointee(resolved) if param.direction is Direction.OUT else None
        out_kind: OutKind | None = None
        in_kind: InKind | None = None
        holder = interface = ""
        if pointee is not None:
            if types.is_interface_pointer(pointee):
                out_kind, interface, holder = OutKind.INTERFACE, pointee.base, f"{pointee.base}Client"
                annotation = f"{py_name(pointee.base)} | None"
            elif pointee.pointers == 0 and pointee.base in INTEGER_CTYPES:
                out_kind, holder, annotation = OutKind.INTEGER, INTEGER_CTYPES[pointee.base], "int"
            else:
                out_kind, holder, annotation = OutKind.POINTER, "ctypes.c_void_p", "int | None"
        elif types.is_interface_pointer(resolved):
            in_kind, interface, annotation = InKind.INTERFACE, resolved.base, f"{py_name(resolved.base)} | None"
        elif ctype == "ctypes.c_void_p":
            in_kind, annotation = InKind.POINTER, "Pointer"
        else:
            in_kind, annotation = InKind.INTEGER, "int"
        return ParamView(
            name=name,
            c_name=param.name,
            c_type=str(param.type),
            direction=param.direction,
            ctypes_type=ctype,
            annotation=annotation,
            in_kind=in_kind,
            out_kind=out_kind,
            holder=holder,
            interface=interface,
            flags=tuple(FlagView(f.name, f.value, f.header) for f in param.flags),
        )
