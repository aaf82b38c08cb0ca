"""Function pages + the headers' functions → directions, one page record per function, findings.

The headers decide a function's ABI (``data_merge.merge_functions``); its
pages (one per docs folder) give each parameter's direction where no header
states one, and the prose.  A function's page is the one whose title is its
name (the case may differ: ``ABProviderInit`` documents ``ABPROVIDERINIT``).
The pages of several folders merge into one record, the first folder's
structure with every folder's prose.

Findings, as for methods:

* ``function-undeclared``: a documented function no header declares (not
  bound; the list is ``Model.undeclared_functions``);
* ``function-params``: the page's syntax block has another parameter count
  than the header;
* ``param-name``: the page names a parameter otherwise than the header (the
  page's entry at its place is used);
* ``page-type``: the syntax block types a parameter as an integer of another
  width or signedness than the header;
* ``direction-mismatch``: a header comment and the page give other directions
  (the header wins).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

from generator.ctypes_facts import TypeResolver
from generator.model import (
    AbiFunction,
    AbiParam,
    Diagnostic,
    FunctionPage,
    MethodPage,
    ParamDoc,
    Severity,
)
from generator.type_findings import page_type_mismatches

_DocPage = TypeVar("_DocPage", MethodPage, FunctionPage)


def merge_page_prose(first: _DocPage, other: _DocPage) -> _DocPage:
    """``first`` with ``other``'s prose added (another folder's page of the same method or function)."""
    others = {p.name: p for p in other.params}
    params = tuple(
        replace(p, text=p.text.merged(others[p.name].text)) if p.name in others else p
        for p in first.params
    )
    codes = {r.code: r for r in other.return_values}
    values = tuple(
        replace(r, text=r.text.merged(codes[r.code].text)) if r.code in codes else r
        for r in first.return_values
    )
    return replace(
        first,
        summary=first.summary.merged(other.summary),
        remarks=first.remarks.merged(other.remarks),
        params=params,
        return_values=values,
    )


def merge_function_pages(
    pages: list[FunctionPage], functions: tuple[AbiFunction, ...], types: TypeResolver, types_of: dict[str, TypeResolver]
) -> tuple[tuple[AbiFunction, ...], tuple[FunctionPage, ...], tuple[Diagnostic, ...]]:
    """(the functions with the pages' directions, one page record per documented function by name, findings)."""
    declared = {f.name: f for f in functions}
    by_case = {f.name.lower(): f.name for f in functions}
    merged: dict[str, FunctionPage] = {}
    for page in pages:
        name = page.name if page.name in declared else by_case.get(page.name.lower(), page.name)
        known = merged.get(name)
        if known is None:
            merged[name] = replace(page, name=name, pages=(page.path,))
        else:
            merged[name] = replace(merge_page_prose(known, page), pages=(*known.pages, page.path))
    findings: list[Diagnostic] = []
    result: list[AbiFunction] = []
    for function in functions:
        documented = merged.get(function.name)
        if documented is None:
            result.append(function)
            continue
        params = tuple(_param(function, index, param, documented, findings) for index, param in enumerate(function.params))
        if documented.syntax and len(documented.syntax) != len(function.params):
            message = (
                f"{function.name} has {len(documented.syntax)} parameter(s) in the page's syntax block"
                f" and {len(function.params)} in {function.loc.file}; {function.loc.file} wins"
            )
            findings.append(Diagnostic(Severity.WARNING, "function-params", message, documented.syntax[0].loc))
        folder = function.loc.file.rpartition("/")[0]
        findings += page_type_mismatches("", function, function.loc.file, documented, (types, types_of.get(folder, types)))
        result.append(replace(function, params=params))
    for undeclared in merged.values():
        if undeclared.name not in declared:
            message = f"{undeclared.name} is documented, but no header declares it: it is not bound"
            findings.append(Diagnostic(Severity.WARNING, "function-undeclared", message, undeclared.loc))
    return tuple(result), tuple(sorted(merged.values(), key=lambda p: p.name)), tuple(findings)


def _param(function: AbiFunction, index: int, param: AbiParam, page: FunctionPage, findings: list[Diagnostic]) -> AbiParam:
    """``param`` with the direction its page entry gives (found by name, else at its place)."""
    docs = {d.name: d for d in page.params}
    doc: ParamDoc | None = docs.get(param.name)
    if doc is None and index < len(page.params) and len(page.params) == len(function.params):
        doc = page.params[index]
        message = f"{function.name} parameter {index + 1} is {param.name} in {function.loc.file} and {doc.name} on the page"
        findings.append(Diagnostic(Severity.NOTE, "param-name", message, doc.loc))
    if doc is None or doc.direction is None:
        return param
    if param.direction is None:
        return replace(param, direction=doc.direction)
    if param.direction != doc.direction:
        message = (
            f"{function.name} parameter {param.name} is [{param.direction.value}] in {function.loc.file}"
            f" and [{doc.direction.value}] on the page; {function.loc.file} wins"
        )
        findings.append(Diagnostic(Severity.WARNING, "direction-mismatch", message, doc.loc))
    return param
