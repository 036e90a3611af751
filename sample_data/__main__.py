"""`python -m sample_data RAW_DIR`: write the SYNTHETIC sample returns into a landing zone.

The warehouse never writes the sample itself; `make run` calls this first when raw/ is
empty, so a fresh clone has something to run on and says plainly that it is invented.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from sample_data import AS_OF, AS_OF_FILE, raw_dir_is_empty, write_sample_returns
from sample_data.broken_examples import write_broken_examples


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m sample_data",
        description="Write the SYNTHETIC sample partner returns (not real data) into RAW_DIR, "
        "unless it already holds partner files.",
    )
    parser.add_argument("raw_dir", type=Path, metavar="RAW_DIR", help="the landing zone (raw)")
    parser.add_argument(
        "--force", action="store_true", help="write the sample even if RAW_DIR holds files"
    )
    parser.add_argument(
        "--with-broken-examples",
        action="store_true",
        help="also add the broken returns that show the quality gate at work",
    )
    arguments = parser.parse_args(argv)
    raw: Path = arguments.raw_dir
    if not arguments.force and not raw_dir_is_empty(raw):
        print(f"{raw} already holds partner files: the synthetic sample was not written.")
        return
    started = time.perf_counter()
    written = write_sample_returns(raw)
    print(
        f"Wrote {len(written)} SYNTHETIC sample files (not real partner data) into {raw} "
        f"in {time.perf_counter() - started:.1f} s; {AS_OF_FILE} dates their story {AS_OF}."
    )
    if arguments.with_broken_examples:
        changed = write_broken_examples(raw)
        print(f"Added the broken examples: {len(changed)} files written or taken out.")


if __name__ == "__main__":
    main()
