"""XML report documents read as a stream: one record element at a time, typed by its spec.

The document is decoded (the XML declaration's encoding, else the Content-Type's charset,
else UTF-8, as XML's own default) and parsed incrementally. Each record element is mapped
to a record by the `XmlRecords` of its ReportSpec, then removed from the tree together
with everything before it, so memory holds one record whatever the document's size.
Entity declarations and external references are refused (defusedxml): a "billion laughs"
document fails at once with an error naming the report instead of expanding in memory.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Callable, Iterator
from functools import cache, partial
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from tap_amazon_seller.casting import CastError
from tap_amazon_seller.reports.documents import Document, DocumentError, python_codec
from tap_amazon_seller.reports.spec import XmlField, XmlRecords

# The encoding named by the XML declaration, read from the document's first bytes (every
# charset Amazon uses keeps ASCII as ASCII, so the declaration reads the same in all).
_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")

#: Called with the record's position in the document and what was wrong with it.
Problem = Callable[[int, str], None]


def xml_codec(document: Document) -> str:
    """Python codec of an XML document: its declaration's, else the Content-Type's, else UTF-8."""
    with document.open_binary() as binary:
        head = binary.read(512).removeprefix(b"\xef\xbb\xbf")
    match = _DECLARATION.match(head)
    if match:
        return python_codec(match[1].decode("ascii"))
    if document.charset:
        return python_codec(document.charset)
    return "utf-8-sig"


def iter_xml_records(
    document: Document, records: XmlRecords, report: str, problem: Problem
) -> Iterator[dict[str, Any]]:
    """The records of an XML document, typed; a malformed or entity-laden document raises
    DocumentError naming `report`."""
    steps = records.record.split("/")
    record_depth = len(steps) + 1  # the root element is depth 1
    covered = _text_paths(records.fields)
    position = 0
    with document.open_binary() as binary:
        # errors="replace": an undecodable byte becomes U+FFFD and the record is reported.
        text = io.TextIOWrapper(binary, encoding=xml_codec(document), errors="replace")
        # Text (not bytes) is fed to the parser, so multi-byte charsets expat does not know
        # (Shift_JIS) read as well as the ones it does.
        events = iterparse(text, events=("start", "end"), forbid_dtd=False, forbid_entities=True)
        stack: list[Element] = []
        tags: list[str] = []
        try:
            for event, element in events:
                if event == "start":
                    element.tag = _local_name(element.tag)
                    if not stack and element.tag != records.root:
                        raise DocumentError(
                            f"{report}: the document's root element is <{element.tag}>, not "
                            f"<{records.root}>: it is not this report"
                        )
                    stack.append(element)
                    tags.append(element.tag)
                    continue
                depth = len(stack)
                if depth == record_depth and tags[1:] == steps:
                    position += 1
                    record = _object(element, records.fields, partial(problem, position))
                    record["extra_elements"] = _extras(element, covered) or None
                    yield record
                if 2 <= depth <= record_depth:
                    # Done with it: drop it (and all it holds) so the tree never grows.
                    stack[-2].remove(element)
                stack.pop()
                tags.pop()
        except DefusedXmlException as exc:
            raise DocumentError(
                f"{report}: the XML document declares entities or external references "
                f"({type(exc).__name__}); refused without expanding them"
            ) from None
        except ParseError as exc:
            raise DocumentError(
                f"{report}: the XML document is not well-formed ({exc}) after {position} records"
            ) from None


def _local_name(tag: Any) -> str:
    """A tag without its namespace ("{uri}Order" -> "Order"): paths name elements plainly."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else str(tag)


def _select(element: Element, path: str) -> tuple[list[Element], str | None]:
    """The elements a field's path names below `element`, and the attribute it reads."""
    steps = [step for step in path.split("/") if step not in ("", ".")]
    attribute = steps.pop()[1:] if steps and steps[-1].startswith("@") else None
    found = element.findall("/".join(steps)) if steps else [element]
    return found, attribute


def _object(element: Element, fields: tuple[XmlField, ...], problem: Callable[[str], None]) -> dict:
    record: dict[str, Any] = {}
    for xml_field in fields:
        found, attribute = _select(element, xml_field.path)
        if xml_field.fields:
            items = [_object(match, xml_field.fields, problem) for match in found]
            record[xml_field.name] = items if xml_field.repeated else (items[0] if items else None)
            continue
        texts = [match.get(attribute) if attribute else match.text for match in found]
        values = [_value(xml_field, (text or "").strip(), problem) for text in texts]
        if xml_field.repeated:
            record[xml_field.name] = [v for v in values if v is not None]
        else:
            record[xml_field.name] = values[0] if values else None
    return record


def _value(xml_field: XmlField, text: str, problem: Callable[[str], None]) -> Any:
    if "\ufffd" in text:
        problem(f"{xml_field.name}: undecodable bytes (shown as U+FFFD)")
    if xml_field.split is not None:
        parts = [part.strip() for part in text.split(xml_field.split)]
        return [part for part in parts if part] or None
    try:
        return xml_field.caster(text)
    except CastError as exc:
        problem(f"{xml_field.name}: {exc}; emitted as null")
        return None


@cache
def _text_paths(fields: tuple[XmlField, ...], prefix: str = "") -> frozenset[str]:
    """Paths (below the record) of the elements whose text the fields read."""
    paths: set[str] = set()
    for xml_field in fields:
        steps = [step for step in xml_field.path.split("/") if step not in ("", ".")]
        if steps and steps[-1].startswith("@"):
            continue  # reads an attribute, not the element's text
        path = "/".join(filter(None, [prefix, *steps]))
        if xml_field.fields:
            paths |= _text_paths(xml_field.fields, path)
        elif path:
            paths.add(path)
    return frozenset(paths)


def _extras(
    element: Element, covered: frozenset[str], tag_path: str = "", shown: str = ""
) -> dict[str, str]:
    """Text of the elements no field reads, by path below the record ([n] where a name
    repeats): an element Amazon adds is kept, never dropped silently or fatal."""
    extras: dict[str, str] = {}
    counts = Counter(child.tag for child in element)
    seen: Counter[str] = Counter()
    for child in element:
        seen[child.tag] += 1
        child_path = f"{tag_path}/{child.tag}" if tag_path else str(child.tag)
        label = f"{shown}/{child.tag}" if shown else str(child.tag)
        if counts[child.tag] > 1:
            label += f"[{seen[child.tag]}]"
        if len(child):
            extras.update(_extras(child, covered, child_path, label))
        elif child_path not in covered and (child.text or "").strip():
            extras[label] = (child.text or "").strip()
    return extras
