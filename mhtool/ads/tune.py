"""`mhtool ads tune`: weights and threshold learned from the director's reviews.

The model is the score itself: a weighted sum of the indicators that fire,
compared with a threshold. Weights are fitted as an L2-regularised logistic
regression on the reviewed ads with **non-negative** weights (every reason
stays a reason for risk), by ``scipy.optimize.minimize`` (L-BFGS-B with
bounds). scikit-learn's ``LogisticRegression`` cannot constrain the sign of
the weights and ``LinearRegression(positive=True)`` fits squares, not
log-loss; the bounded fit of the exact logistic loss is a few lines on top
of scipy, a well-kept library.

Indicators of one family (see ad_rules.toml) share one weight: their wording
counts once, their other evidence (a nationality column, places over time)
adds the same weight again, exactly as the score counts them.

After the fit the threshold is the score that gives the best F1 on the
training labels; the weights are scaled so that it equals the threshold of
the rules being tuned (numbers the director knows). Two rules of the rules
file are kept: ``under_21`` stays at or above the threshold (the law, not a
statistic), and every other indicator stays below it (it takes a
combination to make an ad risky).

Cross-validation is stratified k-fold with a fixed seed: the same labels
give the same figures on every machine.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from mhtool.ads.indicators import Fired

#: Below this, an indicator other than under_21 is capped (share of the threshold).
BELOW_THRESHOLD = 0.9
#: L2 penalty on the weights (not the intercept).
L2 = 1.0
SEED = 12


@dataclass
class Example:
    fired: list[Fired]
    risky: bool


@dataclass
class Confusion:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, predicted: bool, actual: bool) -> None:
        if predicted and actual:
            self.tp += 1
        elif predicted:
            self.fp += 1
        elif actual:
            self.fn += 1
        else:
            self.tn += 1

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None or p + r == 0:
            return None
        return 2 * p * r / (p + r)


@dataclass
class Tuned:
    weights: dict[str, float]  # indicator code -> weight
    threshold: float


def units(codes: list[str], families: dict[str, str | None]) -> list[str]:
    """The fitted parameters: one per family, one per indicator outside one."""
    out: list[str] = []
    for code in codes:
        unit = families.get(code) or code
        if unit not in out:
            out.append(unit)
    return out


def features(example: Example, unit_index: dict[str, int], families: dict[str, str | None]) -> list[float]:
    row = [0.0] * len(unit_index)
    worded: set[str] = set()
    for item in example.fired:
        unit = families.get(item.code) or item.code
        if item.family:
            if item.family in worded:
                continue
            worded.add(item.family)
        row[unit_index[unit]] += 1.0
    return row


def score(example: Example, weights: dict[str, float]) -> float:
    total, strongest = 0.0, dict[str, float]()
    for item in example.fired:
        weight = weights.get(item.code, 0.0)
        if item.family:
            strongest[item.family] = max(strongest.get(item.family, 0.0), weight)
        else:
            total += weight
    return round(total + sum(strongest.values()), 2)


def _best_threshold(scores: list[float], labels: list[bool]) -> float:
    best, best_f1 = None, -1.0
    for candidate in sorted(set(scores)):
        c = Confusion()
        for s, y in zip(scores, labels):
            c.add(s >= candidate, y)
        f1 = c.f1 or 0.0
        if f1 > best_f1 + 1e-12:
            best, best_f1 = candidate, f1
    return best if best is not None and best > 0 else 1.0


def fit(examples: list[Example], codes: list[str], families: dict[str, str | None], threshold: float) -> Tuned:
    """Fit weights on `examples`; scale them so the threshold is `threshold`."""
    import numpy as np
    from scipy.optimize import minimize

    names = units(codes, families)
    index = {u: i for i, u in enumerate(names)}
    x = np.array([features(e, index, families) for e in examples], dtype=float).reshape(len(examples), len(names))
    y = np.array([1.0 if e.risky else 0.0 for e in examples])

    def loss(params):
        beta, b0 = params[:-1], params[-1]
        z = x @ beta + b0
        p = 1.0 / (1.0 + np.exp(-z))
        value = np.sum(np.logaddexp(0.0, z) - y * z) + 0.5 * L2 * beta @ beta
        grad = np.append(x.T @ (p - y) + L2 * beta, np.sum(p - y))
        return value, grad

    start = np.append(np.full(len(names), 0.1), 0.0)
    bounds = [(0.0, None)] * len(names) + [(None, None)]
    result = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=bounds)
    raw = {u: float(w) for u, w in zip(names, result.x[:-1])}
    weights = {code: raw[families.get(code) or code] for code in codes}
    fitted = [score(e, weights) for e in examples]
    cut = _best_threshold(fitted, [e.risky for e in examples])
    scale = threshold / cut
    scaled = {code: round(w * scale, 2) for code, w in weights.items()}
    return Tuned(_keep_rules(scaled, threshold), float(threshold))


def _keep_rules(weights: dict[str, float], threshold: float) -> dict[str, float]:
    out = {}
    for code, weight in weights.items():
        weight = max(weight, threshold) if code == "under_21" else min(weight, round(BELOW_THRESHOLD * threshold, 2))
        out[code] = weight
    return out


def folds(examples: list[Example], k: int) -> list[list[int]]:
    """Stratified folds of indices, shuffled with a fixed seed."""
    rng = random.Random(SEED)
    out: list[list[int]] = [[] for _ in range(k)]
    for wanted in (True, False):
        members = [i for i, e in enumerate(examples) if e.risky == wanted]
        rng.shuffle(members)
        for position, i in enumerate(members):
            out[position % k].append(i)
    return out


@dataclass
class CrossValidation:
    current: Confusion = field(default_factory=Confusion)
    tuned: Confusion = field(default_factory=Confusion)
    curve: dict[int, Confusion] = field(default_factory=dict)  # percent of the training labels -> tuned
    per_fold: list[tuple[Confusion, Confusion]] = field(default_factory=list)


def _subsample(train: list[int], examples: list[Example], percent: int) -> list[int]:
    if percent >= 100:
        return train
    rng = random.Random(SEED + percent)
    chosen: list[int] = []
    for wanted in (True, False):
        members = [i for i in train if examples[i].risky == wanted]
        rng.shuffle(members)
        chosen += members[: max(1, round(len(members) * percent / 100))]
    return sorted(chosen)


def cross_validate(
    examples: list[Example],
    codes: list[str],
    families: dict[str, str | None],
    current: dict[str, float],
    threshold: float,
    k: int = 5,
    curve: tuple[int, ...] = (25, 50, 100),
) -> CrossValidation:
    cv = CrossValidation(curve={p: Confusion() for p in curve})
    for test in folds(examples, k):
        held = set(test)
        train = [i for i in range(len(examples)) if i not in held]
        fold_current, fold_tuned = Confusion(), Confusion()
        for percent in curve:
            part = _subsample(train, examples, percent)
            tuned = fit([examples[i] for i in part], codes, families, threshold)
            for i in test:
                predicted = score(examples[i], tuned.weights) >= tuned.threshold
                cv.curve[percent].add(predicted, examples[i].risky)
                if percent == 100:
                    cv.tuned.add(predicted, examples[i].risky)
                    fold_tuned.add(predicted, examples[i].risky)
        for i in test:
            predicted = score(examples[i], current) >= threshold
            cv.current.add(predicted, examples[i].risky)
            fold_current.add(predicted, examples[i].risky)
        cv.per_fold.append((fold_current, fold_tuned))
    return cv
