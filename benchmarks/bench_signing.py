"""Batch signing: 500 short forms unsigned, signed PAdES B-B, B-LT and B-LTA, in one run.

    .venv/bin/python benchmarks/bench_signing.py [--count 500] [--workers N] [--baseline 30]

Prints a Markdown table: documents per second for each batch (batch export with the
worker pool: key loaded once per worker, fonts registered once, reserved signature
size, cached private key), the ratio to the unsigned batch of the same run, a plain
pyHanko baseline (load the .p12 and sign with ``signers.sign_pdf`` per document, one
core), and the peak memory: the sum of the peak RSS of the main process and of every
worker. B-LT embeds the chain and the CRL (DSS); B-LTA adds a signature timestamp (B-T)
and a document timestamp from an RFC 3161 server on 127.0.0.1 (``tests/pki_support``,
in this process). Targets: B-LT <= 1.5x unsigned, with timestamps <= 3x, memory <= 400 MB.
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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import scratch_key  # noqa: F401 - a fixed scratch key for the synthetic databases

from kinerja_desktop.reports import certs, trust
from kinerja_desktop.reports.batch import BatchItem, batch_filename, export_batch
from kinerja_desktop.reports.samples import PEJABAT, sample_short_form
from kinerja_desktop.reports.signing import load_signing_key
from kinerja_desktop.reports.verify import verify_pdf
from kinerja_desktop.services.progress import run

PASSPHRASE = "bench-rahasia"


def make_p12() -> tuple[bytes, object]:
    """A district CA trusted here with its CRL published, and a signer's .p12."""
    ca, ca_key = certs.create_ca("CA Benchmark (bukan BSrE)")
    certs.save_ca(ca, ca_key, PASSPHRASE)
    from kinerja_desktop.reports.ca import publish_crl

    publish_crl(ca, ca_key)
    cert, key = certs.issue_user_certificate(ca, ca_key, nip=PEJABAT.nip_raw, name=PEJABAT.name)
    return certs.make_p12(cert, key, ca, PASSPHRASE), ca


def setup_for(p12: bytes, tsa_url: str | None, ltv: bool = True):
    """What the documents service hands the workers: the trust verdict and the B-LT(A) material."""
    key = load_signing_key(p12, PASSPHRASE)
    key.prepare(trust.load_store(), tsa_url=tsa_url, ltv=ltv)
    return key.setup()


def items(count: int) -> list[BatchItem]:
    out = []
    for i in range(count):
        view = sample_short_form(i)
        out.append(BatchItem(view, batch_filename(view.pegawai.nip_raw + f"-{i}", "evaluasi", "TW1-2026")))
    return out


def timed_batch(batch: list[BatchItem], folder: Path, workers: int, p12: bytes | None, setup=None):
    start = time.perf_counter()
    cpu = os.times()
    result = run(
        export_batch(batch, folder, p12=p12, passphrase=PASSPHRASE if p12 else None, workers=workers, setup=setup)
    )
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
    from pki_support import start_tsa

    tsa = start_tsa()
    try:
        p12, ca = make_p12()
        trust.add_anchor(certs.cert_pem(tsa.ca_cert))
        trust.save_crl(tsa.ca_crl, tsa.ca_cert)
        batch = items(args.count)
        runs = {}
        runs["unsigned"] = timed_batch(batch, work / "unsigned", args.workers, None)
        runs["B-B"] = timed_batch(batch, work / "bb", args.workers, p12, setup_for(p12, None, ltv=False))
        runs["B-LT"] = timed_batch(batch, work / "blt", args.workers, p12, setup_for(p12, None))
        requests_before = tsa.requests
        runs["B-LTA"] = timed_batch(batch, work / "blta", args.workers, p12, setup_for(p12, tsa.url))
        stamps = tsa.requests - requests_before
        for label in ("B-LT", "B-LTA"):  # the signed files really are valid: the first and the last
            for path in (runs[label][1].files[0], runs[label][1].files[-1]):
                report = verify_pdf(path)
                assert report.ok and report.signatures[0].profile == label, (label, report.reason)
        report_table(args, runs, stamps, p12)
        return 0
    finally:
        tsa.close()
        shutil.rmtree(work, ignore_errors=True)


def report_table(args, runs: dict, stamps: int, p12: bytes) -> None:
    main_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Workers of one batch run at the same time; the batches run one after the other.
    memory_mb = (main_peak + max(sum(r.peak_rss_kb.values()) for _s, r in runs.values())) / 1024
    baseline = plain_pyhanko(p12, args.baseline) if args.baseline else None
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    unsigned_s = runs["unsigned"][0]
    targets = {"unsigned": "", "B-B": "", "B-LT": "≤ 1.5×", "B-LTA": "≤ 3×"}
    print(
        f"\n### Batch signing ({args.count} short forms, {args.workers} workers, {os.cpu_count()} cores, "
        f"load {load:.1f})\n"
    )
    print(
        "| batch | wall time | docs/s | ratio to unsigned | worker CPU per doc (ratio) | main process CPU "
        "| mean file size | target |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    unsigned_cpu = sum(runs["unsigned"][1].cpu_seconds.values()) / args.count * 1000
    verdicts = []
    for label, (seconds, result) in runs.items():
        ratio = seconds / unsigned_s
        cpu = sum(result.cpu_seconds.values()) / args.count * 1000
        size = sum(p.stat().st_size for p in result.files) / len(result.files) / 1024
        target = targets[label]
        if target:
            limit = float(target.strip("≤ ×"))
            verdicts.append(ratio <= limit)
            target += " ✓" if ratio <= limit else " ✗"
        print(
            f"| {label} | {seconds:.2f} s | {args.count / seconds:.1f} | {ratio:.2f}× | {cpu:.1f} ms "
            f"({cpu / unsigned_cpu:.2f}×) | {result.main_cpu_s:.2f} s | {size:.0f} KB | {target} |"
        )
    print(
        f"\nTimestamps requested in the B-LTA batch: {stamps} ({stamps / args.count:.1f} per document); the "
        f"timestamp server runs in the main process, its CPU is in that batch's main process CPU."
    )
    print(
        f"Peak memory (main + workers, sum of peak RSS): {memory_mb:.0f} MB (≤ 400 MB "
        f"{'✓' if memory_mb <= 400 else '✗'})."
    )
    if baseline is not None:
        print(f"Plain pyHanko, 1 core (reference, {args.baseline} docs): {baseline:.1f} docs/s.")
    print("targets met" if all(verdicts) and memory_mb <= 400 else "target missed")


if __name__ == "__main__":
    raise SystemExit(main())
