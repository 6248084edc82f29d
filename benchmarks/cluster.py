"""Measure builds through a Dask cluster on this machine: pages per second, overhead, bytes, cost model.

Usage: ``.venv/bin/python benchmarks/cluster.py [--editions zh-Hans,zh-TW,zh-HK] [--tasks 200]``

Builds the sample page plus two small pages (``--editions`` each) from scratch
four ways: locally with ``--jobs 1`` and ``--jobs 2``, and through a loopback
``LocalCluster`` of one and of two single-threaded worker processes.  For each
it prints the wall seconds and page × editions per second; for the cluster
builds also a second build on the same, warm workers, the pickled bytes sent
per task, the artifact bytes received, and the client's own seconds per task
(packing jobs, checking hashes, writing files atomically).  Then it times ``--tasks`` empty tasks through the
two-worker scheduler: the scheduler's overhead per task.  Last it prints the
cost model for N machines of C cores:

    wall(N) ≈ jobs × render / (N × C)  +  jobs × (client + overhead + bookkeeping)  +  startup

The second term is serial at the client, so adding machines stops paying once
``N × C`` reaches ``render / (client + overhead)``.  A measurement, not a test:
timings depend on the machine (and on what else it runs).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from distributed import Client, LocalCluster  # noqa: E402
from test_cluster import make_publication  # noqa: E402

from pipeline.project.build import build  # noqa: E402
from pipeline.project.cache import code_sha  # noqa: E402
from pipeline.project.cluster import DaskRunner  # noqa: E402
from pipeline.project.config import load_config  # noqa: E402


def _noop(value: int) -> int:
    return value


def _cluster(workers: int) -> LocalCluster:
    return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                        dashboard_address=None, silence_logs=40)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--editions", default="zh-Hans,zh-TW,zh-HK")
    parser.add_argument("--tasks", type=int, default=200, help="empty tasks for the scheduler overhead")
    args = parser.parse_args()
    editions = tuple(args.editions.split(","))
    work = Path(tempfile.mkdtemp(prefix="broadsheet-cluster-bench-"))
    try:
        config_path = make_publication(work / "paper", editions=editions)
        jobs = 3 * len(editions)
        print(f"{jobs} page × editions (the sample and two small pages in {', '.join(editions)})")
        renders: dict[str, float] = {}
        for label, local in (("local --jobs 1", 1), ("local --jobs 2", 2)):
            code_sha.cache_clear()
            started = time.perf_counter()
            result = build(load_config(config_path, output=work / label.replace(" ", "")), jobs=local)
            wall = time.perf_counter() - started
            renders[label] = sum(wall for wall, _ in result.timings.values())
            print(f"{label:16} {wall:6.1f} s  {jobs / wall:5.2f} page-editions/s")
        client_share = 0.0
        for workers in (1, 2):
            with _cluster(workers) as cluster:
                code_sha.cache_clear()
                started = time.perf_counter()
                with DaskRunner(cluster.scheduler_address) as runner:
                    build(load_config(config_path, output=work / f"dask{workers}"), runner=runner)
                wall = time.perf_counter() - started
                client_share = runner.client_seconds / runner.tasks
                print(f"dask {workers} worker(s)  {wall:6.1f} s  {jobs / wall:5.2f} page-editions/s  "
                      f"sent {runner.sent / runner.tasks / 1024:.1f} KiB/task, received "
                      f"{runner.received / runner.tasks / 1024:.0f} KiB/task, client {client_share * 1000:.1f} ms/task")
                with DaskRunner(cluster.scheduler_address) as again:  # the workers have loaded everything
                    started = time.perf_counter()
                    build(load_config(config_path, output=work / f"dask{workers}-warm"), runner=again)
                    warm = time.perf_counter() - started
                print(f"dask {workers} worker(s), warm workers (a second full build): {warm:6.1f} s  "
                      f"{jobs / warm:5.2f} page-editions/s")
                if workers == 2:
                    started = time.perf_counter()
                    build(load_config(config_path, output=work / f"dask{workers}"), runner=runner)
                    bookkeeping = (time.perf_counter() - started) / jobs
                    print(f"no-change rebuild: {bookkeeping * 1000:.1f} ms per page-edition (fingerprints, "
                          "cache and artifact checks, manifest)")
                    with Client(cluster.scheduler_address) as client:
                        client.gather(client.map(_noop, range(10)))  # warm
                        started = time.perf_counter()
                        client.gather(client.map(_noop, range(args.tasks)))
                        overhead = (time.perf_counter() - started) / args.tasks
                    print(f"scheduler overhead: {overhead * 1000:.2f} ms per task ({args.tasks} empty tasks)")
        render = renders["local --jobs 1"] / jobs
        per_job = client_share + overhead + bookkeeping
        print(f"render: {render:.2f} s per page-edition (local --jobs 1, all stages)")
        print(f"cost model: wall(N machines × C cores) ≈ J × {render:.2f} s / (N·C) + J × {per_job * 1000:.1f} ms "
              f"+ startup; stops scaling near N·C ≈ {render / per_job:.0f} cores")
        archive = 30_000 * 3
        for cores in (2, 16, 64, 256):
            estimate = archive * render / cores + archive * per_job
            print(f"  {archive:,} page-editions on {cores:3} cores: {estimate / 3600:6.1f} h")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
