"""Small helpers for record-level (person-level) demo data: pseudonyms, ids, overlaps,
durations and the registry of children.

Kept apart from the source modules because children's services, looked-after care, early
help and youth justice share them, and because each one is easy to test on its own.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .mess import stratified_uniforms
from .world import fy_start_year


def fixed_width_codes(prefix: str, values: np.ndarray, width: int, base: int = 10) -> np.ndarray:
    """Integers as prefixed fixed-width codes ('CN0000042', 'CH-3FA2C1'), vectorised.

    Builds the bytes with numpy instead of formatting a million strings one by one.
    """
    v = np.asarray(values, dtype=np.int64)
    powers = base ** np.arange(width - 1, -1, -1, dtype=np.int64)
    digits = (v[:, None] // powers[None, :]) % base
    chars = np.frombuffer(b"0123456789ABCDEF", dtype=np.uint8)[digits]
    pre = np.frombuffer(prefix.encode("ascii"), dtype=np.uint8)
    buf = np.concatenate([np.broadcast_to(pre, (len(v), len(pre))), chars], axis=1)
    size = len(pre) + width
    return np.ascontiguousarray(buf).view(f"S{size}").ravel().astype(f"U{size}").astype(object)


def pseudonyms(rng: np.random.Generator, n: int, prefix: str = "CH-", width: int = 6) -> np.ndarray:
    """n unique pseudonyms like 'CH-3FA2C1' drawn from rng (no uuid4, no wall clock).

    Draws with a margin, drops repeats keeping first occurrences (order-preserving, so the
    result depends only on the stream), and widens the code when 6 hex digits would be
    crowded (beyond about 2 million people, e.g. at very large scales).
    """
    while n > (16**width) // 8:
        width += 2
    space = 16**width
    got = np.empty(0, dtype=np.int64)
    while len(got) < n:
        draw = rng.integers(0, space, size=int((n - len(got)) * 1.1) + 16, dtype=np.int64)
        pool = np.concatenate([got, draw])
        _, first = np.unique(pool, return_index=True)
        got = pool[np.sort(first)]
    return fixed_width_codes(prefix, got[:n], width, base=16)


def sequential_ids(prefix: str, n: int, width: int = 7) -> np.ndarray:
    """'CN0000001', 'CN0000002', ... as a system numbers records in the order it made them."""
    return fixed_width_codes(prefix, np.arange(1, n + 1), width)


def resolve_roots(parent: np.ndarray) -> np.ndarray:
    """Follow parent pointers to the root of each chain (pointer jumping, log-depth passes)."""
    root = parent.copy()
    while True:
        nxt = root[root]
        if np.array_equal(nxt, root):
            return root
        root = nxt


def drop_overlaps(person: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Mask of records to keep so that one person never has two open at once.

    A record starting while an earlier record of the same person is still open is dropped
    (a second plan is not opened for a child who already has one). end may be NaT (open);
    open ends count as the far future.
    """
    far = np.datetime64("2100-01-01", "D")
    end_f = np.where(np.isnat(end), far, end)
    keep = np.ones(len(person), dtype=bool)
    # iterate: dropping a record can un-block a later one, so repeat until stable (few passes)
    for _ in range(100):
        idx = np.flatnonzero(keep)
        order = idx[np.lexsort((start[idx], person[idx]))]
        p = person[order]
        e = end_f[order].astype(np.int64)
        s = start[order].astype(np.int64)
        # running maximum of earlier ends within each person
        frame = pd.DataFrame({"p": p, "e": e})
        prev_max = frame.groupby("p", sort=False)["e"].cummax().groupby(frame["p"]).shift(1)
        prev_max = prev_max.to_numpy(dtype=float)
        clash = np.nan_to_num(prev_max, nan=-np.inf) >= s
        if not clash.any():
            break
        # drop only the first clash per person in this pass, so later records are re-judged
        # against the records actually kept (after 100 passes, drop every remaining clash)
        first = pd.Series(clash).groupby(p).cumsum().to_numpy() == 1
        keep[order[clash & first] if _ < 99 else order[clash]] = False
    return keep


def days(years) -> np.ndarray:
    """Years (float) as whole-day timedeltas."""
    return np.round(np.asarray(years) * 365.25).astype("timedelta64[D]")


def by_fy(dates: np.ndarray, table: dict[int, float]) -> np.ndarray:
    """Look up a per-financial-year parameter for each date (clamped to the table's years)."""
    fy = np.clip(fy_start_year(dates), min(table), max(table))
    lookup = np.array([table[y] for y in range(min(table), max(table) + 1)])
    return lookup[fy - min(table)]


def mixture_durations(
    rng: np.random.Generator,
    groups: np.ndarray,
    short_share: float,
    short_mean: float,
    long_mean: float,
    cap: float = 17.5,
) -> np.ndarray:
    """Durations (years) from a two-exponential mixture, stratified within each group.

    Stratifying the quantiles within each group (e.g. each year's entrants) keeps the number
    still open at any date close to its expectation, so stocks hit their targets whatever
    the seed.
    """
    u = stratified_uniforms(rng, groups)
    grid = np.concatenate([np.linspace(0, 2, 2001), np.linspace(2.001, cap, 4000)])
    survival = short_share * np.exp(-grid / short_mean) + (1 - short_share) * np.exp(-grid / long_mean)
    # survival falls from 1 to ~0: invert by interpolation on the reversed grid
    return np.interp(1 - u, survival[::-1], grid[::-1])


def cap_at_18(birth: np.ndarray, child: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Nothing in children's services outlives the 18th birthday."""
    return np.minimum(end, birth[child] + days(np.full(len(child), 18.0)))


class Children:
    """The registry of simulated children (birth date, home ward), appended in batches.

    Every record-level table refers to children by their index here; pseudonyms are drawn
    once for the whole registry at the end, so a child has one child_ref everywhere.
    """

    def __init__(self) -> None:
        self._birth: list[np.ndarray] = []
        self._ward: list[np.ndarray] = []
        self.n = 0

    def add(self, birth: np.ndarray, ward: np.ndarray) -> np.ndarray:
        """Register children; returns their indices."""
        self._birth.append(np.asarray(birth, dtype="datetime64[D]"))
        self._ward.append(np.asarray(ward, dtype=np.int64))
        idx = np.arange(self.n, self.n + len(birth))
        self.n += len(birth)
        return idx

    def birth(self) -> np.ndarray:
        """Birth dates of every registered child so far."""
        return np.concatenate(self._birth)

    def frame(self) -> tuple[np.ndarray, np.ndarray]:
        """Birth dates and home wards of every registered child."""
        return np.concatenate(self._birth), np.concatenate(self._ward)
