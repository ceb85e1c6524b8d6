"""Flat-file (tab-separated) report documents as records, typed column by column.

Columns the spec declares are cast to their types (a value that does not cast is null, with
the line named); columns it does not know are kept, as text, in `extra_columns`. A report
without keys gets a `row_key` from the row's content and its repeat count, so that the same
row read again upserts instead of doubling.
"""

from __future__ import annotations

import hashlib
import typing as t
from collections import Counter
from collections.abc import Iterator

from tap_amazon_seller.casting import CastError, cast_string
from tap_amazon_seller.reports.documents import Document, iter_tsv
from tap_amazon_seller.reports.spec import ReportSpec, header_forms

if t.TYPE_CHECKING:
    from tap_amazon_seller.reports.reader import Problems

Builder = t.Callable[[dict[str, t.Any], list[str]], dict[str, t.Any]]


def tsv_records(
    document: Document, spec: ReportSpec, base: dict[str, t.Any], problems: Problems
) -> Iterator[dict[str, t.Any]]:
    declared = {name: column for column in spec.columns for name in column.header_names}
    marketplace_id = str(base["marketplace_id"])
    keyless = not spec.keys
    repeats_within = spec.repeats_within
    with document.open_text() as text:
        header, reader = iter_tsv(text)
        known = [
            declared.get(forms[0]) or declared.get(forms[1]) for forms in map(header_forms, header)
        ]
        names = [c.name if c else h for c, h in zip(known, header, strict=True)]
        casters = [c.caster_for(marketplace_id) if c else None for c in known]
        if spec.columns and header and not any(known):
            problems.logger.warning(
                "%s: none of its columns has a name stream %s knows (header %r); every value "
                "is kept, as text, in extra_columns.",
                problems.label,
                spec.stream,
                header[:8],
            )
        build = row_builder(names, casters)
        width = len(header)
        previous_digest, repeat = "", 0
        group: t.Any = None  # the current group of rows a key may repeat in (repeats_within)
        seen_in_group: Counter[tuple] = Counter()
        for values in reader:
            if not values or not any(values):
                continue
            if len(values) != width:
                problems(
                    reader.line_num,
                    f"{len(values)} columns where the header has {width}; "
                    "emitted with what could be read",
                )
                values = (values + [""] * width)[:width]
            joined = "\t".join(values)
            if "\ufffd" in joined:
                problems(reader.line_num, "undecodable bytes (shown as U+FFFD)")
            try:
                record = build(base, values)
            except CastError:
                record = _cell_by_cell(base, names, casters, values, reader.line_num, problems)
            if keyless:
                digest = hashlib.sha1(joined.encode("utf-8")).hexdigest()[:24]
                repeat = repeat + 1 if digest == previous_digest else 0
                previous_digest = digest
                record["row_key"] = f"{marketplace_id}:{digest}:{repeat}"
            elif repeats_within:
                # Only the current group's keys are held: memory stays flat in the file.
                if record.get(repeats_within) != group:
                    group, seen_in_group = record.get(repeats_within), Counter()
                key = tuple(record.get(k) for k in spec.keys)
                record["key_repeat"] = seen_in_group[key]
                seen_in_group[key] += 1
            yield record


def _cell_by_cell(
    base: dict[str, t.Any],
    names: list[str],
    casters: list[t.Callable[[str], t.Any] | None],
    values: list[str],
    line: int,
    problems: Problems,
) -> dict[str, t.Any]:
    """A row with a value that does not cast: that value null (and named), the rest kept."""
    record = dict(base)
    for name, caster, value in zip(names, casters, values, strict=True):
        if caster is not None:
            try:
                record[name] = caster(value)
            except CastError as exc:
                problems(line, f"{name}: {exc}; emitted as null", column=name)
                record[name] = None
    extras = {n: v for n, c, v in zip(names, casters, values, strict=True) if c is None}
    record["extra_columns"] = extras or None
    return record


def row_builder(names: list[str], casters: list[t.Callable[[str], t.Any] | None]) -> Builder:
    """A function turning one row into a record, generated for this header.

    Written as generated code because it runs once per row of documents that can hold
    millions: one dict display with every cell cast in place is about twice as fast as a
    loop over the columns. A CastError escapes; the caller then redoes the row cell by cell.
    """
    namespace: dict[str, t.Any] = {}
    fields = []
    extras = []
    for index, (name, caster) in enumerate(zip(names, casters, strict=True)):
        if caster is None:
            extras.append(f"{name!r}: values[{index}]")
        elif caster is cast_string:
            fields.append(f"{name!r}: values[{index}] or None")
        else:
            namespace[f"cast{index}"] = caster
            fields.append(f"{name!r}: cast{index}(values[{index}])")
    extra = f"{{{', '.join(extras)}}}" if extras else "None"
    source = (
        "def build(base, values):\n"
        f"    return {{**base, {', '.join(fields)}{', ' if fields else ''}'extra_columns': {extra}}}\n"
    )
    exec(source, namespace)  # names are repr()'d; no header text is executed
    return t.cast(Builder, namespace["build"])
