"""Read a filled 数据采集表 into contract JSON, remembering which cell every value came from."""
from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

from openpyxl import load_workbook

from service.errors import BadUpload

from .spec import (
    EXAMPLE_MARK, HEADER_ROW, HINT_ROW, MEMBER_REF, NAME_CHECK, SHEETS, Column, Sheet,
)
from .values import CellProblem, clean_text, parse

SHEET_ORDER = {s.name: i for i, s in enumerate(SHEETS)}


@dataclass(frozen=True)
class Location:
    sheet: str
    row: int | None = None
    column: str | None = None  # header text (table) or 项目 label (kv)
    cell: str | None = None  # "E7"


@dataclass
class CellError:
    """One problem, pointing at the cell a clerk must fix; `message` is the full located text."""

    sheet: str | None
    row: int | None
    column: str | None
    cell: str | None
    message: str
    detail: str = ""
    path: str | None = None
    rule: str | None = None

    def as_dict(self) -> dict:
        out = {k: getattr(self, k) for k in ("sheet", "row", "column", "cell", "path", "message", "detail")}
        if self.rule:
            out["rule"] = self.rule
        return out


def located(loc: Location | None, detail: str, path: str | None = None, rule: str | None = None) -> CellError:
    """`党员名册 第7行「公民身份号码」(E7)：…` for a cell; shorter forms for a row or a sheet."""
    if loc is None:
        return CellError(None, None, None, None, detail, detail, path, rule)
    if loc.row is None:
        text = f"{loc.sheet}：{detail}"
    elif loc.column is None:
        text = f"{loc.sheet} 第{loc.row}行：{detail}"
    else:
        text = f"{loc.sheet} 第{loc.row}行「{loc.column}」({loc.cell})：{detail}"
    return CellError(loc.sheet, loc.row, loc.column, loc.cell, text, detail, path, rule)


@dataclass
class ReadResult:
    data: dict
    errors: list[CellError] = field(default_factory=list)
    warnings: list[CellError] = field(default_factory=list)
    locations: dict[str, Location] = field(default_factory=dict)

    def locate(self, path: str) -> Location | None:
        """The cell a JSON path came from, or the nearest enclosing row or sheet."""
        path = re.sub(r"\._schema$", "", path or "")
        while path:
            if path in self.locations:
                return self.locations[path]
            match = re.match(r"^(.*?)(\.[^.\[\]]+|\[\d+\])$", path)
            if not match:
                return None
            path = match.group(1)
        return None


def fold(text) -> str:
    """Headers and sheet names compared loosely: width, spaces and a trailing * do not matter."""
    return unicodedata.normalize("NFKC", str(text or "")).replace(" ", "").rstrip("*")


def set_path(obj: dict, path: str, value) -> None:
    keys = path.split(".")
    for key in keys[:-1]:
        obj = obj.setdefault(key, {})
    obj[keys[-1]] = value


def read_workbook(content: bytes) -> ReadResult:
    """Contract JSON from the workbook, with every cell problem at once (never raises on content)."""
    try:
        values = load_workbook(io.BytesIO(content), data_only=True)
        formulas = load_workbook(io.BytesIO(content))
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as exc:
        raise BadUpload("无法打开该 Excel 文件，请确认是用 Excel 或 WPS 保存的 .xlsx 工作簿") from exc
    return _Reader(values, formulas).read()


class _Reader:
    def __init__(self, values, formulas):
        self.values, self.formulas = values, formulas
        self.sheets = {fold(name): name for name in values.sheetnames}
        self.result = ReadResult({"schema_version": "1"})
        self.members: list[dict] = []
        self.by_id: dict[str, int] = {}
        self.seen: dict[tuple[str, int], int] = {}  # (sheet, member index) → row

    def read(self) -> ReadResult:
        for spec in SHEETS:
            name = self.sheets.get(fold(spec.name))
            if name is None:
                if spec.required:
                    self._error(Location(spec.name), f"缺少工作表「{spec.name}」，请使用本系统下载的数据采集表填写")
                continue
            for key in _objects_of(spec):
                self.result.locations.setdefault(key, Location(spec.name))
            ws, fws = self.values[name], self.formulas[name]
            formula_cells = {c.coordinate for row in fws.iter_rows() for c in row if c.data_type == "f"}
            if spec.layout == "kv":
                self._read_kv(ws, spec, formula_cells)
            else:
                self._read_table(ws, spec, formula_cells)
        self.result.data["members"] = self.members
        self.result.locations.setdefault("members", Location("党员名册"))
        return self.result

    # ---- cells ----------------------------------------------------------------------------------
    def _error(self, loc: Location, detail: str, path: str | None = None) -> None:
        self.result.errors.append(located(loc, detail, path))

    def _warn(self, loc: Location, detail: str, path: str | None = None) -> None:
        self.result.warnings.append(located(loc, detail, path))

    def _value(self, cell, column: Column, loc: Location, formula_cells, path=None):
        """The parsed value of one cell; problems are recorded and give None."""
        if cell.value is None and cell.coordinate in formula_cells:
            self._error(loc, "公式没有计算结果（文件未经 Excel 保存），请直接填写数值，或在 Excel/WPS 中打开后保存再上传", path)
            return None
        try:
            value, warning = parse(column, cell.value, cell.number_format)
        except CellProblem as problem:
            self._error(loc, str(problem), path)
            return None
        if warning:
            self._warn(loc, warning, path)
        return value

    # ---- key/value sheets -----------------------------------------------------------------------
    def _read_kv(self, ws, spec: Sheet, formula_cells) -> None:
        by_label = {fold(c.header): c for c in spec.columns}
        for row in ws.iter_rows(min_row=HEADER_ROW + 1, max_col=2):
            column = by_label.get(fold(clean_text(row[0].value)))
            if column is None or len(row) < 2:
                continue
            cell = row[1]
            loc = Location(spec.name, cell.row, column.header, cell.coordinate)
            self.result.locations[column.path] = loc
            value = self._value(cell, column, loc, formula_cells, column.path)
            if value is not None:
                set_path(self.result.data, column.path, value)

    # ---- table sheets ---------------------------------------------------------------------------
    def _read_table(self, ws, spec: Sheet, formula_cells) -> None:
        header = {fold(c.value): c.column for c in ws[HEADER_ROW] if c.value is not None}
        columns: list[tuple[Column, int]] = []
        for column in spec.columns:
            index = header.get(fold(column.header))
            if index is None:
                if column.required:
                    self._error(Location(spec.name, HEADER_ROW), f"缺少列「{column.header}」，请使用本系统下载的数据采集表填写")
                continue
            columns.append((column, index))
        if not columns:
            return
        width = max(index for _, index in columns)
        for row in ws.iter_rows(min_row=HINT_ROW + 1, max_col=width):
            if clean_text(row[0].value) == EXAMPLE_MARK:
                continue
            cells = [(column, row[index - 1]) for column, index in columns]
            if all(clean_text(cell.value) is None and cell.coordinate not in formula_cells for _, cell in cells):
                continue
            self._read_row(spec, cells, formula_cells)

    def _read_row(self, spec: Sheet, cells, formula_cells) -> None:
        row = cells[0][1].row
        first = cells[0][1].coordinate
        values: dict[str, tuple] = {}
        for column, cell in cells:
            loc = Location(spec.name, row, column.header, cell.coordinate)
            values[column.path] = (loc, self._value(cell, column, loc, formula_cells))
        prefix = self._prefix(spec, values, Location(spec.name, row, None, first))
        if prefix is None:
            return
        record: dict = {}
        for path, (loc, value) in values.items():
            if path in (MEMBER_REF, NAME_CHECK):
                continue
            self.result.locations[f"{prefix}.{path}"] = loc
            if value is not None:
                set_path(record, path, value)
        self._attach(spec, prefix, record, values)

    def _prefix(self, spec: Sheet, values, row_loc: Location) -> str | None:
        """The JSON path of this row's record (`members[3].outgoing`), or None when it has no home."""
        if spec.base == "members[]":
            index = len(self.members)
            self.members.append({})
            member_id = values["id_number"][1]
            if member_id:
                self.by_id.setdefault(member_id, index)
            self.result.locations[f"members[{index}]"] = row_loc
            return f"members[{index}]"
        if not spec.refers_to_member:
            list_path = spec.base[:-2]
            items = _get(self.result.data, list_path) or []
            self.result.locations.setdefault(list_path, Location(spec.name))
            self.result.locations[f"{list_path}[{len(items)}]"] = row_loc
            return f"{list_path}[{len(items)}]"
        id_loc, member_id = values[MEMBER_REF]
        if member_id is None:
            if not any(e.cell == id_loc.cell and e.sheet == spec.name for e in self.result.errors):
                self._error(id_loc, "请填写公民身份号码，用来对应党员名册中的党员")
            return None
        index = self.by_id.get(member_id)
        if index is None:
            self._error(id_loc, f"党员名册中没有公民身份号码为 {member_id} 的党员，请先在党员名册中登记")
            return None
        name_loc, name = values.get(NAME_CHECK, (None, None))
        if name and name != self.members[index].get("name"):
            self._warn(name_loc, f"姓名“{name}”与党员名册中该身份证号的姓名“{self.members[index].get('name')}”不一致")
        sub = spec.base.split(".", 1)[1]
        if sub.endswith("[]"):  # search_record: one row per attempt, under the lost_contact row
            owner = self.members[index].get("lost_contact")
            if owner is None:
                self._error(id_loc, "该党员未在「失联查找」表中登记，请先填写失联查找表")
                return None
            return f"members[{index}].{sub[:-2]}[{len(owner.get('search_record', []))}]"
        key = (spec.name, index)
        if key in self.seen:
            self._error(id_loc, f"该党员在本表已填写过（第{self.seen[key]}行），每人只填一行")
            return None
        self.seen[key] = row_loc.row
        self.result.locations[f"members[{index}].{sub}"] = row_loc
        return f"members[{index}].{sub}"

    def _attach(self, spec: Sheet, prefix: str, record: dict, values) -> None:
        if spec.base == "members[]":
            self.members[-1].update(record)
            return
        match = re.match(r"^members\[(\d+)\]\.(.+)$", prefix)
        if match:
            member = self.members[int(match.group(1))]
            rest = match.group(2)
            if rest.startswith("lost_contact.search_record["):
                member["lost_contact"].setdefault("search_record", []).append(record)
            else:
                member[rest] = record
                if rest == "lost_contact":  # a missing 查找记录 points at the 排查结果 cell
                    self.result.locations[f"{prefix}.search_record"] = values["outcome"][0]
            return
        list_path = spec.base[:-2]
        items = _get(self.result.data, list_path)
        if items is None:
            items = []
            set_path(self.result.data, list_path, items)
        items.append(record)


def _get(obj, path: str):
    for key in path.split("."):
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def _objects_of(spec: Sheet) -> list[str]:
    """The top-level contract keys a sheet fills, for errors about an object as a whole."""
    if spec.layout == "kv":
        return list(dict.fromkeys(c.path.split(".")[0] for c in spec.columns))
    return [spec.base.split("[")[0].split(".")[0]]
