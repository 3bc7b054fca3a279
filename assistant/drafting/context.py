"""Build the facts a draft may use from validated figures and the scorer's results."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from assistant.drafting.facts import Fact, rate
from assistant.figures import Figures, Money
from assistant.scoring.sheet import ScoreSheet


def money(m: Money, path: str) -> Fact:
    return Fact(m.value, "money", f"figures:{path}", m.unit)


def _common_unit_rate(a: Money, b: Money, source: str) -> Fact:
    return rate(a.to("元"), b.to("元"), source)


def figure_facts(f: Figures) -> dict[str, Any]:
    q = [Fact(v, "percent", f"figures:quarterly_progress[{i}]") for i, v in enumerate(f.quarterly_progress)]
    return {
        "unit": f.unit,
        "year": Fact(Decimal(f.year), "count", "figures:year"),
        "budget_initial": money(f.budget.initial, "budget.initial"),
        "budget_adjusted": money(f.budget.adjusted, "budget.adjusted"),
        "budget_actual": money(f.budget.actual, "budget.actual"),
        "execution_rate": _common_unit_rate(f.budget.actual, f.budget.adjusted, "budget.actual ÷ budget.adjusted"),
        "adjustment_amount": money(f.adjustment.amount, "adjustment.amount"),
        "adjustment_rate": _common_unit_rate(f.adjustment.amount, f.budget.initial, "adjustment.amount ÷ budget.initial"),
        "quarters": q,
        "procurement_plan": money(f.procurement.plan, "procurement.plan"),
        "procurement_actual": money(f.procurement.actual, "procurement.actual"),
        "procurement_rate": _common_unit_rate(f.procurement.actual, f.procurement.plan, "procurement.actual ÷ procurement.plan"),
        "staff_approved": Fact(Decimal(f.staff.approved), "count", "figures:staff.approved"),
        "staff_in_post": Fact(Decimal(f.staff.in_post), "count", "figures:staff.in_post"),
        "staff_external": Fact(Decimal(f.staff.external), "count", "figures:staff.external"),
        "staff_control_rate": rate(Decimal(f.staff.in_post), Decimal(f.staff.approved), "staff.in_post ÷ staff.approved"),
        "external_rate": rate(Decimal(f.staff.external), Decimal(f.staff.total_in_post), "staff.external ÷ staff.total_in_post"),
        "sangong_budget": money(f.sangong.budget, "sangong.budget"),
        "sangong_actual": money(f.sangong.actual, "sangong.actual"),
        "sangong_rate": _common_unit_rate(f.sangong.actual, f.sangong.budget, "sangong.actual ÷ sangong.budget"),
        "public_budget": money(f.public_funds.budget, "public_funds.budget"),
        "public_actual": money(f.public_funds.actual, "public_funds.actual"),
        "public_rate": _common_unit_rate(f.public_funds.actual, f.public_funds.budget, "public_funds.actual ÷ public_funds.budget"),
        "assets_original": money(f.assets.original_value, "assets.original_value"),
        "assets_in_use": money(f.assets.in_use_value, "assets.in_use_value"),
        "assets_rate": _common_unit_rate(f.assets.in_use_value, f.assets.original_value, "assets.in_use_value ÷ assets.original_value"),
        "projects_planned": Fact(Decimal(f.projects.planned), "count", "figures:projects.planned"),
        "projects_done": Fact(Decimal(f.projects.completed_on_time), "count", "figures:projects.completed_on_time"),
        "projects_rate": rate(Decimal(f.projects.completed_on_time), Decimal(f.projects.planned),
                              "projects.completed_on_time ÷ projects.planned"),
        "tasks_total": Fact(Decimal(f.key_tasks.total), "count", "figures:key_tasks.total"),
        "tasks_uncompleted": Fact(Decimal(f.key_tasks.uncompleted), "count", "figures:key_tasks.uncompleted"),
        "task_items": f.key_tasks.items,
        "satisfaction": Fact(f.satisfaction, "percent", "figures:satisfaction"),
        "disclosure": f.disclosure,
        "petitions": f.petitions,
        "problems": f.problems,
        "measures": f.measures,
        "next_steps": f.next_steps,
        "published_total": (Fact(f.published_total, "score", "figures:published_total")
                            if f.published_total is not None else None),
    }


def score_facts(sheet: ScoreSheet) -> dict[str, Any]:
    indicators = []
    for ind in sheet.indicators:
        indicators.append({
            "id": ind.id,
            "name": ind.name,
            "levels": ind.levels,
            "weight": Fact(ind.weight, "score", f"framework:{ind.rule_id}.weight"),
            "score": Fact(ind.score, "score", f"scorer:{ind.rule_id}"),
            "deduction": Fact(ind.deduction, "score", f"scorer:{ind.rule_id} (weight − score)"),
            "lost": ind.deduction > 0,
            "reason": ind.reason,
            "rule": ind.rule,
        })
    groups: dict[str, list[dict[str, Any]]] = {}
    for item in indicators:
        groups.setdefault(item["levels"][0], []).append(item)
    return {
        "framework_name": sheet.framework_name,
        "total": Fact(sheet.total, "score", "scorer:total"),
        "grade": sheet.grade,
        "indicators": {i["id"]: i for i in indicators},
        "groups": groups,
    }


def change_facts(current: dict[str, Any], previous: dict[str, Any] | None,
                 sheet: ScoreSheet | None = None, previous_sheet: ScoreSheet | None = None) -> dict[str, Any]:
    """Year-on-year changes for the rates and the total, when last year's figures are given."""
    if previous is None:
        return {"has_previous": False}
    # "上年" only for the year before; an older year is named ("较2021年")
    out: dict[str, Any] = {"has_previous": True, "previous_year": previous["year"],
                           "adjacent": previous["year"].value == current["year"].value - 1}
    if sheet is not None and previous_sheet is not None:
        # compare with the total that year's report published where it is given; say when the
        # recomputation under the rules differs from it
        published = previous.get("published_total")
        base = published.value if published is not None else previous_sheet.total
        diff = sheet.total - base
        out["previous_total"] = (published if published is not None
                                 else Fact(previous_sheet.total, "score", "scorer:total (previous year)"))
        out["previous_published"] = published is not None
        if published is not None and published.value != previous_sheet.total:
            out["previous_recomputed"] = Fact(previous_sheet.total, "score", "scorer:total (previous year)")
        out["total"] = Fact(abs(diff), "score", "derived: total this year − the previous total")
        out["total_up"] = diff > 0
    for key in ("execution_rate", "procurement_rate", "external_rate", "sangong_rate", "public_rate"):
        cur, prev = current[key], previous[key]
        q = Decimal("0.01")
        diff = cur.value.quantize(q, rounding=ROUND_HALF_UP) - prev.value.quantize(q, rounding=ROUND_HALF_UP)
        out[key] = Fact(diff, "points", f"derived: {key} this year − last year (each rounded to 0.01)")
        out[key + "_up"] = diff > 0
    return out
