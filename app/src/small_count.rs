//! Small numbers in aggregate views (evaluations, reports): a count under five is shown as
//! "< 5", so a small group cannot be re-identified. Never shown beside a list of the people
//! counted, where it would hide nothing.

/// Counts below this are suppressed.
pub const SMALL_COUNT_LIMIT: u32 = 5;

/// `count` as an aggregate view shows it: "< 5" under five.
pub fn small_count_nl(count: u32) -> String {
    if count < SMALL_COUNT_LIMIT {
        "< 5".to_owned()
    } else {
        count.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_counts_are_hidden() {
        assert_eq!(small_count_nl(0), "< 5");
        assert_eq!(small_count_nl(4), "< 5");
        assert_eq!(small_count_nl(5), "5");
    }
}

/// A cell of a report's table as it is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Shown {
    /// The count itself.
    Count(u64),
    /// A count from 1 to 4: "< 5".
    Small,
    /// Hidden so that no small count can be worked out from the others and the totals (a
    /// secondary suppression): "x".
    Hidden,
}

impl Shown {
    /// As the report's table shows it, in Dutch.
    pub fn nl(self) -> String {
        match self {
            Shown::Count(count) => count.to_string(),
            Shown::Small => "< 5".to_owned(),
            Shown::Hidden => "x".to_owned(),
        }
    }

    fn of(count: u64) -> Self {
        if (1..u64::from(SMALL_COUNT_LIMIT)).contains(&count) {
            Shown::Small
        } else {
            Shown::Count(count)
        }
    }
}

/// A table of counts as a report shows it, with its row, column and grand totals.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SuppressedTable {
    pub cells: Vec<Vec<Shown>>,
    pub row_totals: Vec<Shown>,
    pub column_totals: Vec<Shown>,
    pub total: Shown,
}

/// Suppresses a table of counts (rows of equal length) for a report: every count from 1 to 4
/// becomes "< 5" (totals included), and further cells are hidden until no hidden cell can be
/// worked out from the shown cells and the totals. Zero is shown: it says nothing about a
/// person. Every report and export uses this, so they all hide the same cells.
///
/// Why it works: move the shown numbers to the right-hand side and the hidden ones form a
/// system of equations, one per row and column of the table with its margins. Each hidden
/// cell appears in exactly two of them (its row and its column), so the cells are the edges of
/// a bipartite graph between rows and columns, and a cell's value follows from the rest exactly
/// when its edge is a bridge (on no cycle). So: while some hidden cell is a bridge, hide one
/// more shown cell in its row or column, the smallest that is not zero (the least information
/// lost).
pub fn suppress_table(counts: &[Vec<u64>]) -> SuppressedTable {
    let rows = counts.len();
    let columns = counts.first().map_or(0, Vec::len);
    // The table with its margins: row `rows` holds the column totals, column `columns` the
    // row totals, and the corner the grand total.
    let mut full = vec![vec![0u64; columns + 1]; rows + 1];
    for (r, row) in counts.iter().enumerate() {
        for c in 0..columns {
            let count = row.get(c).copied().unwrap_or(0);
            full[r][c] = count;
            full[r][columns] += count;
            full[rows][c] += count;
            full[rows][columns] += count;
        }
    }
    let mut shown: Vec<Vec<Shown>> = full
        .iter()
        .map(|row| row.iter().map(|&count| Shown::of(count)).collect())
        .collect();
    while let Some((r, c)) = bridge(&shown) {
        // The smallest shown cell on the bridge's row or column, data cells before totals and
        // counts before zeros: a hidden zero protects little, as counts are never negative.
        let candidates = (0..=columns)
            .map(|column| (r, column))
            .chain((0..=rows).map(|row| (row, c)))
            .filter(|&(row, column)| matches!(shown[row][column], Shown::Count(_)));
        let Some((row, column)) = candidates.min_by_key(|&(row, column)| {
            let count = full[row][column];
            (row == rows || column == columns, count == 0, count)
        }) else {
            // Everything on both lines is hidden already; a bridge cannot remain then, but
            // hide the whole table rather than ever show a recoverable cell.
            for line in &mut shown {
                for cell in line
                    .iter_mut()
                    .filter(|cell| matches!(cell, Shown::Count(_)))
                {
                    *cell = Shown::Hidden;
                }
            }
            break;
        };
        shown[row][column] = Shown::Hidden;
    }
    let total = shown[rows][columns];
    let column_totals = shown[rows][..columns].to_vec();
    let row_totals = shown[..rows].iter().map(|row| row[columns]).collect();
    let cells = shown[..rows]
        .iter()
        .map(|row| row[..columns].to_vec())
        .collect();
    SuppressedTable {
        cells,
        row_totals,
        column_totals,
        total,
    }
}

/// Suppresses a table whose columns are different measures (runs, seats, participants) that
/// do not add up across a row: each column on its own with its total, as [`suppress_table`]
/// does a one-column table. Returns the cells by row and the columns' totals.
pub fn suppress_columns(counts: &[Vec<u64>]) -> (Vec<Vec<Shown>>, Vec<Shown>) {
    let columns = counts.first().map_or(0, Vec::len);
    let mut cells = vec![Vec::with_capacity(columns); counts.len()];
    let mut totals = Vec::with_capacity(columns);
    for c in 0..columns {
        let column: Vec<Vec<u64>> = counts
            .iter()
            .map(|row| vec![row.get(c).copied().unwrap_or(0)])
            .collect();
        let shown = suppress_table(&column);
        for (r, row) in shown.cells.iter().enumerate() {
            cells[r].push(row[0]);
        }
        totals.push(shown.total);
    }
    (cells, totals)
}

/// A hidden cell (row, column) whose value the shown cells and the totals give away: a bridge
/// in the graph whose vertices are the rows and columns and whose edges are the hidden cells.
fn bridge(shown: &[Vec<Shown>]) -> Option<(usize, usize)> {
    let rows = shown.len();
    let columns = shown.first().map_or(0, Vec::len);
    // Vertices: rows 0..rows, then columns rows..rows+columns. Edges: hidden cells.
    let mut edges = Vec::new();
    let mut adjacent = vec![Vec::new(); rows + columns];
    for (r, line) in shown.iter().enumerate() {
        for (c, cell) in line.iter().enumerate() {
            if !matches!(cell, Shown::Count(_)) {
                let edge = edges.len();
                edges.push((r, c));
                adjacent[r].push((rows + c, edge));
                adjacent[rows + c].push((r, edge));
            }
        }
    }
    // Tarjan's bridges, iteratively: discovery order and the lowest order reachable.
    let mut order = vec![usize::MAX; rows + columns];
    let mut low = vec![0; rows + columns];
    let mut next = 0;
    for root in 0..rows + columns {
        if order[root] != usize::MAX {
            continue;
        }
        // (vertex, the edge it was reached by, the next neighbour to look at)
        let mut stack = vec![(root, usize::MAX, 0usize)];
        order[root] = next;
        low[root] = next;
        next += 1;
        while let Some(&mut (vertex, via, ref mut at)) = stack.last_mut() {
            if let Some(&(neighbour, edge)) = adjacent[vertex].get(*at) {
                *at += 1;
                if edge == via {
                    continue;
                }
                if order[neighbour] == usize::MAX {
                    order[neighbour] = next;
                    low[neighbour] = next;
                    next += 1;
                    stack.push((neighbour, edge, 0));
                } else {
                    low[vertex] = low[vertex].min(order[neighbour]);
                }
            } else {
                stack.pop();
                if let Some(&(parent, _, _)) = stack.last() {
                    low[parent] = low[parent].min(low[vertex]);
                    if low[vertex] > order[parent] {
                        return Some(edges[via]);
                    }
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod table_tests {
    use super::*;

    /// The attacker: every published number and every row and column sum, solved for the
    /// hidden cells by Gaussian elimination; the hidden cells whose value is fixed.
    fn recoverable(counts: &[Vec<u64>], table: &SuppressedTable) -> Vec<(usize, usize)> {
        let rows = counts.len();
        let columns = counts[0].len();
        let cell = |r: usize, c: usize| -> Shown {
            match (r == rows, c == columns) {
                (false, false) => table.cells[r][c],
                (false, true) => table.row_totals[r],
                (true, false) => table.column_totals[c],
                (true, true) => table.total,
            }
        };
        let mut unknowns = Vec::new();
        for r in 0..=rows {
            for c in 0..=columns {
                if !matches!(cell(r, c), Shown::Count(_)) {
                    unknowns.push((r, c));
                }
            }
        }
        let index = |r: usize, c: usize| unknowns.iter().position(|&u| u == (r, c));
        // One equation per line: the cells of a row add up to its total, and so for columns.
        let mut equations: Vec<Vec<f64>> = Vec::new();
        let lines: Vec<Vec<((usize, usize), f64)>> = (0..=rows)
            .map(|r| {
                (0..columns)
                    .map(|c| ((r, c), 1.0))
                    .chain([((r, columns), -1.0)])
                    .collect()
            })
            .chain((0..=columns).map(|c| {
                (0..rows)
                    .map(|r| ((r, c), 1.0))
                    .chain([((rows, c), -1.0)])
                    .collect()
            }))
            .collect();
        for line in lines {
            let mut equation = vec![0.0; unknowns.len()];
            for ((r, c), sign) in line {
                if let Some(i) = index(r, c) {
                    equation[i] += sign;
                }
            }
            equations.push(equation);
        }
        // Reduced row echelon form.
        let mut pivots = Vec::new();
        let mut row = 0;
        for column in 0..unknowns.len() {
            let Some(found) = (row..equations.len()).find(|&i| equations[i][column].abs() > 1e-9)
            else {
                continue;
            };
            equations.swap(row, found);
            let pivot = equations[row][column];
            for value in &mut equations[row] {
                *value /= pivot;
            }
            let reduced = equations[row].clone();
            for (other, equation) in equations.iter_mut().enumerate() {
                if other != row && equation[column].abs() > 1e-9 {
                    let factor = equation[column];
                    for (value, by) in equation.iter_mut().zip(&reduced) {
                        *value -= factor * by;
                    }
                }
            }
            pivots.push((row, column));
            row += 1;
        }
        pivots
            .into_iter()
            .filter(|&(row, column)| {
                (0..unknowns.len()).all(|k| k == column || equations[row][k].abs() < 1e-9)
            })
            .map(|(_, column)| unknowns[column])
            .collect()
    }

    /// A small, fixed pseudo-random sequence (xorshift), so the property test is repeatable.
    struct Dice(u64);

    impl Dice {
        fn roll(&mut self, sides: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % sides
        }

        /// A table of up to `rows` × `columns` counts: a quarter zeros, a quarter from 1 to 4,
        /// the rest up to 39.
        fn table(&mut self, rows: u64, columns: u64) -> Vec<Vec<u64>> {
            let (rows, columns) = (1 + self.roll(rows), 1 + self.roll(columns));
            (0..rows)
                .map(|_| {
                    (0..columns)
                        .map(|_| match self.roll(4) {
                            0 => 0,
                            1 => 1 + self.roll(4),
                            _ => self.roll(40),
                        })
                        .collect()
                })
                .collect()
        }
    }

    #[test]
    fn no_suppressed_cell_can_be_worked_out_from_what_a_table_shows() {
        let mut dice = Dice(0x9E37_79B9_7F4A_7C15);
        for _ in 0..2_000 {
            let counts = dice.table(6, 6);
            let table = suppress_table(&counts);
            let found = recoverable(&counts, &table);
            assert!(
                found.is_empty(),
                "{counts:?} shown as {table:?}: {found:?} recoverable"
            );
            // Every count from 1 to 4 is hidden; every shown count is the true one.
            for (r, row) in counts.iter().enumerate() {
                for (c, &count) in row.iter().enumerate() {
                    match table.cells[r][c] {
                        Shown::Count(shown) => {
                            assert_eq!(shown, count);
                            assert!(!(1..=4).contains(&count));
                        }
                        Shown::Small => assert!((1..=4).contains(&count)),
                        Shown::Hidden => {}
                    }
                }
            }
        }
    }

    #[test]
    fn no_suppressed_cell_of_a_table_of_measures_can_be_worked_out() {
        let mut dice = Dice(0x2545_F491_4F6C_DD1D);
        for _ in 0..1_000 {
            let counts = dice.table(8, 4);
            let columns = counts[0].len();
            let (cells, totals) = suppress_columns(&counts);
            for c in 0..columns {
                // What the attacker sees of one column: its cells and its total (no row
                // totals: the measures do not add up across).
                let column: Vec<Vec<u64>> = counts.iter().map(|row| vec![row[c]]).collect();
                let shown = SuppressedTable {
                    cells: cells.iter().map(|row| vec![row[c]]).collect(),
                    row_totals: cells.iter().map(|row| row[c]).collect(),
                    column_totals: vec![totals[c]],
                    total: totals[c],
                };
                let found = recoverable(&column, &shown);
                assert!(found.is_empty(), "{column:?} as {shown:?}: {found:?}");
                for (r, row) in column.iter().enumerate() {
                    match shown.cells[r][0] {
                        Shown::Count(n) => assert!(n == row[0] && !(1..=4).contains(&n)),
                        Shown::Small => assert!((1..=4).contains(&row[0])),
                        Shown::Hidden => {}
                    }
                }
            }
        }
    }

    #[test]
    fn a_single_small_cell_takes_the_least_along() {
        // 3 in the corner: its row and column would give it away, so the smallest cells on
        // its lines go too, until the four hidden cells form a cycle.
        let table = suppress_table(&[vec![3, 10, 40], vec![20, 30, 50], vec![60, 70, 80]]);
        assert_eq!(table.cells[0][0], Shown::Small);
        assert_eq!(table.cells[0][1], Shown::Hidden);
        assert_eq!(table.cells[1][0], Shown::Hidden);
        assert_eq!(table.cells[1][1], Shown::Hidden);
        assert_eq!(table.cells[2][2], Shown::Count(80));
        assert_eq!(table.total, Shown::Count(363));
        assert_eq!(Shown::Small.nl(), "< 5");
        assert_eq!(Shown::Hidden.nl(), "x");
        // A zero beside a small count is no cover for it: a count is hidden instead.
        let beside_zero = suppress_table(&[vec![3, 0, 10], vec![6, 0, 12]]);
        assert_eq!(beside_zero.cells[0][1], Shown::Count(0));
        assert_eq!(beside_zero.cells[1][0], Shown::Hidden);
        // Nothing small: nothing hidden.
        let plain = suppress_table(&[vec![0, 10], vec![20, 30]]);
        assert!(
            plain
                .cells
                .iter()
                .flatten()
                .all(|cell| matches!(cell, Shown::Count(_)))
        );
    }
}
