"""A year's figures (figures.yaml), validated: the inputs of the scorer and of the drafts.

Money is written as printed, with its unit ("657.77 万元", "9,210 元") or as a bare number in 万元.
Percentages are 0–100 unless a field says otherwise. Every error names the file, line and field.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from assistant.datafiles import error_location
from assistant.errors import JixiaoError

UNIT_FACTORS = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}
_MONEY = re.compile(r"^\s*(-?[\d,，]+(?:\.\d+)?)\s*(元|万元|亿元)?\s*$")


class FiguresError(JixiaoError):
    """A figures file is not valid; `problems` lists every field that is wrong."""

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: " + "；".join(problems))


class Money(BaseModel):
    """An amount with its unit, exactly as entered (converted only when asked)."""

    model_config = ConfigDict(frozen=True)
    value: Decimal
    unit: Literal["元", "万元", "亿元"] = "万元"

    def to(self, unit: str) -> Decimal:
        return self.value * UNIT_FACTORS[self.unit] / UNIT_FACTORS[unit]

    def __str__(self) -> str:
        return f"{self.value:,} {self.unit}"


def _parse_money(value: Any) -> Any:
    if isinstance(value, Money | dict):
        return value
    if isinstance(value, bool):
        raise ValueError("应为金额，如 '657.77 万元'")
    if isinstance(value, int | float | Decimal):
        return {"value": Decimal(str(value)), "unit": "万元"}
    if isinstance(value, str):
        m = _MONEY.match(value)
        if not m:
            raise ValueError(f"'{value}' 不是金额（应如 '657.77 万元'）")
        return {"value": Decimal(m.group(1).replace(",", "").replace("，", "")), "unit": m.group(2) or "万元"}
    raise ValueError("应为金额，如 '657.77 万元'")


MAX_AMOUNT = Decimal(10) ** 12  # more than any budget in any unit: a typo, not an amount


def _non_negative_money(value: Money) -> Money:
    if not value.value.is_finite() or abs(value.value) > MAX_AMOUNT:
        raise ValueError(f"{value.value} 不是合理的金额（超出范围）")
    if value.value < 0:
        raise ValueError(f"{value} 为负数")
    return value


def _parse_percent(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip().rstrip("%％").strip()
    try:
        number = Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError(f"'{value}' 不是百分比") from exc
    if not number.is_finite():
        raise ValueError(f"'{value}' 不是百分比")
    return number


def _percent_range(value: Decimal) -> Decimal:
    if not Decimal(0) <= value <= Decimal(100):
        raise ValueError(f"{value}% 不在 0–100% 之间")
    return value


Amount = Annotated[Money, BeforeValidator(_parse_money), AfterValidator(_non_negative_money)]
Percent = Annotated[Decimal, BeforeValidator(_parse_percent), AfterValidator(_percent_range)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Budget(_Strict):
    initial: Amount  # 年初预算
    adjusted: Amount  # 调整后预算 / 全年预算
    actual: Amount  # 实际支出 / 执行数


class Adjustment(_Strict):
    amount: Amount  # 调整、调剂资金累计 (absolute)


class Procurement(_Strict):
    plan: Amount  # 政府采购预算/计划
    actual: Amount  # 实际采购金额


class Staff(_Strict):
    approved: int = Field(ge=0)  # 核定编制数
    in_post: int = Field(ge=0)  # 在编人数（含工勤）
    external: int = Field(ge=0)  # 劳务派遣等编外人员
    total_in_post: int = Field(gt=0)  # 在职人员总数（在编+编外）


class Spending(_Strict):
    budget: Amount
    actual: Amount


class Assets(_Strict):
    original_value: Amount  # 固定资产原值
    in_use_value: Amount  # 实际在用固定资产原值


class Projects(_Strict):
    planned: int = Field(gt=0)
    completed_on_time: int = Field(ge=0)


class KeyTasks(_Strict):
    total: int = Field(ge=0)
    uncompleted: int = Field(ge=0)
    items: list[str] = Field(default_factory=list)


class Disclosure(_Strict):
    budget: Literal["full", "partial", "none", "exempt"] = "full"
    final_accounts: Literal["full", "partial", "none", "exempt"] = "full"
    budget_date: datetime.date | None = None
    final_accounts_date: datetime.date | None = None


class Petitions(_Strict):
    channels: bool = True  # 建立了便利的群众意见反映渠道
    all_replied: bool = True  # 回复率达100%
    all_timely: bool = True  # 及时办理回复率达100%


class Finding(_Strict):
    """Items found wanting under a "一项扣N分" rule: how many, and what they were."""

    count: int = Field(ge=0)
    reason: str = ""


class Discretionary(_Strict):
    score: Decimal
    reason: str = ""


class Figures(_Strict):
    unit: str
    year: int = Field(ge=2000, le=2100)
    framework: str = "futian_department"
    previous: Path | None = None  # last year's figures file, for "较上年…" (relative to this file)
    published_total: Decimal | None = Field(default=None, ge=0, le=100)  # the total the year's report printed
    budget: Budget
    adjustment: Adjustment
    quarterly_progress: list[Percent] = Field(min_length=4, max_length=4)
    procurement: Procurement
    staff: Staff
    sangong: Spending  # “三公”经费
    public_funds: Spending  # 日常公用经费
    assets: Assets
    projects: Projects
    key_tasks: KeyTasks
    satisfaction: Percent
    disclosure: Disclosure = Field(default_factory=Disclosure)
    petitions: Petitions = Field(default_factory=Petitions)
    discretionary: dict[str, Discretionary] = Field(default_factory=dict)
    findings: dict[str, Finding] = Field(default_factory=dict)
    problems: list[str] = Field(default_factory=list)
    measures: list[str] = Field(default_factory=list)
    next_steps: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Figures:
        if self.projects.completed_on_time > self.projects.planned:
            raise ValueError("projects.completed_on_time（按时完成数）大于 projects.planned（项目数）")
        if self.key_tasks.uncompleted > self.key_tasks.total:
            raise ValueError("key_tasks.uncompleted（未完成数）大于 key_tasks.total（重点任务数）")
        return self


def _line_of(node: yaml.Node, loc: tuple[Any, ...]) -> int | None:
    """The 1-based line of the YAML node at `loc`, as close as the path allows."""
    line = node.start_mark.line + 1
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            nxt = next((v for k, v in node.value if k.value == str(key)), None)
            if nxt is None:
                key_node = None
                break
            key_node = nxt
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            key_node = node.value[key]
        else:
            break
        node = key_node
        line = node.start_mark.line + 1
    return line


_PYDANTIC_MESSAGES = {
    "extra_forbidden": "未知字段（拼写错误？）",
    "missing": "缺少此项",
    "decimal_parsing": "不是数字",
    "decimal_type": "不是数字",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "bool_parsing": "应为 true 或 false",
    "string_type": "应为文字",
    "literal_error": "取值不在允许范围内",
    "greater_than_equal": "数值太小",
    "less_than_equal": "数值太大",
    "list_type": "应为列表",
    "dict_type": "应为映射",
    "too_short": "项数太少",
    "too_long": "项数太多",
    "finite_number": "不是有限的数值",
}


def _duplicate_keys(root: yaml.Node) -> list[str]:
    """Keys given twice in one mapping (YAML keeps the last one silently): each with its line."""
    problems: list[str] = []
    stack: list[tuple[yaml.Node, str]] = [(root, "")]
    visited: set[int] = set()  # aliases share nodes: each is looked at once
    while stack:
        node, where = stack.pop()
        if id(node) in visited:
            continue
        visited.add(id(node))
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key_node, value in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                field = f"{where}.{key}" if where else str(key)
                line = key_node.start_mark.line + 1
                if key is not None and key in seen:
                    problems.append(f"第 {line} 行：{field}：重复的字段（第 {seen[key]} 行已有；只能写一次）")
                elif key is not None:
                    seen[key] = line
                stack.append((value, field))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, f"{where}.{i}") for i, item in enumerate(node.value))
    return sorted(problems, key=lambda p: int(re.match(r"第 (\d+)", p).group(1)))  # type: ignore[union-attr]


def locate_inputs(path: Path, message: str) -> FiguresError:
    """A scoring error that names inputs ('数据项 'procurement.plan' 为 0…') as a figures-file error
    with the line of each input, so that it reads like every other mistake in the file."""
    try:
        node = yaml.compose(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError):
        return FiguresError(str(path), [message])
    problems = []
    for part in message.split("；"):
        m = re.search(r"'([\w.]+)'", part)
        line = _line_of(node, tuple(m.group(1).split("."))) if m and node is not None else None
        problems.append(f"第 {line} 行：{part}" if line else part)
    return FiguresError(str(path), problems)


def parse_figures(text: str, path: str = "<figures>") -> Figures:
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        where = f"第 {mark.line + 1} 行：" if mark else ""
        raise FiguresError(path, [f"{where}不是有效的 YAML（{getattr(exc, 'problem', exc)}）"]) from exc
    if not isinstance(data, dict) or node is None:
        raise FiguresError(path, ["应为字段映射（unit、year、budget …）"])
    duplicates = _duplicate_keys(node)
    if duplicates:
        raise FiguresError(path, duplicates)
    try:
        return Figures.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc, field = error_location(err)
            msg = _PYDANTIC_MESSAGES.get(err["type"], err["msg"].removeprefix("Value error, "))
            line = _line_of(node, loc)
            problems.append(f"第 {line} 行：{field}：{msg}" if line else f"{field}：{msg}")
        raise FiguresError(path, problems) from exc


def load_figures(path: Path) -> Figures:
    import stat

    try:
        if not stat.S_ISREG(path.stat().st_mode) and not path.is_dir():  # a FIFO blocks, /dev/zero never ends
            raise FiguresError(str(path), ["不是普通文件（管道、设备等不能作为数据文件）"])
        text = path.read_text("utf-8")
    except FileNotFoundError as exc:
        raise FiguresError(str(path), ["文件不存在"]) from exc
    except IsADirectoryError as exc:
        raise FiguresError(str(path), ["是文件夹，不是数据文件"]) from exc
    except UnicodeDecodeError as exc:
        raise FiguresError(str(path), ["不是 UTF-8 文本"]) from exc
    except OSError as exc:
        raise FiguresError(str(path), [f"无法读取（{exc.strerror}）"]) from exc
    figures = parse_figures(text, str(path))
    if figures.previous is not None and not figures.previous.is_absolute():
        figures = figures.model_copy(update={"previous": (path.parent / figures.previous).resolve()})
    return figures


