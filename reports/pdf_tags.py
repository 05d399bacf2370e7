"""Corrections to WeasyPrint's tagged PDF that PDF/UA needs and WeasyPrint cannot make yet.

1. Running headers, footers and page numbers must be artifacts, not content a screen reader reads on
   every page. WeasyPrint marks the text of page-margin boxes as tagged content whose structure
   elements it leaves out of the tree: https://github.com/Kozea/WeasyPrint/issues/1836 (open; PDF 1.7
   offers no place for them in the tree). Here their marked content becomes /Artifact (pagination)
   and their structure elements are dropped. When WeasyPrint does this itself, delete step 1.
2. The contents is a list of links: WeasyPrint tags it as L / LI. Here it becomes TOC / TOCI, each
   entry's body a Reference.
3. Table header cells get /Scope (Column in the table head, Row in the body), which WeasyPrint leaves
   out (it links data cells to headers with /Headers only).
4. A link annotation's /Contents (its description for assistive technology) is, from WeasyPrint, the
   id it points at ("criterion-1-2"); here it becomes what is there and its page ("1.2 General
   Criterion: ASSESSMENT OF RISK OF HARM, page 16").

Everything is found from the PDF's own structure (elements unreachable from the tree; lists whose
every item is a link), never from positions on the page. Tested in tests/test_report_pdfua.py.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping

import pikepdf
from pikepdf import Array, Dictionary, Name


def fix_tags(pdf_bytes: bytes, *, link_titles: Mapping[str, str] | None = None) -> bytes:
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        tree = pdf.Root.get("/StructTreeRoot")
        if tree is None:
            return pdf_bytes
        page_numbers = {page.objgen: number for number, page in enumerate(pdf.pages, start=1)}
        reachable = {element.objgen for element in _elements(tree)}
        artifacts: dict[int, dict[int, Name]] = {}  # StructParents key -> MCID -> artifact type
        nums = tree.ParentTree.Nums
        parents = {int(nums[index]): nums[index + 1] for index in range(0, len(nums), 2)}
        for key, marks in parents.items():
            if not isinstance(marks, Array):
                continue
            for mcid, element in enumerate(marks):
                if isinstance(element, Dictionary) and element.objgen not in reachable:
                    artifacts.setdefault(key, {})[mcid] = Name.Pagination
        _scope_headers(tree)
        for toc in _tables_of_contents(tree):
            _mark_toc(toc)
        for key, marks in artifacts.items():
            for mcid in marks:  # artifacts belong to no structure element
                parents[key][mcid] = pikepdf.Object.parse(b"null")
        for page in pdf.pages:
            key = page.obj.get("/StructParents")
            if key is not None and int(key) in artifacts:
                _artifact_marks(page, artifacts[int(key)])
        _describe_links(pdf, link_titles or {}, page_numbers)
        out = io.BytesIO()
        # Streams compressed as WeasyPrint's were; objects in object streams keep the file small.
        pdf.save(out, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()


def _kids(element: Dictionary) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _elements(node: Dictionary) -> Iterator[Dictionary]:
    """Every structure element under node, depth first."""
    stack = list(reversed(_kids(node)))
    while stack:
        kid = stack.pop()
        if isinstance(kid, Dictionary) and "/S" in kid:
            yield kid
            stack.extend(reversed(_kids(kid)))


def _scope_headers(tree: Dictionary) -> None:
    for element in _elements(tree):
        if element.get("/S") != Name.TH:
            continue
        row = element.get("/P")
        group = row.get("/P") if isinstance(row, Dictionary) else None
        scope = Name.Column if isinstance(group, Dictionary) and group.get("/S") == Name.THead else Name.Row
        attributes = element.get("/A")
        if not isinstance(attributes, Dictionary):
            attributes = Dictionary(O=Name.Table)
            element.A = attributes
        attributes.Scope = scope


def _is_link(element: Dictionary) -> bool:
    return element.get("/S") == Name.Link


def _list_items(element: Dictionary) -> list[Dictionary]:
    return [kid for kid in _kids(element) if isinstance(kid, Dictionary) and kid.get("/S") == Name.LI]


def _tables_of_contents(tree: Dictionary) -> list[Dictionary]:
    """Outermost lists whose every item holds a link to a place in the document: the contents."""
    found = []
    for element in _elements(tree):
        if element.get("/S") != Name.L:
            continue
        # Items with content (a list broken over two pages can leave an empty item behind).
        items = [item for item in _list_items(element) if _kids(item)]
        if items and all(any(_is_link(e) for e in _elements(item)) for item in items):
            parent = element.get("/P")
            if not (isinstance(parent, Dictionary) and parent.get("/S") in (Name.L, Name.TOC)):
                found.append(element)
    return found


def _mark_toc(toc: Dictionary) -> None:
    """Retag a contents list, nested lists included, as TOC / TOCI, each entry's body a Reference."""
    toc.S = Name.TOC
    for element in _elements(toc):
        kind = element.get("/S")
        if kind == Name.L:
            element.S = Name.TOC
        elif kind == Name.LI:
            element.S = Name.TOCI
        elif kind == Name.LBody:
            element.S = Name.Reference


# How WeasyPrint (pydyf) writes the start of tagged content: "/Span", "<</MCID 12>>", "BDC" (one per line).
MARK = re.compile(rb"/[A-Za-z0-9]+\s*<</MCID (\d+)>>\s*BDC")


def _artifact_marks(page: pikepdf.Page, marks: Mapping[int, Name]) -> None:
    """Turn the marked-content sequences with these MCIDs into artifacts of the given type.

    A regular expression over the decoded stream rather than parse_content_stream: same result here
    (WeasyPrint writes each mark in this one form; the test checks no tagged mark is left behind) at a
    tenth of the cost.
    """
    contents = page.obj.Contents
    for stream in contents if isinstance(contents, Array) else [contents]:
        _artifact_stream(stream, marks)


def _artifact_stream(stream: pikepdf.Stream, marks: Mapping[int, Name]) -> None:
    data = stream.read_bytes()

    def artifact(match: re.Match) -> bytes:
        kind = marks.get(int(match.group(1)))
        if kind is None:
            return match.group(0)
        return b"/Artifact <</Type /Pagination>> BDC" if kind == Name.Pagination else b"/Artifact <</Type /Layout>> BDC"

    changed = MARK.sub(artifact, data)
    if changed != data:
        stream.write(changed)


def _describe_links(pdf: pikepdf.Pdf, titles: Mapping[str, str], page_numbers: Mapping[tuple, int]) -> None:
    """Give each internal link a description: where it goes and on which page."""
    destinations = _named_destinations(pdf)
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", []):
            if annotation.get("/Subtype") != Name.Link:
                continue
            annotation.F = 4  # printed like the page it is on (PDF/UA: readers get what print shows)
            if "/Dest" not in annotation:
                continue
            target = str(annotation.Dest) if isinstance(annotation.Dest, pikepdf.String) else ""
            page_ref = destinations.get(target)
            where = f", page {page_numbers[page_ref]}" if page_ref in page_numbers else ""
            title = titles.get(target) or "A place in this report"
            annotation.Contents = pikepdf.String(f"{title}{where}")


def _named_destinations(pdf: pikepdf.Pdf) -> dict[str, tuple]:
    names = pdf.Root.get("/Names")
    if names is None or "/Dests" not in names:
        return {}
    result = {}
    for name, destination in pikepdf.NameTree(names.Dests).items():
        if isinstance(destination, Array) and len(destination):
            result[str(name)] = destination[0].objgen
    return result
