//! A layered (Sugiyama-style) layout, left → right, for any directed graph with boxes of
//! known size: cycles broken by reversing the depth-first search's back edges, layers by
//! longest path (sources pulled next to their first successor), dummy vertices on edges
//! that span several layers, crossings reduced by barycenter sweeps (the best order kept),
//! and vertical positions by isotonic regression towards the neighbours' barycenter under
//! the minimum separations, so boxes in a column never overlap.
//!
//! Deterministic: only vectors and ordered maps, ties broken by index; the same graph
//! gives the same layout, to the pixel.

/// Width of one label character, px (≈ a 12 px sans-serif font; wide enough for digits
/// and capitals, so a label of `n` characters fits in `n × CHAR_WIDTH`).
pub const CHAR_WIDTH: f64 = 7.5;
/// Horizontal padding inside a box (both sides together), px.
pub const BOX_PADDING: f64 = 24.0;
/// The narrowest box, px.
pub const MIN_BOX_WIDTH: f64 = 64.0;
/// Height of an execution or artifact box (two lines: name, type), px.
pub const NODE_HEIGHT: f64 = 40.0;
/// Height of a stage box (three lines: name, type, counts), px.
pub const STAGE_HEIGHT: f64 = 56.0;
/// The least space between two layers (columns), px.
pub const LAYER_GAP: f64 = 72.0;
/// Width of one edge-label character, px (an 11 px font).
pub const EDGE_LABEL_CHAR_WIDTH: f64 = 6.5;
/// Vertical space between two boxes of a column, px.
pub const NODE_GAP: f64 = 20.0;
/// Margin around the drawing, px.
pub const MARGIN: f64 = 16.0;
/// Height reserved for an edge passing through a column, px.
const DUMMY_HEIGHT: f64 = 8.0;
/// Barycenter sweeps (down and up alternately).
const SWEEPS: usize = 8;
/// Coordinate passes (down and up alternately).
const PASSES: usize = 6;
/// The most dummy vertices made; longer edges beyond it are drawn straight.
const MAX_DUMMIES: usize = 20_000;

/// The size of a box whose longest line has `chars` characters.
pub fn node_size(chars: usize, stage: bool) -> (f64, f64) {
    let w = (chars as f64 * CHAR_WIDTH + BOX_PADDING).ceil().max(MIN_BOX_WIDTH);
    (w, if stage { STAGE_HEIGHT } else { NODE_HEIGHT })
}

/// An edge to lay out, by node index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LayoutEdge {
    /// Source node.
    pub from: usize,
    /// Target node.
    pub to: usize,
    /// Characters of its label (the gap after the source's layer makes room for it).
    pub label_chars: usize,
}

/// How one edge is drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    /// The edge runs right → left (it was reversed to break a cycle).
    pub reversed: bool,
    /// The polyline from source to target.
    pub points: Vec<[f64; 2]>,
}

/// A finished layout.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Each node's layer (column), 0 on the left.
    pub layers: Vec<u32>,
    /// Each node's top-left corner.
    pub positions: Vec<(f64, f64)>,
    /// Each edge's route, in input order.
    pub routes: Vec<Route>,
    /// Extent, px.
    pub width: f64,
    /// Extent, px.
    pub height: f64,
}

/// Lays out nodes of `sizes` (width, height) joined by `edges`.
///
/// Edges naming a node index out of range are drawn with no points.
pub fn layout(sizes: &[(f64, f64)], edges: &[LayoutEdge]) -> Layout {
    let n = sizes.len();
    let valid = |e: &LayoutEdge| e.from < n && e.to < n;
    let reversed = break_cycles(n, edges);
    // Edges in layer direction (self loops and invalid ones are left out).
    let forward: Vec<Option<(usize, usize)>> = edges
        .iter()
        .zip(&reversed)
        .map(|(e, &r)| {
            (valid(e) && e.from != e.to).then_some(if r { (e.to, e.from) } else { (e.from, e.to) })
        })
        .collect();
    let layer = assign_layers(n, &forward);

    // Vertices: the nodes, then dummies; each edge's chain of vertices.
    let mut v_layer: Vec<usize> = layer.clone();
    let mut v_height: Vec<f64> = sizes.iter().map(|s| s.1).collect();
    let mut chains: Vec<Vec<usize>> = Vec::with_capacity(edges.len());
    let mut dummies = 0;
    for f in &forward {
        let Some((u, v)) = *f else {
            chains.push(Vec::new());
            continue;
        };
        let span = layer[v] - layer[u];
        let mut chain = vec![u];
        if span > 1 && dummies + span - 1 <= MAX_DUMMIES {
            for l in layer[u] + 1..layer[v] {
                chain.push(v_layer.len());
                v_layer.push(l);
                v_height.push(DUMMY_HEIGHT);
                dummies += 1;
            }
        }
        chain.push(v);
        chains.push(chain);
    }
    let layer_count = v_layer.iter().max().map_or(0, |m| m + 1);
    let vn = v_layer.len();
    let mut up: Vec<Vec<usize>> = vec![Vec::new(); vn];
    let mut down: Vec<Vec<usize>> = vec![Vec::new(); vn];
    for chain in &chains {
        for w in chain.windows(2) {
            if v_layer[w[1]] == v_layer[w[0]] + 1 {
                down[w[0]].push(w[1]);
                up[w[1]].push(w[0]);
            }
        }
    }
    let mut order: Vec<Vec<usize>> = vec![Vec::new(); layer_count];
    for (v, &l) in v_layer.iter().enumerate() {
        order[l].push(v);
    }
    reduce_crossings(&mut order, &up, &down);

    // x: columns, each as wide as its widest box, gaps wide enough for edge labels.
    let mut col_width = vec![0.0f64; layer_count];
    for (i, s) in sizes.iter().enumerate() {
        col_width[layer[i]] = col_width[layer[i]].max(s.0);
    }
    let mut gap = vec![LAYER_GAP; layer_count];
    for (e, f) in edges.iter().zip(&forward) {
        if let Some((u, _)) = f {
            let need = e.label_chars as f64 * EDGE_LABEL_CHAR_WIDTH + 32.0;
            gap[layer[*u]] = gap[layer[*u]].max(need.ceil());
        }
    }
    let mut col_x = vec![MARGIN; layer_count];
    for l in 1..layer_count {
        col_x[l] = col_x[l - 1] + col_width[l - 1] + gap[l - 1];
    }

    // y: centers, column by column.
    let center = assign_y(&order, &up, &down, &v_height);
    let top_min = (0..vn).map(|v| center[v] - v_height[v] / 2.0).fold(f64::INFINITY, f64::min);
    let shift = if top_min.is_finite() { MARGIN - top_min } else { 0.0 };
    let top = |v: usize| (center[v] - v_height[v] / 2.0 + shift).round();
    let positions: Vec<(f64, f64)> = (0..n)
        .map(|i| ((col_x[layer[i]] + (col_width[layer[i]] - sizes[i].0) / 2.0).round(), top(i)))
        .collect();

    let routes = edges
        .iter()
        .zip(&chains)
        .zip(&reversed)
        .map(|((e, chain), &rev)| {
            if !valid(e) {
                return Route { reversed: false, points: Vec::new() };
            }
            if e.from == e.to {
                let (x, y) = positions[e.from];
                let (w, h) = sizes[e.from];
                let cy = y + h / 2.0;
                let points = vec![
                    [x + w, cy],
                    [x + w + 12.0, cy],
                    [x + w + 12.0, y - NODE_GAP / 2.0],
                    [x - 12.0, y - NODE_GAP / 2.0],
                    [x - 12.0, cy],
                    [x, cy],
                ];
                return Route { reversed: true, points };
            }
            let (first, last) = (chain[0], chain[chain.len() - 1]);
            let mut points =
                vec![[positions[first].0 + sizes[first].0, top(first) + sizes[first].1 / 2.0]];
            for &d in &chain[1..chain.len() - 1] {
                let l = v_layer[d];
                let cy = top(d) + DUMMY_HEIGHT / 2.0;
                points.push([col_x[l], cy]);
                points.push([col_x[l] + col_width[l], cy]);
            }
            points.push([positions[last].0, top(last) + sizes[last].1 / 2.0]);
            if rev {
                points.reverse();
            }
            Route { reversed: rev, points }
        })
        .collect();

    let width = (0..n).map(|i| positions[i].0 + sizes[i].0).fold(0.0, f64::max) + MARGIN;
    let height = (0..vn).map(|v| top(v) + v_height[v]).fold(0.0, f64::max) + MARGIN;
    Layout {
        layers: layer.iter().map(|&l| l as u32).collect(),
        positions,
        routes,
        width: if n == 0 { 0.0 } else { width },
        height: if n == 0 { 0.0 } else { height },
    }
}

/// The edges to reverse so that the graph has no cycle: the back edges of a depth-first
/// search from each node in index order, edges in input order (self loops count as
/// reversed).
fn break_cycles(n: usize, edges: &[LayoutEdge]) -> Vec<bool> {
    let mut out_edges: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    for (k, e) in edges.iter().enumerate() {
        if e.from < n && e.to < n {
            out_edges[e.from].push((e.to, k));
        }
    }
    let mut reversed = vec![false; edges.len()];
    // 0 unvisited, 1 on the stack, 2 done.
    let mut state = vec![0u8; n];
    for start in 0..n {
        if state[start] != 0 {
            continue;
        }
        let mut stack = vec![(start, 0usize)];
        state[start] = 1;
        while let Some(&(v, next)) = stack.last() {
            if let Some(&(w, k)) = out_edges[v].get(next) {
                if let Some(top) = stack.last_mut() {
                    top.1 += 1;
                }
                match state[w] {
                    0 => {
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    1 => reversed[k] = true,
                    _ => {}
                }
            } else {
                state[v] = 2;
                stack.pop();
            }
        }
    }
    reversed
}

/// Longest-path layers over acyclic `edges`; a source sits one layer before its nearest
/// successor (so an input artifact stands next to the execution that reads it).
fn assign_layers(n: usize, edges: &[Option<(usize, usize)>]) -> Vec<usize> {
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut indegree = vec![0usize; n];
    for &(u, v) in edges.iter().flatten() {
        succ[u].push(v);
        indegree[v] += 1;
    }
    let sources: Vec<usize> = (0..n).filter(|&v| indegree[v] == 0).collect();
    // Longest path: the result does not depend on the order nodes are taken in.
    let mut layer = vec![0usize; n];
    let mut ready = sources.clone();
    let mut left = indegree;
    while let Some(v) = ready.pop() {
        for &w in &succ[v] {
            layer[w] = layer[w].max(layer[v] + 1);
            left[w] -= 1;
            if left[w] == 0 {
                ready.push(w);
            }
        }
    }
    for &s in &sources {
        if let Some(nearest) = succ[s].iter().map(|&w| layer[w]).min() {
            layer[s] = nearest.saturating_sub(1);
        }
    }
    // Columns with nothing in them are closed up (sources moved right may leave some).
    let mut used = vec![false; n + 1];
    for &l in &layer {
        used[l] = true;
    }
    let mut new_index = vec![0usize; n + 1];
    let mut next = 0;
    for (l, &u) in used.iter().enumerate() {
        new_index[l] = next;
        next += usize::from(u);
    }
    layer.iter().map(|&l| new_index[l]).collect()
}

/// Barycenter sweeps down and up; keeps the order with the fewest crossings.
fn reduce_crossings(order: &mut [Vec<usize>], up: &[Vec<usize>], down: &[Vec<usize>]) {
    let vn = up.len();
    let mut pos = vec![0usize; vn];
    let index = |order: &[Vec<usize>], pos: &mut [usize]| {
        for layer in order {
            for (i, &v) in layer.iter().enumerate() {
                pos[v] = i;
            }
        }
    };
    index(order, &mut pos);
    let mut best = order.to_vec();
    let mut best_crossings = crossings(order, down, &pos);
    let mut bary = vec![0.0; vn];
    for sweep in 0..SWEEPS {
        let downward = sweep % 2 == 0;
        let layers = sweep_layers(order.len(), downward);
        for l in layers {
            let neighbours = if downward { up } else { down };
            for &v in &order[l] {
                let ns = &neighbours[v];
                bary[v] = if ns.is_empty() {
                    pos[v] as f64
                } else {
                    ns.iter().map(|&w| pos[w] as f64).sum::<f64>() / ns.len() as f64
                };
            }
            // Stable: equal barycenters keep their current order.
            merge_sort(&mut order[l], &|a, b| bary[a] < bary[b]);
            for (i, &v) in order[l].iter().enumerate() {
                pos[v] = i;
            }
        }
        let c = crossings(order, down, &pos);
        if c < best_crossings {
            best_crossings = c;
            best = order.to_vec();
        }
    }
    order.clone_from_slice(&best);
}

/// Sorts `v` stably by `less` (a merge sort: the one sort of the layout, written out so
/// the wasm carries no extra instance of the standard library's).
fn merge_sort(v: &mut [usize], less: &dyn Fn(usize, usize) -> bool) {
    if v.len() < 2 {
        return;
    }
    let mid = v.len() / 2;
    merge_sort(&mut v[..mid], less);
    merge_sort(&mut v[mid..], less);
    let mut merged = Vec::with_capacity(v.len());
    let (mut i, mut j) = (0, mid);
    while i < mid && j < v.len() {
        if less(v[j], v[i]) {
            merged.push(v[j]);
            j += 1;
        } else {
            merged.push(v[i]);
            i += 1;
        }
    }
    merged.extend_from_slice(&v[i..mid]);
    merged.extend_from_slice(&v[j..]);
    v.copy_from_slice(&merged);
}

/// Edge crossings between consecutive layers: for each source in order, the segments
/// already seen (from sources above it) that end below each of its targets (a Fenwick
/// tree over the next layer's positions).
fn crossings(order: &[Vec<usize>], down: &[Vec<usize>], pos: &[usize]) -> u64 {
    let mut total = 0;
    for pair in order.windows(2) {
        let m = pair[1].len();
        let mut tree = vec![0u64; m + 1];
        let mut seen = 0u64;
        for &v in &pair[0] {
            for &w in &down[v] {
                // Inserted targets at positions ≤ pos[w].
                let mut at_most = 0;
                let mut i = pos[w] + 1;
                while i > 0 {
                    at_most += tree[i];
                    i &= i - 1;
                }
                total += seen - at_most;
            }
            for &w in &down[v] {
                let mut i = pos[w] + 1;
                while i <= m {
                    tree[i] += 1;
                    i += i & i.wrapping_neg();
                }
                seen += 1;
            }
        }
    }
    total
}

/// Vertical centers: stacked, then moved towards the barycenter of their neighbours in
/// the previous (or next) column, keeping order and separation (isotonic regression).
fn assign_y(order: &[Vec<usize>], up: &[Vec<usize>], down: &[Vec<usize>], h: &[f64]) -> Vec<f64> {
    let mut center = vec![0.0; h.len()];
    for layer in order {
        let mut y = 0.0;
        for &v in layer {
            center[v] = y + h[v] / 2.0;
            y += h[v] + NODE_GAP;
        }
    }
    for pass in 0..PASSES {
        let downward = pass % 2 == 0;
        let layers = sweep_layers(order.len(), downward);
        for l in layers {
            let neighbours = if downward { up } else { down };
            let desired: Vec<f64> = order[l]
                .iter()
                .map(|&v| {
                    let ns = &neighbours[v];
                    if ns.is_empty() {
                        center[v]
                    } else {
                        ns.iter().map(|&w| center[w]).sum::<f64>() / ns.len() as f64
                    }
                })
                .collect();
            let placed = place(&order[l], &desired, h);
            for (&v, y) in order[l].iter().zip(placed) {
                center[v] = y;
            }
        }
    }
    center
}

/// Centers as close (least squares) to `desired` as the order and the separations allow:
/// with offsets `o` (the least distance from the first center), fit a non-decreasing
/// `z ≈ desired − o` by pooling adjacent violators, then `center = z + o`.
fn place(layer: &[usize], desired: &[f64], h: &[f64]) -> Vec<f64> {
    let mut offset = vec![0.0; layer.len()];
    for i in 1..layer.len() {
        offset[i] = offset[i - 1] + h[layer[i - 1]] / 2.0 + NODE_GAP + h[layer[i]] / 2.0;
    }
    // Blocks of (sum, count), each with the mean as its value.
    let mut blocks: Vec<(f64, usize)> = Vec::new();
    for (d, o) in desired.iter().zip(&offset) {
        blocks.push((d - o, 1));
        while blocks.len() > 1 {
            let (s2, c2) = blocks[blocks.len() - 1];
            let (s1, c1) = blocks[blocks.len() - 2];
            if s1 / c1 as f64 <= s2 / c2 as f64 {
                break;
            }
            blocks.pop();
            let last = blocks.len() - 1;
            blocks[last] = (s1 + s2, c1 + c2);
        }
    }
    let mut out = Vec::with_capacity(layer.len());
    for (s, c) in blocks {
        for _ in 0..c {
            out.push(s / c as f64 + offset[out.len()]);
        }
    }
    out
}

/// The layers a sweep visits, in order: downward from the second layer (each placed by
/// the layer before it), upward from the second last (each placed by the layer after it).
fn sweep_layers(layers: usize, downward: bool) -> Vec<usize> {
    if downward {
        (1..layers).collect()
    } else {
        (0..layers.saturating_sub(1)).rev().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edge(from: usize, to: usize) -> LayoutEdge {
        LayoutEdge { from, to, label_chars: 0 }
    }

    fn overlaps(l: &Layout, sizes: &[(f64, f64)]) -> Option<(usize, usize)> {
        for i in 0..sizes.len() {
            for j in i + 1..sizes.len() {
                let (a, b) = (l.positions[i], l.positions[j]);
                if a.0 < b.0 + sizes[j].0
                    && b.0 < a.0 + sizes[i].0
                    && a.1 < b.1 + sizes[j].1
                    && b.1 < a.1 + sizes[i].1
                {
                    return Some((i, j));
                }
            }
        }
        None
    }

    #[test]
    fn a_chain_goes_left_to_right() {
        let sizes = vec![(80.0, 40.0); 3];
        let l = layout(&sizes, &[edge(0, 1), edge(1, 2)]);
        assert_eq!(l.layers, [0, 1, 2]);
        assert!(l.positions[0].0 < l.positions[1].0 && l.positions[1].0 < l.positions[2].0);
        assert_eq!(l.routes[0].points, [[l.positions[0].0 + 80.0, 36.0], [l.positions[1].0, 36.0]]);
        assert!(l.routes.iter().all(|r| !r.reversed));
    }

    #[test]
    fn cycles_are_broken_and_still_drawn() {
        let sizes = vec![(80.0, 40.0); 3];
        let l = layout(&sizes, &[edge(0, 1), edge(1, 2), edge(2, 0), edge(1, 1)]);
        assert_eq!(l.routes.iter().filter(|r| r.reversed).count(), 2, "{:?}", l.routes);
        assert!(l.routes.iter().all(|r| r.points.len() >= 2));
        assert_eq!(overlaps(&l, &sizes), None);
    }

    #[test]
    fn long_edges_get_dummy_points_and_sources_sit_next_to_their_successor() {
        // 0 → 1 → 2 → 3, and 0 → 3 (spans 3 layers), 4 → 3 (a source pulled right).
        let sizes = vec![(80.0, 40.0); 5];
        let l = layout(&sizes, &[edge(0, 1), edge(1, 2), edge(2, 3), edge(0, 3), edge(4, 3)]);
        assert_eq!(l.layers, [0, 1, 2, 3, 2]);
        assert_eq!(l.routes[3].points.len(), 2 + 2 * 2);
        let xs: Vec<f64> = l.routes[3].points.iter().map(|p| p[0]).collect();
        assert!(xs.windows(2).all(|w| w[0] <= w[1]), "{xs:?}");
        assert_eq!(overlaps(&l, &sizes), None);
    }

    #[test]
    fn barycenter_sweeps_untangle_a_crossing() {
        // 0 → 3, 1 → 2: drawn in index order they cross; the sweeps swap them.
        let sizes = vec![(80.0, 40.0); 4];
        let l = layout(&sizes, &[edge(0, 3), edge(1, 2)]);
        let above = |a: usize, b: usize| l.positions[a].1 < l.positions[b].1;
        assert_eq!(above(0, 1), above(3, 2));
    }

    #[test]
    fn wide_graphs_never_overlap_and_are_deterministic() {
        // A fan: 40 sources into 1, 1 into 40 sinks, plus some cross links.
        let mut sizes = Vec::new();
        let mut edges = Vec::new();
        for i in 0..81 {
            sizes.push(node_size(5 + (i * 7) % 30, i % 9 == 0));
        }
        for i in 1..41 {
            edges.push(edge(i, 0));
            edges.push(edge(0, 40 + i));
            if i % 3 == 0 {
                edges.push(edge(i, 40 + (i * 5) % 40 + 1));
            }
        }
        let a = layout(&sizes, &edges);
        assert_eq!(overlaps(&a, &sizes), None);
        assert_eq!(a, layout(&sizes, &edges));
        for (i, p) in a.positions.iter().enumerate() {
            assert!(
                p.0 >= 0.0
                    && p.1 >= 0.0
                    && p.0 + sizes[i].0 <= a.width
                    && p.1 + sizes[i].1 <= a.height
            );
        }
    }

    #[test]
    fn labels_widen_the_gap_and_bad_edges_are_ignored() {
        let sizes = vec![(80.0, 40.0); 2];
        let plain = layout(&sizes, &[edge(0, 1)]);
        let labelled = layout(&sizes, &[LayoutEdge { from: 0, to: 1, label_chars: 40 }]);
        assert!(
            labelled.positions[1].0 - plain.positions[1].0
                >= 40.0 * EDGE_LABEL_CHAR_WIDTH - LAYER_GAP
        );
        let odd = layout(&sizes, &[edge(0, 7)]);
        assert!(odd.routes[0].points.is_empty());
        assert_eq!(layout(&[], &[]).width, 0.0);
    }

    #[test]
    fn a_big_tangled_graph_lays_out_within_the_dummy_budget() {
        // 2,000 nodes in a chain, plus 3,000 pseudo-random edges both ways (long edges and
        // cycles): the walk's worst case after expansions.
        let n = 2000;
        let sizes = vec![(90.0, 40.0); n];
        let mut edges: Vec<LayoutEdge> = (1..n).map(|i| edge(i - 1, i)).collect();
        let mut x: u64 = 42;
        for _ in 0..3000 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            edges.push(edge((x >> 33) as usize % n, (x >> 13) as usize % n));
        }
        let l = layout(&sizes, &edges);
        assert_eq!(l.routes.len(), edges.len());
        assert!(l.routes.iter().all(|r| r.points.len() >= 2));
        let mut by_layer: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, &layer) in l.layers.iter().enumerate() {
            by_layer[layer as usize].push(i);
        }
        // Boxes of one column never overlap (columns are apart by construction).
        for column in by_layer {
            let mut ys: Vec<f64> = column.iter().map(|&i| l.positions[i].1).collect();
            ys.sort_by(f64::total_cmp);
            assert!(ys.windows(2).all(|w| w[1] - w[0] >= 40.0), "{ys:?}");
        }
    }

    #[test]
    fn crossings_are_counted_and_the_sort_is_stable() {
        // Layer 0: [0, 1], layer 1: [2, 3]; 0 → 3 and 1 → 2 cross once, 0 → 2 adds none.
        let order = vec![vec![0, 1], vec![2, 3]];
        let down = vec![vec![3, 2], vec![2], vec![], vec![]];
        assert_eq!(crossings(&order, &down, &[0, 1, 0, 1]), 1);
        let key = [2.0, 1.0, 2.0, 0.0];
        let mut v = vec![0, 1, 2, 3];
        merge_sort(&mut v, &|a, b| key[a] < key[b]);
        assert_eq!(v, [3, 1, 0, 2]);
    }
}
