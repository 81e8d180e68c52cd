"""Benchmark (run by hand): the in-browser draw verifier on a large population.

    .venv/bin/python benchmarks/verify_browser.py --entities 100000

Draws once with the reference rule (Python), then runs static/js/verify_draw.js on the bundle
and population in Debian's headless Chromium, and reports both times. The issue's goal: a
100,000-entity population verified in under 10 seconds in headless Chromium.
"""

import argparse
import json
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread

from playwright.sync_api import sync_playwright

import shuangsuiji
from shuangsuiji.core.draw import Parameters, run_draw, verify, write_population_csv
from shuangsuiji.core.uscc import make_uscc

SCRIPT = Path(shuangsuiji.__file__).parent / "static" / "js" / "verify_draw.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    strata = "AAAAAAABBBBBBBBBCCDU"  # about A 35 %, B 45 %, C 10 %, D 5 %, U 5 %
    population = {
        make_uscc("9", "1", "140406", f"MA{i:07d}"): strata[i % len(strata)]
        for i in range(options.entities)
    }
    dice = "6 5 4 3 2 1 1 2 3 4 5 6 6 5 4 3 2 1 1 2"
    ceremony = {"kind": "public", "public_value": dice, "public_source": "benchmark"}
    bundle = run_draw("BENCH-1", Parameters(ratio="0.3"), population, ceremony)
    csv = write_population_csv(population)
    started = time.perf_counter()
    assert verify(bundle, population) == []
    python_seconds = time.perf_counter() - started
    bundle_json = json.loads(json.dumps(bundle))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        page = browser.new_page()
        server = ThreadingHTTPServer(("127.0.0.1", 0), QuietHandler)
        Thread(target=server.serve_forever, daemon=True).start()
        page.goto(f"http://127.0.0.1:{server.server_port}/")  # loopback: WebCrypto allowed
        page.add_script_tag(content=SCRIPT.read_text(encoding="utf-8"))
        times = []
        for _ in range(options.repeat):
            result = page.evaluate(
                """async ([bundle, csv]) => {
                    const started = performance.now();
                    const problems = await DrawVerifier.verify(bundle, csv);
                    return [problems, (performance.now() - started) / 1000];
                }""",
                [bundle_json, csv],
            )
            assert result[0] == [], result[0]
            times.append(result[1])
        version = browser.version
        browser.close()
        server.shutdown()
    print(f"entities {options.entities:,}; selected + reserve per stratum as drawn")
    print(f"Python verify (reference, stdlib): {python_seconds:.2f} s")
    print(
        f"Chromium {version} verify_draw.js: best {min(times):.2f} s, first {times[0]:.2f} s "
        f"(runs: {', '.join(f'{t:.2f}' for t in times)})"
    )
    print(f"goal, under 10 s: {'met' if min(times) < 10 else 'missed'}")


if __name__ == "__main__":
    main()
