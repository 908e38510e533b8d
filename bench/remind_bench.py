"""A reminder run for a district of thousands of branches: planning and sending, the robots' rate
limit aside.

    .venv/bin/python bench/remind_bench.py [--branches 3000] [--runs 5]

Builds --branches registered branches (a third with nothing sent, a third with the 工作方案 only,
a third with everything; half with an e-mail address), then times, the median of --runs,
on three Beijing days of the notice's calendar:
  - 6月17日, three days before the 工作方案: the group message and one e-mail per branch that has
    not sent it (a third of them; those without an address are logged as such);
  - 10月16日, the day after the last deadline: the overdue digest naming every late branch;
  - 6月17日 again with the first run's log: planning finds every key sent and plans nothing.
Each figure: plan (service.domain.reminders.plan), run (service.notify.dispatch.run through two
notifiers that only apply the channels' privacy guard and keep the message, as a robot and the mail
server would take it), and the baseline beside them: building the branch list itself. Printed with
the CPU time of this process and the load average, since other work on the machine slows every
figure. Not a test; figures only (issue 18 expects well under 10 s).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from service.domain import reminder_text  # noqa: E402
from service.domain.catalog import DELIVERABLE_IDS  # noqa: E402
from service.domain.model import Deadlines  # noqa: E402
from service.domain.reminders import GROUP, MAIL, Branch, plan  # noqa: E402
from service.notify.dispatch import run  # noqa: E402
from service.notify.message import Delivery, Message, refusal  # noqa: E402


class Taker:
    """A channel whose far end takes everything at once: the guard, then the message kept."""

    def __init__(self, channel: str, audience: str):
        self.channel, self.audience, self.kept = channel, audience, 0

    def recipient(self, message: Message) -> str:
        return ", ".join(message.to) or "群"

    def send(self, message: Message) -> Delivery:
        refused = refusal(message)
        if refused is not None:
            return refused
        self.kept += 1
        return Delivery(True, "ok")


def branches(n: int) -> list[Branch]:
    """The register as the rules see it: a third silent, a third with the 工作方案, a third all sent;
    every other one with an e-mail address."""
    out = []
    for i in range(n):
        sent = (frozenset(), frozenset({"work_plan"}), frozenset(DELIVERABLE_IDS))[i % 3]
        emails = (f"dzb{i:04d}@school{i:04d}.example.cn",) if i % 2 == 0 else ()
        out.append(Branch(f"WJ{i:04d}", f"武进区第{i + 1}实验学校党支部", emails, sent))
    return out


def timed(fn) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def median_of(runs: int, fn) -> tuple[float, float, object]:
    results = [timed(fn) for _ in range(runs)]
    return (statistics.median(r[0] for r in results), statistics.median(r[1] for r in results), results[-1][2])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--branches", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    due, days = Deadlines(), (3, 1)
    print(f"{args.branches} branches, median of {args.runs}; load average before {os.getloadavg()[0]:.2f}")
    base_wall, base_cpu, register = median_of(args.runs, lambda: branches(args.branches))
    print(f"  baseline: the branch list built          {base_wall * 1000:8.1f} ms  (CPU {base_cpu * 1000:.1f} ms)")
    first_log: list = []
    for label, today, log in (("6月17日, 3 days before 工作方案", date(2023, 6, 17), None),
                              ("10月16日, everything overdue", date(2023, 10, 16), None),
                              ("6月17日 again, all sent already", date(2023, 6, 17), first_log)):
        def planning():
            reminder_text.name.cache_clear()  # each run as cold as a day's only run
            return plan(due, today, register, days, log or ())

        plan_wall, plan_cpu, planned = median_of(args.runs, planning)

        def send():
            notifiers = [Taker("wecom", GROUP), Taker("email", MAIL)]
            return run(planned, notifiers), notifiers

        run_wall, run_cpu, (rows, notifiers) = median_of(args.runs, send)
        if today == date(2023, 6, 17) and log is None:
            first_log.extend(rows)
        total = plan_wall + run_wall
        print(f"  {label}: {len(planned)} reminders, {len(rows)} log rows, "
              f"{sum(n.kept for n in notifiers)} taken")
        print(f"    plan {plan_wall * 1000:8.1f} ms (CPU {plan_cpu * 1000:.1f})   run {run_wall * 1000:8.1f} ms "
              f"(CPU {run_cpu * 1000:.1f})   together {total * 1000:8.1f} ms = {total / base_wall:.1f}× the baseline")
    print(f"load average after {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
