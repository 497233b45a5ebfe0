"""The scoring rules of 国办秘函〔2019〕19号, as plain functions over a scheme's tree.

- Any veto indicator found → 不合格, whatever the points.
- Points are earned points, entered at any level: a group's score is its own points, or the
  sum of its children's. Within one indicator the points cannot exceed its 分值.
- First-level groups marked 不适用 are left out and the deduction part is rescaled to the
  full points (the national 75 × 4/3 rule for departments without 办事服务).
- Bonus counts only when the deduction part is above the scheme's bonus threshold (80).
- A total below the pass mark (60) → 不合格. A target with no points and no veto is 合格.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .choices import IndicatorKind

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Node:
    id: int
    name: str
    kind: str
    max_points: Decimal | None
    parent_id: int | None
    children: tuple[int, ...] = ()


@dataclass(frozen=True)
class SchemeTree:
    """A scheme's indicators, loaded once and shared by every assessment of a check."""

    nodes: Mapping[int, Node]
    roots: tuple[int, ...]
    pass_mark: Decimal
    bonus_threshold: Decimal
    by_name: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, scheme) -> SchemeTree:
        indicators = list(scheme.indicators.order_by("order", "pk"))
        children: dict[int | None, list[int]] = {}
        for ind in indicators:
            children.setdefault(ind.parent_id, []).append(ind.pk)
        nodes = {
            ind.pk: Node(ind.pk, ind.name, ind.kind, ind.max_points, ind.parent_id,
                         tuple(children.get(ind.pk, ())))
            for ind in indicators
        }
        return cls(nodes, tuple(children.get(None, ())), scheme.pass_mark,
                   scheme.bonus_threshold, {ind.name: ind.pk for ind in indicators})

    def groups(self, kind: str | None = None) -> list[Node]:
        """First-level indicators, optionally of one kind."""
        return [self.nodes[i] for i in self.roots if kind is None or self.nodes[i].kind == kind]

    def scored_groups(self) -> list[Node]:
        """The first-level groups that carry points (扣分 and 加分), in scheme order."""
        return [n for n in self.groups() if n.kind != IndicatorKind.VETO]

    def veto_ids(self) -> set[int]:
        return {n.id for n in self.nodes.values() if n.kind == IndicatorKind.VETO}

    def descendants(self, node_id: int) -> list[int]:
        out = []
        for child in self.nodes[node_id].children:
            out.append(child)
            out.extend(self.descendants(child))
        return out

    def group_of(self, node_id: int) -> int:
        while self.nodes[node_id].parent_id is not None:
            node_id = self.nodes[node_id].parent_id
        return node_id

    def full_deduction_points(self) -> Decimal:
        return sum((n.max_points or Decimal(0) for n in self.groups(IndicatorKind.DEDUCTION)),
                   Decimal(0))


@dataclass(frozen=True)
class Result:
    group_scores: dict[int, Decimal | None]
    deduction: Decimal | None
    bonus: Decimal | None
    total: Decimal | None
    vetoed: bool
    passed: bool


def points_problems(tree: SchemeTree, points: Mapping[int, Decimal],
                    not_applicable: Iterable[int] = ()) -> dict[int, str]:
    """Every indicator whose points break a rule, with the message (in Chinese)."""
    problems: dict[int, str] = {}
    skipped = set(not_applicable)
    for node_id, value in points.items():
        node = tree.nodes[node_id]
        if node.kind == IndicatorKind.VETO:
            problems[node_id] = f"“{node.name}”是单项否决指标，没有分值"
        elif value < 0:
            problems[node_id] = f"“{node.name}”的得分不能小于0"
        elif node.max_points is not None and value > node.max_points:
            problems[node_id] = f"“{node.name}”的得分不能超过分值{_plain(node.max_points)}分"
        elif tree.group_of(node_id) in skipped:
            problems[node_id] = f"“{tree.nodes[tree.group_of(node_id)].name}”已标为不适用，不应填写得分"
        else:
            scored_below = [d for d in tree.descendants(node_id) if d in points]
            if scored_below:
                problems[node_id] = (
                    f"“{node.name}”与其下级指标“{tree.nodes[scored_below[0]].name}”不能同时填写得分"
                )
    return problems


def node_score(tree: SchemeTree, node_id: int, points: Mapping[int, Decimal]) -> Decimal | None:
    """An indicator's points, or the sum of its children's; None when nothing is entered."""
    if node_id in points:
        return points[node_id]
    child_scores = [node_score(tree, c, points) for c in tree.nodes[node_id].children]
    given = [s for s in child_scores if s is not None]
    return sum(given, Decimal(0)) if given else None


def compute(tree: SchemeTree, points: Mapping[int, Decimal], vetoes: Iterable[int] = (),
            not_applicable: Iterable[int] = ()) -> Result:
    """The assessment's group scores, total and verdict. Points must be valid
    (see points_problems)."""
    skipped = set(not_applicable)
    vetoed = bool(set(vetoes) & tree.veto_ids())
    group_scores = {g.id: None if g.id in skipped else node_score(tree, g.id, points)
                    for g in tree.scored_groups()}
    deduction_groups = [g for g in tree.groups(IndicatorKind.DEDUCTION) if g.id not in skipped]
    raw = [group_scores[g.id] for g in deduction_groups if group_scores[g.id] is not None]
    deduction = None
    if raw:
        deduction = sum(raw, Decimal(0))
        applicable = sum((g.max_points or Decimal(0) for g in deduction_groups), Decimal(0))
        full = tree.full_deduction_points()
        if skipped and applicable:
            deduction = deduction * full / applicable
        deduction = deduction.quantize(CENT, ROUND_HALF_UP)
    bonus_raw = [group_scores[g.id] for g in tree.groups(IndicatorKind.BONUS)
                 if group_scores[g.id] is not None]
    bonus = None
    if bonus_raw and deduction is not None and deduction > tree.bonus_threshold:
        bonus = sum(bonus_raw, Decimal(0))
    total = None if deduction is None else deduction + (bonus or Decimal(0))
    passed = not vetoed and (total is None or total >= tree.pass_mark)
    return Result(group_scores, deduction, bonus, total, vetoed, passed)


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"
