"""Reporting periods: months, quarters, financial years and calendar years.

A partner file covers one period, and its name says which (`2021-04-kent-street.csv`,
`missed_collections_2021-22_Q1.csv`, `Detailed_LA_202106.xlsx`). The period a file covers
is its partition: a run for April 2021 reads only the files of April 2021, so a new month
of police data does not re-read eight years of it. Periods are named by the month they
start (`2021-04` is April 2021, April to June 2021, or 2021/22, depending on the kind), one
rule for every kind so that keys sort in time order.

Plain functions without Dagster: `pipelines.ingestion.partitions` turns each kind into a
Dagster partitions definition, and the command line reads officers' `2021/22` here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def add_months(day: date, months: int) -> date:
    """The first of the month `months` after (or before) the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class PeriodKind:
    """A length of reporting period and the month its periods may start in.

    `first` is the earliest period the warehouse holds: the Community Plan's monitoring
    starts with 2017/18; two years earlier leaves room for the baselines partners send.
    """

    name: str
    months: int
    first: date
    cron: str

    def contains(self, day: date) -> date:
        """The start of the period of this kind that contains `day`."""
        offset = (day.year * 12 + day.month - 1) - (self.first.year * 12 + self.first.month - 1)
        return add_months(self.first, (offset // self.months) * self.months)

    def is_start(self, day: date) -> bool:
        return day.day == 1 and self.contains(day) == day

    def end(self, start: date) -> date:
        """The day after the period that starts on `start`."""
        return add_months(start, self.months)

    def key(self, start: date) -> str:
        """The partition key: the period's first month, `2021-04`."""
        return start.strftime("%Y-%m")

    def period_id(self, start: date) -> str:
        """The period as the warehouse's calendar names it: `2021-04` for a month, else
        as officers write it (`2021/22 Q1`, `2021/22`, `2021`)."""
        return self.key(start) if self.name == "month" else self.label(start)

    def label(self, start: date) -> str:
        """The period as officers write it: `April 2021`, `2021/22 Q1`, `2021/22`, `2021`."""
        if self.name == "month":
            return f"{MONTH_NAMES[start.month - 1]} {start.year}"
        if self.name == "financial_year":
            return financial_year(start)
        if self.name == "quarter":
            year_start = FINANCIAL_YEAR.contains(start)
            quarter = (start.month - year_start.month) % 12 // 3 + 1
            return f"{financial_year(year_start)} Q{quarter}"
        return str(start.year)


def financial_year(start: date) -> str:
    return f"{start.year}/{(start.year + 1) % 100:02d}"


MONTH = PeriodKind("month", 1, date(2015, 4, 1), "0 0 1 * *")
QUARTER = PeriodKind("quarter", 3, date(2015, 4, 1), "0 0 1 1,4,7,10 *")
FINANCIAL_YEAR = PeriodKind("financial_year", 12, date(2015, 4, 1), "0 0 1 4 *")
CALENDAR_YEAR = PeriodKind("calendar_year", 12, date(2015, 1, 1), "0 0 1 1 *")
KINDS = (MONTH, QUARTER, FINANCIAL_YEAR, CALENDAR_YEAR)


@dataclass(frozen=True)
class FilePeriods:
    """How a return's file names say which period the file covers.

    `pattern` is searched in the file name, with named groups: `year` always; then `month`
    (a month), `end_month` (the last month of a quarter, as MHCLG names its workbooks),
    `quarter` with `next_year` (a financial quarter, `2021-22_Q1`), or `next_year` alone (a
    financial year, `2021-22`). `example` is shown to the partner when a name does not fit.
    """

    kind: PeriodKind
    pattern: str
    example: str

    def start_of(self, file_name: str) -> date | None:
        """The first day of the period a file covers, or None when its name does not say."""
        found = re.search(self.pattern, file_name)
        if found is None:
            return None
        groups = {name: int(value) for name, value in found.groupdict().items() if value}
        year = groups["year"]
        if "next_year" in groups and groups["next_year"] != (year + 1) % 100:
            return None
        if "quarter" in groups:
            start = add_months(date(year, 4, 1), 3 * (groups["quarter"] - 1))
        elif "end_month" in groups:
            if not 1 <= groups["end_month"] <= 12:
                return None
            start = add_months(date(year, groups["end_month"], 1), -2)
        elif "month" in groups:
            if not 1 <= groups["month"] <= 12:
                return None
            start = date(year, groups["month"], 1)
        else:
            start = date(year, self.kind.first.month, 1)
        return start if self.kind.is_start(start) else None

    def problem(self, file_name: str, today: date) -> str | None:
        """Why a file cannot be placed in a period, in words for the partner, or None."""
        start = self.start_of(file_name)
        if start is None:
            return (
                f"the file name does not say which {self.kind.name.replace('_', ' ')} it "
                f"covers (name it like '{self.example}')"
            )
        if start < self.kind.first:
            return (
                f"the file is for {self.kind.label(start)}, before "
                f"{self.kind.label(self.kind.first)}, the first period the warehouse holds"
            )
        if start > self.kind.contains(today):
            return f"the file is for {self.kind.label(start)}, a period that has not started"
        return None


FINANCIAL_YEAR_IN_NAME = r"(?P<year>\d{4})-(?P<next_year>\d{2})(?!\d)"


def financial_year_files(example: str) -> FilePeriods:
    """Files named with the financial year they cover, `2021-22`, as most partners do."""
    return FilePeriods(FINANCIAL_YEAR, FINANCIAL_YEAR_IN_NAME, example)


class PeriodError(ValueError):
    """A period an officer typed that is not one the warehouse knows."""


PERIOD_FORMS = (
    (re.compile(r"^(\d{4})-(\d{2})$"), "month"),
    (re.compile(r"^(\d{4})/(\d{2}) ?Q([1-4])$"), "quarter"),
    (re.compile(r"^(\d{4})/(\d{2})$"), "financial_year"),
    (re.compile(r"^(\d{4})$"), "calendar_year"),
)


def window(text: str) -> tuple[date, date]:
    """The dates an officer's period covers, as [start, end): `2021-04` (a month),
    `2021/22 Q1`, `2021/22`, `2021`, or a range of them, `2019/20..2021/22`."""
    first, _, last = text.partition("..")
    start, _ = _one_period(first.strip())
    _, end = _one_period((last or first).strip())
    if end <= start:
        raise PeriodError(f"the period range {text!r} ends before it starts")
    return start, end


def _one_period(text: str) -> tuple[date, date]:
    for pattern, kind in PERIOD_FORMS:
        found = pattern.match(text)
        if found is None:
            continue
        numbers = [int(group) for group in found.groups()]
        year = numbers[0]
        if kind == "month" and 1 <= numbers[1] <= 12:
            start = date(year, numbers[1], 1)
            return start, add_months(start, 1)
        if kind in {"quarter", "financial_year"} and numbers[1] == (year + 1) % 100:
            if kind == "financial_year":
                return date(year, 4, 1), date(year + 1, 4, 1)
            start = add_months(date(year, 4, 1), 3 * (numbers[2] - 1))
            return start, add_months(start, 3)
        if kind == "calendar_year":
            return date(year, 1, 1), date(year + 1, 1, 1)
    raise PeriodError(
        f"{text!r} is not a period: use a month (2021-04), a quarter (2021/22 Q1), a "
        "financial year (2021/22), a calendar year (2021), or a range (2019/20..2021/22)"
    )


def starts_within(kind: PeriodKind, start: date, end: date) -> list[date]:
    """Starts of the periods of `kind` that overlap [start, end)."""
    current = kind.contains(start)
    starts = []
    while current < end:
        starts.append(current)
        current = kind.end(current)
    return starts
