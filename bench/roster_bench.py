"""Roster benchmark: reading a 3,000-row roster (a whole district's members) as .xlsx, .csv and .xls,
and the merge preview for a 200-member branch, in process and through the endpoint.

Each figure is the median of --runs runs, printed beside a baseline measured in the same process on
the same file (calamine's plain load of the workbook, openpyxl's for reference, csv.reader for the
CSV) and the ratio between them. Targets (issue 19): reading < 2 s, preview < 1 s. Not a test.
The .xls is written by LibreOffice (soffice) from the .xlsx; without soffice it is left out.
The endpoint's figure is POST /api/v1/branches/<code>/roster?dry_run=true on the real app (SQLite in
a temporary folder, the branch's 200 members stored as version 1, the request signed with a district
token), against the in-process read_roster + merge_roster of the same file as its baseline.

    .venv/bin/python bench/roster_bench.py [--runs 5] [--rows 3000] [--branch 200]
"""
from __future__ import annotations

import argparse
import csv
import io
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import openpyxl  # noqa: E402
import python_calamine  # noqa: E402

from signed import district_clients  # noqa: E402  (bench/, beside this script)
from service import create_app  # noqa: E402
from service.intake.roster import merge_roster, read_roster  # noqa: E402
from tools.synthetic import synthetic_branch  # noqa: E402

TOP = ["序号", "姓名", "性别", "民族", "公民身份号码", "出生日期", "学历", "党员类别", "入党时间", "转正时间",
       "人员类别", "工作岗位", "联系电话", None, "家庭住址", "最近参加组织生活日期", "最近交纳党费月份", "备注"]
SUB = [None] * 12 + ["手机号", "固定电话"] + [None] * 4
DATES = ("birth_date", "join_date", "full_member_date", "last_org_life_date")
FIELDS = ("name", "gender", "ethnicity", "id_number", "birth_date", "education", "member_type", "join_date",
          "full_member_date", "person_category", "job_post", "phone", None, "home_address", "last_org_life_date",
          "last_dues_date", "remarks")


def roster_rows(members: list[dict], as_text: bool) -> list[list]:
    rows = []
    for i, m in enumerate(members, 1):
        number = m["id_number"]
        m = {**m, "birth_date": m.get("birth_date") or f"{number[6:10]}-{number[10:12]}-{number[12:14]}"}
        row = [i]
        for field in FIELDS:
            value = m.get(field) if field else None
            if field in DATES and value and not as_text:
                value = date.fromisoformat(value)
            row.append(value)
        rows.append(row)
    return rows


def xlsx_bytes(members: list[dict]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "党员花名册"
    ws.append(["武进区教育系统党员花名册"])
    ws.append(TOP)
    ws.append(SUB)
    for row in roster_rows(members, as_text=False):
        ws.append(row)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(TOP))
    for column, label in enumerate(TOP, 1):
        if label and label != "联系电话":
            ws.merge_cells(start_row=2, start_column=column, end_row=3, end_column=column)
    ws.merge_cells(start_row=2, start_column=13, end_row=2, end_column=14)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_bytes(members: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([label or "" for label in TOP[:12]] + ["联系电话"] + [label or "" for label in TOP[14:]])
    for row in roster_rows(members, as_text=True):
        writer.writerow(["" if v is None else v for v in row[:13] + row[14:]])
    return out.getvalue().encode("gb18030")


def xls_bytes(xlsx: bytes) -> bytes | None:
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "roster.xlsx"
        source.write_bytes(xlsx)
        subprocess.run([soffice, f"-env:UserInstallation=file://{work}/profile", "--headless", "--norestore",
                        "--convert-to", "xls", "--outdir", work, str(source)],
                       check=True, timeout=300, capture_output=True)
        return (Path(work) / "roster.xls").read_bytes()


def median(fn, runs: int) -> float:
    fn()  # warm-up
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def calamine_load(content: bytes):
    with python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content)) as book:
        return book.get_sheet_by_index(0).to_python(skip_empty_area=False)


def openpyxl_load(content: bytes):
    ws = openpyxl.load_workbook(io.BytesIO(content), data_only=True).active
    return [[c.value for c in row] for row in ws.iter_rows()]


def csv_load(content: bytes):
    return list(csv.reader(io.StringIO(content.decode("gb18030"))))


def report(label: str, content: bytes, filename: str, baselines: dict, runs: int) -> None:
    result = read_roster(content, filename)
    assert not result["problems"], result["problems"][:3]
    took = median(lambda: read_roster(content, filename), runs)
    print(f"{label:5} {len(content) / 1024:7.0f} KB  {len(result['members'])} members  "
          f"read_roster {took:6.3f} s  (target < 2 s)")
    for name, fn in baselines.items():
        base = median(lambda: fn(content), runs)
        print(f"{'':5} {'':10}  baseline {name:18} {base:6.3f} s   ratio ×{took / base:5.1f}")


def changed_roster(members: list[dict]) -> list[dict]:
    """The branch's roster a term later: 10 new posts, 5 new phones, 5 members gone, 5 new."""
    out = [dict(m) for m in members[5:]]
    for m in out[:10]:
        m["job_post"] = "教研组长"
    for m in out[10:15]:
        m["phone"] = "13912345678"
    out += [dict(m) for m in synthetic_branch(5, seed=99)["members"]]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--branch", type=int, default=200)
    args = parser.parse_args()

    members = synthetic_branch(args.rows, seed=1)["members"]
    xlsx = xlsx_bytes(members)
    print(f"Reading a {args.rows}-row roster (title row, two header rows with merged cells), median of {args.runs}:")
    report("xlsx", xlsx, "名册.xlsx", {"calamine load": calamine_load, "openpyxl load": openpyxl_load}, args.runs)
    report("csv", csv_bytes(members), "名册.csv", {"csv.reader": csv_load}, args.runs)
    xls = xls_bytes(xlsx)
    if xls is None:
        print("xls   skipped: soffice is not installed")
    else:
        report("xls", xls, "名册.xls", {"calamine load": calamine_load}, args.runs)

    branch = synthetic_branch(args.branch, seed=2)
    roster = xlsx_bytes(changed_roster(branch["members"]))
    read = read_roster(roster, "支部名册.xlsx")
    _, preview = merge_roster(branch, read["members"])
    counts = {k: len(v) for k, v in preview.items()}
    merge = median(lambda: merge_roster(branch, read["members"]), args.runs)
    both = median(lambda: merge_roster(branch, read_roster(roster, "支部名册.xlsx")["members"]), args.runs)
    print(f"\nPreview for a {args.branch}-member branch ({counts}), median of {args.runs}:")
    print(f"      merge_roster {merge:6.4f} s;  read_roster + merge_roster {both:6.3f} s  (target < 1 s)")
    endpoint(branch, roster, both, args.runs)


def endpoint(branch: dict, roster: bytes, baseline: float, runs: int) -> None:
    """The preview as a clerk's system asks for it: the dry run through the API, on a stored branch."""
    code = branch["org"]["code"]
    with tempfile.TemporaryDirectory(prefix="paicha-roster-bench-") as instance:
        app = create_app({"INSTANCE_DIR": instance, "DATABASE_URL": f"sqlite:///{instance}/paicha.db",
                          "PDF_ENABLED": False, "RATE_LIMITS": False, "LOG_LEVEL": "WARNING"})
        district_clients(app)
        client = app.test_client()
        assert client.put(f"/api/v1/branches/{code}/dataset", json=branch).status_code == 201

        def dry_run():
            resp = client.post(f"/api/v1/branches/{code}/roster?dry_run=true", content_type="multipart/form-data",
                               data={"file": (io.BytesIO(roster), "支部名册.xlsx")})
            assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
            return resp

        body = dry_run().get_json()
        took = median(dry_run, runs)
        print(f"      POST …/roster?dry_run=true {took:6.3f} s  (target < 1 s; {len(body['errors'])} errors, "
              f"answer {len(dry_run().data) / 1024:.0f} KB)")
        print(f"      baseline read_roster + merge_roster {baseline:6.3f} s   ratio ×{took / baseline:5.1f}")


if __name__ == "__main__":
    main()
