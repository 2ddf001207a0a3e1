"""A differencing attacker: which withheld counts can be worked out from what is published?

The attacker knows every published count and every equation the counts obey (Wrexham = sum of
its wards, a total = sum of its breakdown values, counts shared between indicators, declared
relations). Each equation with withheld cells gives a linear equation in the unknowns. An
unknown is recovered exactly when the equations determine it: its unit vector lies in the row
space of the coefficient matrix (equivalently, it has a zero component in every null-space
direction). This is the attack the issue asks for ("wards vs Wrexham, breakdown sums"),
generalised to every combination of published values at once.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import scipy.linalg


def recoverable(n_cells: int, hidden: np.ndarray, eqs: list[tuple[int, list[int]]]) -> set[int]:
    """Positions of withheld cells that the published equations determine exactly."""
    unknown = {cell: i for i, cell in enumerate(np.flatnonzero(hidden))}
    if not unknown:
        return set()
    # Work one connected group of unknowns at a time (keeps the matrices small).
    parent = list(range(len(unknown)))

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    rows = []
    for total, parts in eqs:
        members = [total] + parts
        coefficients = {unknown[m]: (1.0 if m == total else -1.0) for m in members if m in unknown}
        if coefficients:
            rows.append(coefficients)
            first = next(iter(coefficients))
            for other in coefficients:
                parent[find(other)] = find(first)
    groups = defaultdict(list)
    for u in range(len(unknown)):
        groups[find(u)].append(u)
    rows_by_group = defaultdict(list)
    for coefficients in rows:
        rows_by_group[find(next(iter(coefficients)))].append(coefficients)
    back = {i: cell for cell, i in unknown.items()}
    found = set()
    for root, members in groups.items():
        local = {u: j for j, u in enumerate(members)}
        matrix = np.zeros((len(rows_by_group[root]), len(members)))
        for r, coefficients in enumerate(rows_by_group[root]):
            for u, c in coefficients.items():
                matrix[r, local[u]] = c
        if matrix.shape[0] == 0:
            continue
        null = scipy.linalg.null_space(matrix)
        for u, j in local.items():
            if null.shape[1] == 0 or np.all(np.abs(null[j]) < 1e-9):
                found.add(back[u])
    return found
