"""Report engine benchmarks; prints figures, asserts nothing.

    python benchmarks/report_engine.py throughput [--mb 200]
    python benchmarks/report_engine.py memory [--gb 2]
    python benchmarks/report_engine.py sync [--time-scale 100] [--days 60]
    python benchmarks/report_engine.py sdk [--mb 50] [--runs 3]

throughput: rows/s of the tap's flat-file parse (gunzip, decode, TSV, typed cast, row key,
  then JSON) against a plain csv + json.dumps loop over the same gzip file, in one process.
memory: peak RSS of a child process parsing a generated document of --gb gigabytes.
sdk: RECORD messages a second through the path a sync runs (the reader, then singer-sdk's
  _sync_records: selection, message, writer, state) into a consumer process reading stdout:
  as shipped; with singer-sdk's defaults (its writer, its per-record conformance and
  selection walk); and the plain-loop floors (gunzip, decode, split, zip, json.dumps or
  msgspec). Each a whole process, --runs interleaved runs, medians, ratios and peak RSS.
sync: a full sync of every report stream against the simulator: createReport and
  getReportDocument calls against the minimum, and wall time (converted to Amazon time)
  against the rate-limit floor.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from contextlib import redirect_stdout
from datetime import UTC, datetime, timedelta
from pathlib import Path

HEADER = [
    "shipment-date",
    "sku",
    "fnsku",
    "asin",
    "fulfillment-center-id",
    "quantity",
    "amazon-order-id",
    "currency",
    "item-price-per-unit",
    "shipping-price",
    "gift-wrap-price",
    "ship-city",
    "ship-state",
    "ship-postal-code",
]


def make_document(path: Path, megabytes: float) -> int:
    """A gzip'd shipment-sales TSV of about `megabytes` (uncompressed); returns its row count."""
    rng = random.Random(7)
    cities = ["München", "Köln", "Besançon", "A Coruña", "Montréal", "Seattle"]
    target = int(megabytes * 1024 * 1024)
    written = rows = 0
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with gzip.open(path, "wt", encoding="latin-1", compresslevel=1, newline="") as out:
        out.write("\t".join(HEADER) + "\r\n")
        block: list[str] = []
        while written < target:
            moment = start + timedelta(seconds=rng.randrange(30_000_000))
            line = (
                "\t".join(
                    (
                        moment.isoformat(timespec="seconds"),
                        f"SKU-{rng.randrange(10**5):05d}",
                        f"X00{rng.randrange(16**7):07X}",
                        f"B0{rng.randrange(16**8):08X}",
                        "MUC3",
                        str(rng.randrange(1, 5)),
                        f"{rng.randrange(100, 999)}-{rng.randrange(10**7):07d}-{rng.randrange(10**7):07d}",
                        "EUR",
                        f"{rng.randrange(100, 99999) / 100:.2f}",
                        "0.00",
                        "0.00",
                        rng.choice(cities),
                        "",
                        f"{rng.randrange(10000, 99999)}",
                    )
                )
                + "\r\n"
            )
            block.append(line)
            written += len(line)
            rows += 1
            if len(block) == 10_000:
                out.write("".join(block))
                block.clear()
        out.write("".join(block))
    return rows


def shipment_sales_stream():  # type: ignore[no-untyped-def]
    """The tap's fba_customer_shipment_sales stream, as a sync builds it."""
    from tap_amazon_seller.streams.reports import ReportStream
    from tap_amazon_seller.tap import TapAmazonSeller

    tap = TapAmazonSeller(
        config={
            "refresh_token": "r",
            "lwa_client_id": "c",
            "lwa_client_secret": "s",
            "region": "eu",
        }
    )
    stream = tap.streams["fba_customer_shipment_sales"]
    assert isinstance(stream, ReportStream)
    return stream


def tap_rows(path: Path, stream=None):  # type: ignore[no-untyped-def]
    """The tap's own flat-file path for one document: the stream's record builder."""
    from tap_amazon_seller.reports import reader
    from tap_amazon_seller.reports.documents import Document
    from tap_amazon_seller.reports.engine import ReportJob

    stream = stream or shipment_sales_stream()
    document = Document(path, gzipped=True, encoding="iso-8859-1")
    job = ReportJob("GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_SALES_DATA", "eu", ("A1PA6795UKMFR9",))
    base = {"marketplace_id": "A1PA6795UKMFR9", "report_id": "1", "report_end_date": "x"}
    return reader.records(document, stream.spec, job, base, stream.logger, dict)


def throughput(megabytes: float) -> None:
    from tap_amazon_seller.singer_output import encode

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.tsv.gz"
        rows = make_document(path, megabytes)
        print(
            f"document: {megabytes:.0f} MB uncompressed, {path.stat().st_size / 2**20:.0f} MB gzip, {rows} rows"
        )

        started = time.perf_counter()
        count = 0
        with gzip.open(path, "rt", encoding="latin-1", newline="") as text:
            reader = csv.reader(text, delimiter="\t", quoting=csv.QUOTE_NONE)
            header = next(reader)
            for row in reader:
                json.dumps(dict(zip(header, row, strict=False)))
                count += 1
        baseline = count / (time.perf_counter() - started)

        started = time.perf_counter()
        count = 0
        for record in tap_rows(path):
            json.dumps(record, default=str)
            count += 1
        like_for_like = count / (time.perf_counter() - started)

        started = time.perf_counter()
        count = 0
        for record in tap_rows(path):
            encode(record)  # the encoder the tap writes RECORD messages with
            count += 1
        with_tap_encoder = count / (time.perf_counter() - started)
    print(f"plain csv + json.dumps: {baseline:,.0f} rows/s")
    print(
        f"tap parse (typed, keyed) + json.dumps: {like_for_like:,.0f} rows/s "
        f"= {like_for_like / baseline:.2f}x the plain loop"
    )
    print(
        f"tap parse + the tap's encoder (msgspec): {with_tap_encoder:,.0f} rows/s "
        f"= {with_tap_encoder / baseline:.2f}x (a parse figure: the whole sync path is `sdk`)"
    )


#: The paths `sdk` times, each in its own process writing to a consumer process.
SDK_PATHS = (
    "as shipped",
    "singer-sdk defaults",  # its writer, per-record conformance and selection walk
    "plain loop + json.dumps",
    "plain loop + msgspec",
)
#: Counts the lines it reads from stdin: the consumer of every path's output.
CONSUMER = "import sys; print(sum(1 for _ in sys.stdin.buffer))"


def sdk(megabytes: float, runs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.tsv.gz"
        rows = make_document(path, megabytes)
        print(f"document: {megabytes:.0f} MB uncompressed, {rows} rows; {runs} runs each")
        rates: dict[str, list[float]] = {mode: [] for mode in SDK_PATHS}
        peaks: dict[str, list[float]] = {mode: [] for mode in SDK_PATHS}
        for _ in range(runs):
            for mode in SDK_PATHS:
                child = subprocess.Popen(
                    [sys.executable, __file__, "_sdk", str(path), mode],
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                consumer = subprocess.run(
                    [sys.executable, "-c", CONSUMER],
                    stdin=child.stdout,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                _, err = child.communicate()
                if child.returncode:
                    raise SystemExit(f"{mode}: exit {child.returncode}: {err}")
                assert child.stdout is not None
                child.stdout.close()
                rate, peak = err.strip().splitlines()[-1].split()
                lines = int(consumer.stdout)
                assert lines >= rows, f"{mode}: the consumer read {lines} lines for {rows} rows"
                rates[mode].append(float(rate))
                peaks[mode].append(float(peak))
    medians = {mode: sorted(values)[len(values) // 2] for mode, values in rates.items()}
    for mode, median in medians.items():
        print(
            f"{mode}: {median:,.0f} records/s, peak RSS {max(peaks[mode]):.0f} MiB "
            f"(runs: {', '.join(f'{r:,.0f}' for r in rates[mode])})"
        )
    shipped = medians["as shipped"]
    print(f"as shipped / singer-sdk defaults = {shipped / medians['singer-sdk defaults']:.2f}x")
    print(f"as shipped / plain loop + msgspec = {shipped / medians['plain loop + msgspec']:.2f}x")


def _sdk(path: str, mode: str) -> None:
    started = time.perf_counter()
    if mode.startswith("plain loop"):
        count = _plain_loop(Path(path), mode.endswith("msgspec"))
    else:
        count = _through_the_stream(Path(path), mode == "singer-sdk defaults")
    sys.stdout.flush()
    rate = count / (time.perf_counter() - started)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(rate, peak, file=sys.stderr)


def _through_the_stream(path: Path, sdk_defaults: bool) -> int:
    """RECORD messages written by the path a sync runs: the stream's records through
    singer-sdk's _sync_records (selection, message, writer, state)."""
    from singer_sdk.helpers.conform import TypeConformanceLevel
    from singer_sdk.singerlib.encoding import SimpleSingerWriter

    stream = shipment_sales_stream()
    if sdk_defaults:
        stream.TYPE_CONFORMANCE_LEVEL = TypeConformanceLevel.RECURSIVE
        stream._deselects_properties = True  # singer-sdk's per-record selection walk
        writer = SimpleSingerWriter()
        stream._tap.message_writer = writer
        stream._tap._state_writer._message_writer = writer
    records = tap_rows(path, stream)
    stream.get_records = lambda context: records
    context = {"marketplace_id": "A1PA6795UKMFR9", "region": "eu"}
    return sum(1 for _ in stream._sync_records(context=context))


def _plain_loop(path: Path, with_msgspec: bool) -> int:
    """The floor: gunzip, decode, split, zip with the header, encode, write."""
    import msgspec

    encode = msgspec.json.encode if with_msgspec else (lambda row: json.dumps(row).encode())
    out = sys.stdout.buffer
    count = 0
    with gzip.open(path, "rt", encoding="latin-1", newline="") as text:
        header = next(text).rstrip("\r\n").split("\t")
        for line in text:
            out.write(encode(dict(zip(header, line.rstrip("\r\n").split("\t"), strict=False))))
            out.write(b"\n")
            count += 1
    return count


def memory(gigabytes: float) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.tsv.gz"
        started = time.perf_counter()
        rows = make_document(path, gigabytes * 1024)
        print(
            f"generated {gigabytes:g} GB ({rows} rows, {path.stat().st_size / 2**20:.0f} MB gzip) "
            f"in {time.perf_counter() - started:.0f} s"
        )
        child = subprocess.run(
            [sys.executable, __file__, "_parse", str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
        print(child.stdout.strip())


def _parse(path: str) -> None:
    from tap_amazon_seller.reports.documents import verify_gzip

    started = time.perf_counter()
    verify_gzip(Path(path))  # what the engine does before parsing
    count = sum(1 for _ in tap_rows(Path(path)))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"parsed {count} rows in {time.perf_counter() - started:.0f} s; peak RSS {peak_mb:.0f} MB"
    )


def sync(time_scale: float, days: int) -> None:
    from sp_api_simulator import Simulator, SimulatorConfig
    from tap_amazon_seller.rate_limits import operation
    from tap_amazon_seller.reports.registry import REPORT_SPECS
    from tap_amazon_seller.tap import TapAmazonSeller

    sim = Simulator(SimulatorConfig(time_scale=time_scale))
    sim.start()
    from tap_amazon_seller import clock

    start = (clock.now() - timedelta(days=days)).replace(hour=0, minute=0, second=0, microsecond=0)
    config = sim.tap_config(marketplaces=["US", "DE"], start_date=start.isoformat())
    tap = TapAmazonSeller(config=config)
    for name, stream in tap.streams.items():
        stream.selected = name in {s.stream for s in REPORT_SPECS}
    started = time.perf_counter()
    with redirect_stdout(io.StringIO()) as output:
        tap.sync_all()
    wall = (time.perf_counter() - started) * time_scale
    records = sum(1 for line in output.getvalue().splitlines() if '"type":"RECORD"' in line)
    engine = tap.report_engine()
    created = sim.calls["reports_2021-06-30.createReport"]
    documents = sim.calls["reports_2021-06-30.getReportDocument"]
    listed = sim.calls["reports_2021-06-30.getReports"]
    jobs = list(engine._jobs.values())
    create_op = operation("reports_2021-06-30.createReport")
    document_op = operation("reports_2021-06-30.getReportDocument")

    def floor_of(count: int, op) -> float:  # type: ignore[no-untyped-def]
        return max(0, count - op.burst) / op.rate

    # Amazon meters each region separately; the slowest region sets the floor: its last
    # report cannot be requested before its createReport bucket allows, nor be ready before
    # report_seconds after that, nor its last document be fetched before getReportDocument allows.
    floors = {}
    requested = [
        j
        for j in jobs
        if not j.reused
        and j.submitted_at is not None
        and j.status != "PLANNED"
        and j.report_type != "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2"
    ]
    done = [j for j in jobs if j.status == "DONE"]
    for region in {j.region for j in jobs}:
        made = sum(1 for j in requested if j.region == region)
        fetched = sum(1 for j in done if j.region == region)
        floors[region] = max(
            floor_of(made, create_op) + sim.config.report_seconds, floor_of(fetched, document_op)
        )
    floor = max(floors.values())
    print(
        f"{records} records from {len(requested)} requested reports and "
        f"{sum(1 for j in done if j.report_type.startswith('GET_V2_SETTLEMENT'))} listed settlement reports ({listed} getReports calls)"
    )
    print(f"createReport: {created} calls, minimum {len(requested)} (one per distinct report)")
    print(f"getReportDocument: {documents} calls, minimum {len(done)} (one per DONE report)")
    print(
        f"wall time in Amazon time: {wall / 60:.1f} min; rate-limit floor {floor / 60:.1f} min "
        f"(per region: {', '.join(f'{r} {v / 60:.1f}' for r, v in sorted(floors.items()))}) "
        f"-> {wall / floor:.2f}x the floor"
    )
    print(f"engine stats: {dict(engine.stats)}")
    sim.stop()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("throughput").add_argument("--mb", type=float, default=200)
    sub.add_parser("memory").add_argument("--gb", type=float, default=2)
    p = sub.add_parser("sync")
    p.add_argument("--time-scale", type=float, default=100)
    p.add_argument("--days", type=int, default=60)
    sub.add_parser("_parse").add_argument("path")
    p = sub.add_parser("sdk")
    p.add_argument("--mb", type=float, default=50)
    p.add_argument("--runs", type=int, default=3)
    p = sub.add_parser("_sdk")
    p.add_argument("path")
    p.add_argument("mode")
    args = parser.parse_args()
    os.environ.setdefault("LOGLEVEL", "WARNING")
    if args.command == "throughput":
        throughput(args.mb)
    elif args.command == "memory":
        memory(args.gb)
    elif args.command == "sync":
        sync(args.time_scale, args.days)
    elif args.command == "sdk":
        sdk(args.mb, args.runs)
    elif args.command == "_sdk":
        _sdk(args.path, args.mode)
    else:
        _parse(args.path)


if __name__ == "__main__":
    main()
