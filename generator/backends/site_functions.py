"""Doc-site back end, function part: a page per function and function type, and the Python values.

Files inside a language tree (beside the interface and data pages)::

    functions.html                  every function the headers declare (header, 32-bit export name)
                                    and function type; the documented functions no header declares
    function.<Name>.html, functype.<Name>.html
                                    one function or function type: C and Python signatures, header,
                                    64- and 32-bit export names, parameters with directions and
                                    their pages' text, return values, remarks
    python-values.html              the PT_ type → Python value table, and the restriction classes

Facts come from the model (functions merged with their pages), the views
stage's functions and values (``generator.views``: the same prototypes and
tables the Python back end generates the bindings from) and the ctypes facts
(export names); this module only arranges them for ``templates/site``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from generator.backends.render import render
from generator.backends.site_data import Chrome, Link, file_part
from generator.ctypes_facts import TypeResolver, x86_export_name
from generator.model import ENGLISH, AbiFunction, FunctionPage, Localized, Model, RichText
from generator.views import Views
from generator.views.functions import EntryPointView, PrototypeView

FUNCTIONS = "functions.html"
PYTHON_VALUES = "python-values.html"
FUNCTION_IDS = frozenset({"syntax", "python", "exports", "parameters", "return-value", "remarks"})

# What a property value of each kind becomes in Python (generator.views.values.PV_MEMBERS's kinds).
_PYTHON_TYPES = {
    "int": "int",
    "float": "float",
    "currency": "decimal.Decimal",
    "bool": "bool",
    "string8": "bytes",
    "unicode": "str",
    "systime": "datetime.datetime (UTC)",
    "clsid": "uuid.UUID",
    "binary": "bytes",
    "error": "PropError",
}


class TextOf(Protocol):
    """The prose renderer of one page (site.py's): reference text in the page's language, or a fallback."""

    def rich(self, text: Localized[RichText]) -> Any: ...


@dataclass(frozen=True, slots=True)
class FunctionWords:
    """The function pages' own words in one language."""

    functions: str
    functions_intro: str
    function: str
    function_type: str
    pointer_type: str
    header: str
    page_header: str
    exports: str
    win64: str
    win32: str
    not_exported: str
    undeclared: str
    undeclared_intro: str
    python_values: str
    python_values_intro: str
    property_type: str
    value: str
    python_value: str
    restrictions: str
    restriction_type: str
    python_class: str
    high_level: str
    no_page: str


_WORDS = {
    ENGLISH: FunctionWords(
        functions="Functions",
        functions_intro="The entry points a MAPI library exports and the function types, as the headers declare them.",
        function="Function",
        function_type="Function type",
        pointer_type="Pointer to a function type",
        header="Header",
        page_header="Header file (reference page)",
        exports="Export names",
        win64="64-bit Windows",
        win32="32-bit Windows",
        not_exported="A function type: a callback MAPI calls, not an export.",
        undeclared="Documented, declared by no header",
        undeclared_intro="These functions have a reference page but no header read declares them, so the bindings do not bind them.",
        python_values="Python values",
        python_values_intro="How a property value converts, by its PT_ type, in both directions (mapi_bindings.values).",
        property_type="Property type",
        value="Value",
        python_value="Python value",
        restrictions="Restrictions written in Python",
        restriction_type="Restriction type",
        python_class="Python class",
        high_level="The package's top-level {name} takes and returns Python values; this is the raw ctypes function.",
        no_page="No reference page documents it.",
    ),
    "es-ES": FunctionWords(
        functions="Funciones",
        functions_intro="Los puntos de entrada que exporta una biblioteca MAPI y los tipos de función, tal como los declaran los encabezados.",
        function="Función",
        function_type="Tipo de función",
        pointer_type="Puntero a un tipo de función",
        header="Encabezado",
        page_header="Archivo de encabezado (página de referencia)",
        exports="Nombres exportados",
        win64="Windows de 64 bits",
        win32="Windows de 32 bits",
        not_exported="Un tipo de función: una devolución de llamada que MAPI llama, no una exportación.",
        undeclared="Documentadas, sin declaración en ningún encabezado",
        undeclared_intro="Estas funciones tienen una página de referencia, pero ningún encabezado leído las declara, así que los enlaces no las incluyen.",
        python_values="Valores de Python",
        python_values_intro="Cómo se convierte el valor de una propiedad, según su tipo PT_, en ambos sentidos (mapi_bindings.values).",
        property_type="Tipo de propiedad",
        value="Valor",
        python_value="Valor de Python",
        restrictions="Restricciones escritas en Python",
        restriction_type="Tipo de restricción",
        python_class="Clase de Python",
        high_level="La función {name} del paquete toma y devuelve valores de Python; esta es la función de ctypes sin conversión.",
        no_page="Ninguna página de referencia la documenta.",
    ),
}


def function_words(language: str) -> FunctionWords:
    """The function pages' words in ``language`` (English when there are none)."""
    return _WORDS.get(language, _WORDS[ENGLISH])


def function_file(name: str, kind: str = "function") -> str:
    """The file of a function's page (``function.<Name>.html``), or of a function type's (``functype.<Name>.html``).

    Two prefixes, because a function and a function type may differ only in
    case (``ABProviderInit``, ``ABPROVIDERINIT``): one file system folder
    must hold both pages.
    """
    prefix = "function" if kind == "function" else "functype"
    return f"{prefix}.{file_part(name)}.html"


@dataclass(frozen=True, slots=True)
class FunctionRow:
    """A row of ``functions.html``."""

    name: str
    href: str
    kind: str
    header: str
    win32: str


@dataclass(frozen=True, slots=True)
class UndeclaredRow:
    """A documented function no header declares."""

    name: str
    page: str
    summary: Any


@dataclass(frozen=True, slots=True)
class FunctionParamRow:
    """A parameter of a function page."""

    name: str
    direction: str
    c_type: str
    ctypes_type: str
    doc: Any


@dataclass(frozen=True, slots=True)
class ReturnRow:
    """A documented return value."""

    code: str
    text: Any


@dataclass(frozen=True, slots=True)
class FunctionPageView:
    """Everything ``function.html.j2`` shows of one function."""

    name: str
    kind: str
    summary: Any
    c_signature: str
    python_signature: str
    high_level: str
    header: str
    page_header: str
    win64: str
    win32: str
    params: tuple[FunctionParamRow, ...]
    returns: tuple[ReturnRow, ...]
    remarks: Any
    source: str


@dataclass(frozen=True, slots=True)
class ValueRow:
    """A row of the Python value table."""

    name: str
    href: str
    value: str
    python: str


@dataclass(frozen=True, slots=True)
class RestrictionRow:
    """A restriction class: the ``RES_*`` constant and the class's signature."""

    name: str
    href: str
    signature: str


def c_signature(function: AbiFunction) -> str:
    """The C declaration, a parameter a line."""
    if not function.params:
        return f"{function.return_type} {function.name}(void);"
    params = ",\n".join(f"  {p.type} {p.name}" for p in function.params)
    return f"{function.return_type} {function.name}(\n{params}\n);"


class FunctionPages:
    """The function pages and the Python value page of one language tree."""

    def __init__(self, model: Model, views: Views, language: str, constants: dict[str, str]) -> None:
        self.model = model
        self.views = views
        self.language = language
        self.words = function_words(language)
        self.constants = constants
        self.types = TypeResolver.of(model)
        self.entry_points: dict[str, EntryPointView] = {e.name: e for e in views.functions.entry_points}
        self.prototypes: dict[str, PrototypeView] = {p.name: p for p in views.functions.prototypes}
        self.documented: dict[str, FunctionPage] = {p.name: p for p in model.function_pages}
        self.high_level = set(views.values.names)

    def links(self) -> tuple[Link, ...]:
        """The index's links to these pages."""
        words = self.words
        return (
            Link(f"{words.functions} ({len(self.model.functions)})", FUNCTIONS),
            Link(words.python_values, PYTHON_VALUES),
        )

    def page_files(self) -> dict[str, str]:
        """Reference page file name (``mapilogonex.md``) → the generated page, for links between pages."""
        declared = {f.name: f.kind for f in self.model.functions}
        return {
            path.rpartition("/")[2].lower(): function_file(page.name, declared[page.name])
            for page in self.model.function_pages
            if page.name in declared
            for path in page.pages
        }

    def files(self, chrome: Chrome, home: Any, text_of: Callable[[str], TextOf]) -> dict[str, str]:
        """Every function page, the list and the value table, by file name inside the tree."""
        words = self.words
        crumbs = (home,)
        inner = (*crumbs, Link(words.functions, FUNCTIONS))
        files: dict[str, str] = {}
        rows = []
        for function in sorted(self.model.functions, key=lambda f: f.name.lower()):
            file = function_file(function.name, function.kind)
            text = text_of(file)
            view = self.function_page(function, text)
            files[file] = render("site/function.html.j2", page=chrome(file, function.name, inner, text), words=words, f=view)
            rows.append(FunctionRow(function.name, file, view.kind, function.header, view.win32))
        undeclared = tuple(
            UndeclaredRow(p.name, p.pages[0] if p.pages else p.path, text_of(FUNCTIONS).rich(p.summary))
            for p in self.model.undeclared_functions
        )
        files[FUNCTIONS] = render(
            "site/functions.html.j2", page=chrome(FUNCTIONS, words.functions, crumbs, None), words=words,
            rows=tuple(rows), undeclared=undeclared,
        )
        files[PYTHON_VALUES] = render(
            "site/python-values.html.j2", page=chrome(PYTHON_VALUES, words.python_values, crumbs, None), words=words,
            rows=self.value_rows(), restrictions=self.restriction_rows(),
        )
        return files

    def function_page(self, function: AbiFunction, text: TextOf) -> FunctionPageView:
        words = self.words
        page = self.documented.get(function.name)
        docs = {d.name: d for d in page.params} if page else {}
        entry = self.entry_points.get(function.name)
        prototype = self.prototypes.get(function.name)
        argtypes = entry.argtypes if entry else _prototype_args(prototype)
        params = tuple(
            FunctionParamRow(
                name=p.name,
                direction=p.direction.value if p.direction else "",
                c_type=str(p.type),
                ctypes_type=argtypes[index] if index < len(argtypes) else "",
                doc=text.rich(docs[p.name].text) if p.name in docs else None,
            )
            for index, p in enumerate(function.params)
        )
        if entry is not None:
            args = "".join(f", {a}" for a in entry.argtypes)
            python = f'{entry.name} = runtime.function("{entry.export}", {entry.restype}{args})'
        elif prototype is not None:
            python = f"{prototype.name} = {prototype.value}"
        else:
            python = ""
        kind = {"function": words.function, "type": words.function_type, "pointer": words.pointer_type}[function.kind]
        exported = function.kind == "function"
        return FunctionPageView(
            name=function.name,
            kind=kind,
            summary=text.rich(page.summary) if page else None,
            c_signature=c_signature(function),
            python_signature=python,
            high_level=words.high_level.format(name=function.name) if function.name in self.high_level else "",
            header=function.header,
            page_header=(page.header_file or "") if page else "",
            win64=function.name if exported else "",
            win32=x86_export_name(function.name, tuple(p.type for p in function.params), self.types) if exported else "",
            params=params,
            returns=tuple(ReturnRow(r.code, text.rich(r.text)) for r in page.return_values) if page else (),
            remarks=text.rich(page.remarks) if page else None,
            source=", ".join(page.pages) if page else "",
        )

    def value_rows(self) -> tuple[ValueRow, ...]:
        rows = []
        for view in self.views.values.props:
            python = _PYTHON_TYPES[view.kind]
            rows.append(ValueRow(view.name, self.constants.get(view.name, ""), view.value, f"list[{python}]" if view.multi else python))
        return tuple(rows)

    def restriction_rows(self) -> tuple[RestrictionRow, ...]:
        return tuple(
            RestrictionRow(r.constant, self.constants.get(r.constant, ""), f"{r.class_name}({', '.join(r.args)})")
            for r in self.views.values.restrictions
        )

    def search_entries(self) -> list[list[str]]:
        """[name, kind, href, summary] for every function and function type."""
        return [
            [f.name, "function" if f.kind == "function" else "function type", function_file(f.name, f.kind), f"{f.return_type} ({f.header})"]
            for f in self.model.functions
        ]


def _prototype_args(prototype: PrototypeView | None) -> tuple[str, ...]:
    """The argument types of ``FUNCTYPE(restype, *argtypes)`` (an alias of another prototype has none of its own)."""
    if prototype is None or not prototype.value.startswith("FUNCTYPE("):
        return ()
    inner = prototype.value[len("FUNCTYPE(") : -1]
    parts = [p.strip() for p in inner.split(",")]
    return tuple(parts[1:])
