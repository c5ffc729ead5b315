#!/usr/bin/env python3
"""Max-flow instances of several families, as DIMACS files, for the peer harness.

    python3 benches/peers/families.py FAMILY NODES SEED OUT.dimacs

Families (each written from its published description, not from the original C code):

- `layered`: a plain layered supply chain of this project's own writing, unlike `generate_dimacs`'s
  (which follows the embedded datasets): six layers (mines 35 %, concentrators 25 %, separators
  5 %, refiners 5 %, magnet makers 15 %, buyers 15 % of the nodes); plant sizes log-normal
  (sigma 1.5); each node sends to 1 to 6 nodes of the next layer (uniform), half of them among
  its nearest by index (a "region") and half anywhere; 1 % of arcs skip a layer. The source feeds
  every mine with its size; every buyer sends its size to the sink; an arc carries the smaller
  of the two ends' sizes times a uniform factor in [0.5, 1.5].
- `genrmf-long`, `genrmf-wide`: Goldfarb and Grigoriadis's GENRMF (1988), as described for the
  first DIMACS implementation challenge: `b` frames, each an `a` x `a` grid whose neighbours are
  joined both ways with capacity `c2 * a * a`; each node of frame `i` joins one node of frame
  `i + 1` through a random permutation, with a capacity uniform in `[c1, c2]` (1 and 10,000
  here). The source is the first node of the first frame, the sink the last node of the last.
  Long: `a = n^(1/4)`, `b = n / a^2`; wide: `a = n^(2/5)`, `b = n / a^2` (the challenge's
  shapes).
- `rlg-long`, `rlg-wide`: the random level graph of Anderson and Setubal's Washington generator
  (DIMACS challenge): levels of `r` nodes; each node sends to 3 random nodes of the next level
  with capacities uniform in `[1, 10,000]`; the source feeds every node of the first level and
  every node of the last feeds the sink (capacity 1,000,000). Long: `r = 64` nodes per level;
  wide: 64 levels.
- `ak`: Cherkassky and Goldberg's AK networks, built to be hard for push-relabel (used in "On
  implementing the push-relabel method for the maximum flow problem", Algorithmica 19, 1997;
  the structure below is that of their deterministic generator `ak.c` of 1994, read from a
  public copy of the DIMACS generators, and written here anew).
  For a parameter `k` (`4k + 6` nodes, `6k + 7` arcs, no randomness), two gadgets side by side
  between source and sink, each fed and drained by arcs of capacity 1,000,000. The first: a
  path of `k + 1` nodes whose `j`-th arc (from 0) has capacity `k - j + 1`, every path node but
  the last sending 1 to a collector node, the last sending 1 to the collector and 1 straight to
  the first gadget's exit; the collector then reaches that exit through a path of `k` arcs of
  capacity `k + 1`. The second: a path of `2k + 2` nodes with arcs of capacity `k`, and `k`
  unit arcs that jump ahead on it, from its `j`-th node to its `(2k + 1 - j)`-th. The maximum
  flow is `2k + 2` (`k + 2` through the first gadget, `k` through the second); the network's
  depth is about `k`.

Deterministic for a seed (Python's `random.Random`). Node counts are rounded to the shape.
"""

import math
import random
import sys


def write(path, nodes, arcs, source, sink):
    with open(path, "w") as f:
        f.write(f"p max {nodes} {len(arcs)}\n")
        f.write(f"n {source} s\nn {sink} t\n")
        f.write("".join(f"a {u} {v} {c}\n" for u, v, c in arcs))
    print(f"{path}: {nodes} nodes, {len(arcs)} arcs", file=sys.stderr)


def layered(n, rng):
    shares = [0.35, 0.25, 0.05, 0.05, 0.15, 0.15]
    counts = [max(1, round(n * s)) for s in shares]
    layers, next_id = [], 2  # 1 is the source
    for c in counts:
        layers.append(list(range(next_id, next_id + c)))
        next_id += c
    sink = next_id
    size = {v: max(1, int(1000 * rng.lognormvariate(0, 1.5))) for layer in layers for v in layer}
    arcs = [(1, v, size[v]) for v in layers[0]]
    for i, layer in enumerate(layers[:-1]):
        nxt = layers[i + 1]
        for k, u in enumerate(layer):
            centre = k * len(nxt) // len(layer)
            for j in range(rng.randint(1, 6)):
                if j % 2 == 0:
                    v = nxt[min(len(nxt) - 1, max(0, centre + rng.randint(-3, 3)))]
                else:
                    v = rng.choice(nxt)
                if i + 2 < len(layers) and rng.random() < 0.01:
                    v = rng.choice(layers[i + 2])
                cap = max(1, int(min(size[u], size[v]) * rng.uniform(0.5, 1.5)))
                arcs.append((u, v, cap))
    arcs += [(v, sink, size[v]) for v in layers[-1]]
    return sink, arcs, 1, sink


def genrmf(n, rng, wide):
    a = max(2, round(n ** (0.4 if wide else 0.25)))
    b = max(2, round(n / (a * a)))
    c1, c2 = 1, 10_000
    node = lambda f, x, y: 1 + f * a * a + x * a + y
    arcs = []
    inner = c2 * a * a
    for f in range(b):
        for x in range(a):
            for y in range(a):
                u = node(f, x, y)
                if x + 1 < a:
                    arcs += [(u, node(f, x + 1, y), inner), (node(f, x + 1, y), u, inner)]
                if y + 1 < a:
                    arcs += [(u, node(f, x, y + 1), inner), (node(f, x, y + 1), u, inner)]
        if f + 1 < b:
            perm = list(range(a * a))
            rng.shuffle(perm)
            for k in range(a * a):
                arcs.append((1 + f * a * a + k, 1 + (f + 1) * a * a + perm[k], rng.randint(c1, c2)))
    nodes = a * a * b
    return nodes, arcs, 1, nodes


def rlg(n, rng, wide):
    if wide:
        levels, r = 64, max(1, n // 64)
    else:
        levels, r = max(2, n // 64), 64
    node = lambda l, k: 2 + l * r + k
    arcs = [(1, node(0, k), 1_000_000) for k in range(r)]
    for l in range(levels - 1):
        for k in range(r):
            for _ in range(3):
                arcs.append((node(l, k), node(l + 1, rng.randrange(r)), rng.randint(1, 10_000)))
    sink = 2 + levels * r
    arcs += [(node(levels - 1, k), sink, 1_000_000) for k in range(r)]
    return sink, arcs, 1, sink


def ak(n, _rng):
    k = max(2, (n - 6) // 4)
    big = 1_000_000
    s, t = 1, 2
    arcs = []
    # First gadget: path 3 .. k+3, collector k+4, then a path from the collector to its exit
    # 2k+4.
    collector, exit1 = k + 4, 2 * k + 4
    for j in range(k):
        arcs.append((3 + j, 4 + j, k - j + 1))
        arcs.append((3 + j, collector, 1))
    arcs.append((k + 3, exit1, 1))
    arcs.append((k + 3, collector, 1))
    for v in range(collector, exit1):
        arcs.append((v, v + 1, k + 1))
    # Second gadget: path 2k+5 .. 4k+6 with jumps ahead.
    first2, last2 = exit1 + 1, 4 * k + 6
    for v in range(first2, last2):
        arcs.append((v, v + 1, k))
    for j in range(k):
        arcs.append((first2 + j, last2 - 1 - j, 1))
    arcs += [(s, 3, big), (s, first2, big), (exit1, t, big), (last2, t, big)]
    return last2, arcs, s, t


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    family, n, seed, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    rng = random.Random(seed)
    makers = {
        "layered": lambda: layered(n, rng),
        "genrmf-long": lambda: genrmf(n, rng, False),
        "genrmf-wide": lambda: genrmf(n, rng, True),
        "rlg-long": lambda: rlg(n, rng, False),
        "rlg-wide": lambda: rlg(n, rng, True),
        "ak": lambda: ak(n, rng),
    }
    if family not in makers:
        sys.exit(f"unknown family {family!r}; one of {', '.join(makers)}")
    nodes, arcs, source, sink = makers[family]()
    write(out, nodes, arcs, source, sink)


if __name__ == "__main__":
    main()
