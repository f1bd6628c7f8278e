"""Batch signing: 500 signed short forms against the same 500 unsigned, in one run.

    .venv/bin/python benchmarks/bench_signing.py [--count 500] [--workers N] [--baseline 30]

Prints a Markdown table: documents per second unsigned and signed (batch export with
the worker pool: key loaded once per worker, fonts registered once, reserved signature
size, cached private key), the ratio signed/unsigned, a plain pyHanko baseline (load
the .p12 and sign with ``signers.sign_pdf`` per document, one core), and the peak
memory: the sum of the peak RSS of the main process and of every worker.
Targets: >= 60 signed documents/s on 2 cores, signed/unsigned <= 3x, memory <= 400 MB.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import scratch_key  # noqa: F401,E402 - a fixed scratch key for the synthetic databases
from kinerja_desktop.reports import certs  # noqa: E402
from kinerja_desktop.reports.batch import BatchItem, batch_filename, export_batch  # noqa: E402
from kinerja_desktop.reports.samples import PEJABAT, sample_short_form  # noqa: E402
from kinerja_desktop.reports.verify import verify_pdf  # noqa: E402
from kinerja_desktop.services.progress import run  # noqa: E402

PASSPHRASE = "bench-rahasia"


def make_p12() -> tuple[bytes, object]:
    ca, ca_key = certs.create_ca("CA Benchmark (bukan BSrE)")
    cert, key = certs.issue_user_certificate(ca, ca_key, nip=PEJABAT.nip_raw, name=PEJABAT.name)
    return certs.make_p12(cert, key, ca, PASSPHRASE), ca


def items(count: int) -> list[BatchItem]:
    out = []
    for i in range(count):
        view = sample_short_form(i)
        out.append(BatchItem(view, batch_filename(view.pegawai.nip_raw + f"-{i}", "evaluasi", "TW1-2026")))
    return out


def timed_batch(batch: list[BatchItem], folder: Path, workers: int, p12: bytes | None):
    start = time.perf_counter()
    cpu = os.times()
    result = run(export_batch(batch, folder, p12=p12, passphrase=PASSPHRASE if p12 else None, workers=workers))
    elapsed = time.perf_counter() - start
    after = os.times()
    result.main_cpu_s = (after.user + after.system) - (cpu.user + cpu.system)
    assert len(result.files) == len(batch), result.rejected[:3]
    return elapsed, result


def plain_pyhanko(p12: bytes, count: int) -> float:
    """The straightforward way: per document, load the .p12 and let pyHanko do everything."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    from kinerja_desktop.reports.short_form import render_short_form

    start = time.perf_counter()
    for i in range(count):
        rendered = render_short_form(sample_short_form(i))
        signer = signers.SimpleSigner.load_pkcs12_data(p12, [], passphrase=PASSPHRASE.encode())
        writer = IncrementalPdfFileWriter(io.BytesIO(rendered.pdf))
        page, box = rendered.boxes["pejabat"]
        signers.sign_pdf(
            writer,
            signers.PdfSignatureMetadata(field_name="TTE_PejabatPenilai"),
            signer,
            new_field_spec=fields.SigFieldSpec("TTE_PejabatPenilai", on_page=page, box=box),
        )
    return count / (time.perf_counter() - start)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--workers", type=int, default=min(os.cpu_count() or 1, 4))
    parser.add_argument("--baseline", type=int, default=30, help="documents for the plain pyHanko row (0: skip)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="kinerja-bench-sign-"))
    os.environ["KINERJA_HOME"] = str(work / "home")
    try:
        p12, ca = make_p12()
        batch = items(args.count)
        unsigned_s, unsigned = timed_batch(batch, work / "unsigned", args.workers, None)
        signed_s, signed = timed_batch(batch, work / "signed", args.workers, p12)
        # The signed files really are valid: check the first and the last one.
        for path in (signed.files[0], signed.files[-1]):
            report = verify_pdf(path, trust_certificates=[ca])
            assert report.ok, report.reason
        main_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        peaks = {**unsigned.peak_rss_kb}
        for pid, rss in signed.peak_rss_kb.items():
            peaks[pid] = max(peaks.get(pid, 0), rss)
        # Workers of one batch run at the same time; the two batches run one after the other.
        memory_mb = (main_peak + max(sum(unsigned.peak_rss_kb.values()), sum(signed.peak_rss_kb.values()))) / 1024
        baseline = plain_pyhanko(p12, args.baseline) if args.baseline else None
        size_signed = sum(p.stat().st_size for p in signed.files) / len(signed.files) / 1024
        size_unsigned = sum(p.stat().st_size for p in unsigned.files) / len(unsigned.files) / 1024

        cpu_unsigned = sum(unsigned.cpu_seconds.values()) / args.count * 1000
        cpu_signed = sum(signed.cpu_seconds.values()) / args.count * 1000
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        rate_unsigned = args.count / unsigned_s
        rate_signed = args.count / signed_s
        ratio = signed_s / unsigned_s
        print(f"\n### Batch signing ({args.count} short forms, {args.workers} workers, {os.cpu_count()} cores)\n")
        print("| measure | value | target |")
        print("|---|---|---|")
        print(f"| unsigned batch | {unsigned_s:.2f} s ({rate_unsigned:.1f} docs/s) | |")
        print(f"| signed batch | {signed_s:.2f} s ({rate_signed:.1f} docs/s) | ≥ 60 docs/s |")
        print(f"| signed / unsigned time | {ratio:.2f}× | ≤ 3× |")
        print(f"| worker CPU per document unsigned / signed (incl. start-up) | {cpu_unsigned:.1f} ms / "
              f"{cpu_signed:.1f} ms | |")
        print(f"| main process CPU unsigned / signed batch | {unsigned.main_cpu_s:.2f} s / {signed.main_cpu_s:.2f} s | |")
        print(f"| signed docs/s from CPU time on {args.workers} idle cores | "
              f"{args.workers * 1000 / cpu_signed:.1f} docs/s | ≥ 60 docs/s |")
        print(f"| machine load average (1 min) at the end | {load:.2f} | |")
        print(f"| peak memory (main + workers, sum of peak RSS) | {memory_mb:.0f} MB | ≤ 400 MB |")
        if baseline is not None:
            print(f"| plain pyHanko, 1 core (reference, {args.baseline} docs) | {baseline:.1f} docs/s | |")
        print(f"| mean file size unsigned / signed | {size_unsigned:.0f} KB / {size_signed:.0f} KB | |")
        cpu_rate = args.workers * 1000 / cpu_signed
        ok_wall = rate_signed >= 60 and ratio <= 3 and memory_mb <= 400
        ok_cpu = cpu_rate >= 60 and ratio <= 3 and memory_mb <= 400
        print(f"\nwall clock: {'targets met' if ok_wall else 'target missed'}; "
              f"CPU-time projection: {'targets met' if ok_cpu else 'target missed'} "
              f"(wall-clock rates need an otherwise idle machine; load average was {load:.1f})")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
