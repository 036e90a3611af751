"""A page as Chromium prints it, for tests that check the report's layout.

Headless Chromium opens the HTML through its DevTools protocol, switched to print media at
the width of the printed page's text (A4 less the report's margins), and runs a script that
measures the laid-out page: elements whose content overflows their box, charts drawn beyond
their own frame, and which sections start a new page. The PDF itself is read with pypdfium2:
each page's text and how far down the page its content reaches.
"""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy
import pypdfium2
from websockets.sync.client import connect

A4_TEXT_WIDTH_PX = round((210 - 14 - 14) / 25.4 * 96)
"""The printed text width at CSS's 96 pixels to the inch: A4 less the 14 mm side margins."""

INK = 235
"""A pixel darker than this (of 255) is printed content, not the white page."""

MEASURE = """
(() => {
  const describe = (el) => el.tagName.toLowerCase()
      + (typeof el.className === "string" && el.className ? "." + el.className : "")
      + ": " + (el.textContent || "").trim().slice(0, 60);
  const overflowing = [];
  for (const el of document.querySelectorAll("main *")) {
    if (el.closest("svg")) continue;
    const style = getComputedStyle(el);
    if (style.display === "inline" || el.clientWidth === 0) continue;
    if (el.scrollWidth > el.clientWidth + 1) overflowing.push(describe(el));
  }
  const pageRight = document.querySelector("main").getBoundingClientRect().right;
  for (const el of document.querySelectorAll("main td, main th, main h1, main h2, main h3")) {
    if (el.getBoundingClientRect().right > pageRight + 1) {
      overflowing.push("past the page: " + describe(el));
    }
  }
  const clippedCharts = [];
  for (const svg of document.querySelectorAll("main svg")) {
    const frame = svg.viewBox.baseVal;
    const drawn = svg.getBBox();
    if (drawn.x < frame.x - 0.5 || drawn.y < frame.y - 0.5
        || drawn.x + drawn.width > frame.x + frame.width + 0.5
        || drawn.y + drawn.height > frame.y + frame.height + 0.5) {
      clippedCharts.push((svg.querySelector("title") || {}).textContent || "chart");
    }
  }
  const sections = [...document.querySelectorAll("main section[id], main nav[id]")].map((s) => ({
    id: s.id,
    heading: (s.querySelector("h2") || {}).textContent || "",
    newPage: getComputedStyle(s).breakBefore === "page",
  }));
  return {overflowing, clippedCharts, sections};
})()
"""


@dataclass(frozen=True)
class Layout:
    overflowing: list[str]
    """Elements whose content is wider than their box (text printed over its neighbour)."""
    clipped_charts: list[str]
    """Charts with something drawn outside their own frame (cut off when shown)."""
    sections: list[dict]
    """Each section: its id, heading and whether it starts a new page."""


def measure_layout(chromium: str, html_path: Path) -> Layout:
    """Lay the page out in Chromium as it prints it, and measure it."""
    with tempfile.TemporaryDirectory(
        prefix="wellbeing-layout-", ignore_cleanup_errors=True
    ) as profile:
        browser = subprocess.Popen(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--remote-debugging-port=0",
                f"--user-data-dir={profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            with _DevTools(_endpoint(browser)) as devtools:
                return devtools.layout(html_path)
        finally:
            browser.terminate()
            browser.wait(timeout=30)


def _endpoint(browser: subprocess.Popen) -> str:
    """The browser's DevTools address, from the line Chromium prints as it starts."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = browser.stderr.readline()
        if found := re.search(r"DevTools listening on (ws://\S+)", line):
            return found[1]
        if not line and browser.poll() is not None:
            break
    raise RuntimeError("Chromium did not start its DevTools endpoint")


class _DevTools:
    """Just enough of the DevTools protocol: commands to one page, waiting for their answer."""

    def __init__(self, endpoint: str) -> None:
        self.socket = connect(endpoint, max_size=None, open_timeout=30)
        self.ids = itertools.count(1)
        self.session: str | None = None
        self.events: list[dict] = []

    def __enter__(self) -> _DevTools:
        return self

    def __exit__(self, *_exc) -> None:
        self.socket.close()

    def send(self, method: str, **params) -> dict:
        message_id = next(self.ids)
        message = {"id": message_id, "method": method, "params": params}
        if self.session:
            message["sessionId"] = self.session
        self.socket.send(json.dumps(message))
        while True:
            reply = json.loads(self.socket.recv(timeout=120))
            if reply.get("id") == message_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, event: str) -> None:
        while not any(e.get("method") == event for e in self.events):
            self.events.append(json.loads(self.socket.recv(timeout=120)))

    def layout(self, html_path: Path) -> Layout:
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.send("Target.attachToTarget", targetId=target, flatten=True)[
            "sessionId"
        ]
        self.send("Page.enable")
        self.send("Emulation.setEmulatedMedia", media="print")
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=A4_TEXT_WIDTH_PX,
            height=1100,
            deviceScaleFactor=1,
            mobile=False,
        )
        self.events.clear()
        self.send("Page.navigate", url=html_path.resolve().as_uri())
        self.wait_for("Page.loadEventFired")
        result = self.send("Runtime.evaluate", expression=MEASURE, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"Measuring {html_path} failed: {result['exceptionDetails']}")
        measured = result["result"]["value"]
        return Layout(measured["overflowing"], measured["clippedCharts"], measured["sections"])


@dataclass(frozen=True)
class PrintedPage:
    number: int
    text: str
    filled: float
    """How far down the page's text area its content reaches, 0 to 1."""


def read_pdf(pdf_path: Path, top_mm: float, bottom_mm: float) -> list[PrintedPage]:
    """Each page's text, and how far its content reaches between the top and bottom
    margins (the footer below the bottom margin is not counted)."""
    document = pypdfium2.PdfDocument(str(pdf_path))
    try:
        pages = []
        for index in range(len(document)):
            page = document[index]
            text = page.get_textpage().get_text_bounded()
            pixels = numpy.asarray(page.render(scale=0.5, grayscale=True).to_pil().convert("L"))
            height = pixels.shape[0]
            _, page_height_pt = page.get_size()
            mm = height / (page_height_pt / 72 * 25.4)
            top, bottom = round(top_mm * mm), round(height - bottom_mm * mm)
            inked = numpy.flatnonzero((pixels[top:bottom] < INK).any(axis=1))
            filled = float(inked.max() / (bottom - top)) if inked.size else 0.0
            pages.append(PrintedPage(index + 1, text, filled))
        return pages
    finally:
        document.close()
