"""N1 probe (issue 7): the secretariat's merge of 140 members' returns over ten years.

    python n1_network_merge.py WORKDIR REPEAT

The returns are generated once into WORKDIR/returns (140 organisations in 30 countries, ten
calendar years, each made by the real return pipeline with its disclosure control; about two
minutes) and kept. Timed:
- N1: ``prepare_merge`` on the whole folder of 1,400 files for the last year: every file read
  and its checksum verified, that year's 140 returns fully checked (JSON Schema, categories,
  figures adding up), merged in total and by country, protected again, the document validated;
- N2: the same for each of the ten years in turn (ten merges), as the Network screen does
  when the period is changed: the files' heads are read once and remembered.
N1 starts each run with nothing remembered (a first merge).

Prints one JSON object: {"n1": [s...], "n2": [s...], "files": n, "merged": n, "suppressed": n}.
"""

import json
import sys
import time
from pathlib import Path

from cope_desktop.network import returns
from cope_desktop.network.sample_returns import write_sample_returns
from cope_desktop.network.service import prepare_merge
from cope_desktop.progress import run_to_end
from cope_desktop.reports.period import Period

ORGANISATIONS = 140
YEARS = tuple(range(2016, 2026))


def main(workdir: Path, repeat: int) -> None:
    folder = workdir / "returns"
    done = workdir / "returns.done"
    if not done.exists():
        write_sample_returns(folder, ORGANISATIONS, YEARS, seed=7)
        done.write_text("ok\n")
    last = Period.year(YEARS[-1])
    result = run_to_end(prepare_merge([folder], last))  # warm: imports, compiled schema
    n1, n2 = [], []
    for _ in range(repeat):
        returns._HEADS.clear()
        start = time.perf_counter()
        result = run_to_end(prepare_merge([folder], last))
        n1.append(time.perf_counter() - start)
    for _ in range(max(1, repeat // 3)):
        returns._HEADS.clear()
        start = time.perf_counter()
        for year in YEARS:
            run_to_end(prepare_merge([folder], Period.year(year)))
        n2.append(time.perf_counter() - start)
    print(
        json.dumps(
            {
                "n1": n1,
                "n2": n2,
                "files": len(result.statuses),
                "merged": result.merged_count,
                "suppressed": result.document["disclosure"]["suppressed"],
            }
        )
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
