//! Branches of `anyOf`, `oneOf` and `allOf`: matched by structure, then by tag,
//! then by the pairing that explains the change best; the rest added or removed.

use super::{has_null_type, listed, shown_types, types, Effect, Found, Severity, Values, Walk};
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};

impl<'a> Walk<'a> {
    /// `anyOf`, `oneOf`, `allOf`: branches matched by structure, then by tag, then
    /// by position; pairs compared, the rest reported added or removed.
    pub(super) fn compare_branches(
        &mut self,
        keyword: &str,
        old: &'a Value,
        new: &'a Value,
        at: &str,
    ) {
        let kinds = branch_kinds(keyword);
        let (a, b) = match (
            old.get(keyword).and_then(Value::as_array),
            new.get(keyword).and_then(Value::as_array),
        ) {
            (None, None) => return,
            (None, Some(_)) => {
                return self.push(
                    kinds[0],
                    at,
                    Values::Narrower,
                    format!("a `{keyword}` now constrains the value"),
                )
            }
            (Some(_), None) => {
                return self.push(
                    kinds[1],
                    at,
                    Values::Wider,
                    format!("the `{keyword}` is dropped"),
                )
            }
            (Some(a), Some(b)) => (a, b),
        };
        let (mut left_old, mut left_new) = self.unmatched(a, b);
        let mut pairs = self.paired_by_tag(a, b, &mut left_old, &mut left_new);
        let exclusive = keyword == "oneOf" && !(self.disjoint(a, true) && self.disjoint(b, false));
        let (grows, shrinks) = if keyword == "allOf" {
            (Values::Narrower, Values::Wider)
        } else if exclusive {
            (Values::Other, Values::Other)
        } else {
            (Values::Wider, Values::Narrower)
        };
        pairs.extend(self.paired_best(a, b, &mut left_old, &mut left_new, (shrinks, grows)));
        let saved = self.overlapping;
        self.overlapping = saved || exclusive;
        for (i, j) in pairs {
            self.compare(&a[i], &b[j], at);
        }
        self.overlapping = saved;
        // A branch of a union dropped while another allows all it did, or added
        // while another allowed all it does, moves no value.
        let union = keyword != "allOf" && !exclusive;
        for i in left_old {
            self.lone_branch((kinds[3], keyword), at, (&a[i], true), b, union, shrinks);
        }
        for j in left_new {
            self.lone_branch((kinds[2], keyword), at, (&b[j], false), a, union, grows);
        }
    }

    /// The branches of `a` (old) and `b` (new) left once each old branch that no
    /// change separates from a new one is matched with it.
    fn unmatched(&self, a: &'a [Value], b: &'a [Value]) -> (Vec<usize>, Vec<usize>) {
        let mut left_old: Vec<usize> = Vec::new();
        let mut left_new: Vec<usize> = (0..b.len()).collect();
        for (i, x) in a.iter().enumerate() {
            match left_new.iter().position(|&j| !self.differs(x, &b[j])) {
                Some(k) => {
                    left_new.remove(k);
                }
                None => left_old.push(i),
            }
        }
        (left_old, left_new)
    }

    /// Branches left paired by tag: a property every branch fixes to one value.
    fn paired_by_tag(
        &self,
        a: &'a [Value],
        b: &'a [Value],
        left_old: &mut Vec<usize>,
        left_new: &mut Vec<usize>,
    ) -> Vec<(usize, usize)> {
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        if let Some(tag) = self.common_tag(&[(a, true), (b, false)]) {
            left_old.retain(|&i| {
                let value = self.tag_value(&a[i], &tag, true);
                let same: Vec<usize> = left_new
                    .iter()
                    .copied()
                    .filter(|&j| self.tag_value(&b[j], &tag, false) == value)
                    .collect();
                if let [j] = same.as_slice() {
                    pairs.push((i, *j));
                    left_new.retain(|k| k != j);
                    false
                } else {
                    true
                }
            });
        }
        pairs
    }

    /// The rest by the pairing that explains the change best: one under which
    /// every change goes one way if there is one (pairs compared one by one are
    /// a sound account of the whole), then the fewest changes, then branches
    /// written most alike. A branch left alone moves values as `shrinks` (old)
    /// or `grows` (new).
    fn paired_best(
        &self,
        a: &'a [Value],
        b: &'a [Value],
        left_old: &mut Vec<usize>,
        left_new: &mut Vec<usize>,
        (shrinks, grows): (Values, Values),
    ) -> Vec<(usize, usize)> {
        let cost: Vec<Vec<(u32, Option<Values>)>> = left_old
            .iter()
            .map(|&i| {
                left_new
                    .iter()
                    .map(|&j| {
                        let found = self.found_between(&a[i], &b[j]);
                        let alike = distance(self.resolve(&a[i], true), self.resolve(&b[j], false));
                        let cost = (found.len() * 8 + alike)
                            .try_into()
                            .unwrap_or(UNPAIRED)
                            .min(UNPAIRED - 1);
                        (cost, relation(&found))
                    })
                    .collect()
            })
            .collect();
        let chosen = assign(&cost, shrinks, grows);
        let paired: Vec<(usize, usize)> = chosen
            .iter()
            .enumerate()
            .filter_map(|(k, choice)| choice.map(|c| (left_old[k], left_new[c])))
            .collect();
        left_old.retain(|i| !paired.iter().any(|(x, _)| x == i));
        left_new.retain(|j| !paired.iter().any(|(_, y)| y == j));
        paired
    }

    /// A branch of `keyword` on one side only (`old` or new), moving values as
    /// `values` says, unless it is a union's and a branch of the other side allows
    /// all it does: then no value moves.
    fn lone_branch(
        &mut self,
        (kind, keyword): (&str, &str),
        at: &str,
        (branch, old): (&'a Value, bool),
        others: &'a [Value],
        union: bool,
        values: Values,
    ) {
        let label = self.label(branch, old);
        let covered = union
            && others.iter().any(|other| {
                let (from, to, moves) = if old {
                    (branch, other, Values::Wider)
                } else {
                    (other, branch, Values::Narrower)
                };
                relation(&self.found_between(from, to)).is_none_or(|v| v == moves)
            });
        let what = match (old, covered) {
            (true, false) => format!("branch {label} of `{keyword}` is removed"),
            (true, true) => format!(
                "branch {label} of `{keyword}` is removed: another branch allows all it did"
            ),
            (false, false) => format!("branch {label} is added to `{keyword}`"),
            (false, true) => format!(
                "branch {label} is added to `{keyword}`: another branch already allowed all it does"
            ),
        };
        let effect = if covered {
            Effect::Fixed(Severity::Info)
        } else {
            Effect::Values(values)
        };
        self.push_effect(kind, at, effect, what, None);
    }

    /// How a branch is named in a message: its definition, title or tag.
    fn label(&self, branch: &Value, old: bool) -> String {
        if let Some(reference) = branch.get("$ref").and_then(Value::as_str) {
            return format!("`{}`", reference.rsplit('/').next().unwrap_or(reference));
        }
        let branch = self.resolve(branch, old);
        match branch.get("title").and_then(Value::as_str) {
            Some(title) => format!("`{title}`"),
            None => format!("of type {}", shown_types(&types(branch))),
        }
    }

    /// A property every branch of every side requires and fixes to one value.
    fn common_tag(&self, sides: &[(&'a [Value], bool)]) -> Option<String> {
        let mut common: Option<BTreeSet<String>> = None;
        for (branches, old) in sides {
            for branch in *branches {
                let resolved = self.resolve(branch, *old);
                let tags: BTreeSet<String> = resolved
                    .get("properties")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flat_map(|props| props.keys())
                    .filter(|name| self.tag_value(branch, name, *old).is_some())
                    .cloned()
                    .collect();
                common = Some(match common {
                    None => tags,
                    Some(before) => before.intersection(&tags).cloned().collect(),
                });
            }
        }
        common?.into_iter().next()
    }

    /// The one value `branch` allows for property `name`, if it requires the
    /// property and allows it one value.
    fn tag_value(&self, branch: &'a Value, name: &str, old: bool) -> Option<String> {
        let branch = self.resolve(branch, old);
        if !branch
            .get("required")?
            .as_array()?
            .iter()
            .any(|r| r == name)
        {
            return None;
        }
        let property = self.resolve(branch.get("properties")?.get(name)?, old);
        let values = listed(property)?;
        match values.len() {
            1 => values.into_iter().next(),
            _ => None,
        }
    }

    /// Whether no value can match two of `branches`: their tags or types differ.
    fn disjoint(&self, branches: &'a [Value], old: bool) -> bool {
        if let Some(tag) = self.common_tag(&[(branches, old)]) {
            let tags: BTreeSet<Option<String>> = branches
                .iter()
                .map(|b| self.tag_value(b, &tag, old))
                .collect();
            if tags.len() == branches.len() {
                return true;
            }
        }
        let sets: Vec<Option<BTreeSet<String>>> = branches
            .iter()
            .map(|b| {
                let b = self.resolve(b, old);
                types(b).filter(|_| !has_null_type(b))
            })
            .collect();
        sets.iter().enumerate().all(|(i, x)| {
            sets[i + 1..].iter().all(|y| match (x, y) {
                (Some(x), Some(y)) => !overlap(x, y),
                _ => false,
            })
        })
    }
}

/// What leaving a branch unpaired costs in [`assign`]: more than any pair.
const UNPAIRED: u32 = 400;
/// Beyond this many branches left on a side, pairs are chosen greedily.
const EXACT_ASSIGNMENT: usize = 10;

/// Which ways the values moved, as bits: 1 wider, 2 narrower.
fn ways(values: Option<Values>) -> u8 {
    match values {
        None => 0,
        Some(Values::Wider) => 1,
        Some(Values::Narrower) => 2,
        Some(Values::Other) => 3,
    }
}

/// The pairing of old branches (rows) with new ones (columns), each row paired with
/// one column or none, that moves values one way only if any does, then costs
/// least. A pair costs its `cost`; a row left alone moves values as `alone_old`, a
/// column as `alone_new`, each for [`UNPAIRED`]. Exhaustive over the columns used
/// (branches left after matching by structure and tag are few), greedy beyond
/// [`EXACT_ASSIGNMENT`].
fn assign(
    cost: &[Vec<(u32, Option<Values>)>],
    alone_old: Values,
    alone_new: Values,
) -> Vec<Option<usize>> {
    let columns = cost.first().map_or(0, Vec::len);
    if columns > EXACT_ASSIGNMENT {
        let mut used = vec![false; columns];
        return cost
            .iter()
            .map(|row| {
                let best = (0..columns)
                    .filter(|&c| !used[c] && row[c].1 != Some(Values::Other))
                    .min_by_key(|&c| row[c].0)?;
                used[best] = true;
                Some(best)
            })
            .collect();
    }
    type Partial = (u32, Vec<Option<usize>>);
    // By the columns used and the ways moved so far: the cheapest choices.
    let mut best: HashMap<(usize, u8), Partial> = HashMap::from([((0, 0), (0, Vec::new()))]);
    for row in cost {
        let mut next: HashMap<(usize, u8), Partial> = HashMap::new();
        for ((mask, moved), (total, choices)) in &best {
            let mut offer = |key: (usize, u8), total: u32, choice: Option<usize>| {
                let entry = next.entry(key).or_insert((u32::MAX, Vec::new()));
                if total < entry.0 {
                    let mut choices = choices.clone();
                    choices.push(choice);
                    *entry = (total, choices);
                }
            };
            offer(
                (*mask, moved | ways(Some(alone_old))),
                total + UNPAIRED,
                None,
            );
            for (c, (pair, values)) in row.iter().enumerate() {
                if mask & (1 << c) == 0 {
                    offer(
                        (mask | (1 << c), moved | ways(*values)),
                        total + pair,
                        Some(c),
                    );
                }
            }
        }
        best = next;
    }
    best.into_iter()
        .map(|((mask, moved), (total, choices))| {
            let alone = columns - mask.count_ones() as usize;
            let moved = if alone > 0 {
                moved | ways(Some(alone_new))
            } else {
                moved
            };
            let alone = u32::try_from(alone).unwrap_or(0) * UNPAIRED;
            ((moved == 3, total + alone), choices)
        })
        .min_by_key(|(key, _)| *key)
        .map(|(_, choices)| choices)
        .unwrap_or_default()
}

/// How many of the leaves (a path and a scalar, up to a bound) of two schemas as
/// written are in one only.
fn distance(a: &Value, b: &Value) -> usize {
    fn leaves(value: &Value, path: &mut String, out: &mut BTreeSet<String>) {
        if out.len() >= 256 {
            return;
        }
        let depth = path.len();
        match value {
            Value::Object(members) => {
                for (key, member) in members {
                    path.push('/');
                    path.push_str(key);
                    leaves(member, path, out);
                    path.truncate(depth);
                }
            }
            Value::Array(items) => {
                for item in items {
                    path.push_str("/[]");
                    leaves(item, path, out);
                    path.truncate(depth);
                }
            }
            scalar => {
                out.insert(format!("{path}={scalar}"));
            }
        }
    }
    let (mut x, mut y) = (BTreeSet::new(), BTreeSet::new());
    leaves(a, &mut String::new(), &mut x);
    leaves(b, &mut String::new(), &mut y);
    x.symmetric_difference(&y).count()
}

/// How the values allowed moved, all `found` together: `None` when none moved.
fn relation(found: &[Found]) -> Option<Values> {
    found
        .iter()
        .filter_map(|f| match f.effect {
            Effect::Values(v) | Effect::AtMost(v, _) => Some(v),
            Effect::Fixed(_) => None,
        })
        .reduce(Values::and)
}

fn overlap(a: &BTreeSet<String>, b: &BTreeSet<String>) -> bool {
    let numeric = |s: &BTreeSet<String>| s.contains("integer") || s.contains("number");
    a.iter().any(|t| b.contains(t)) || (numeric(a) && numeric(b))
}

/// The kinds of `keyword` (`anyOf`, `oneOf`, `allOf`): added, removed, branch
/// added, branch removed.
fn branch_kinds(keyword: &str) -> [&'static str; 4] {
    match keyword {
        "anyOf" => [
            "any-of-added",
            "any-of-removed",
            "any-of-branch-added",
            "any-of-branch-removed",
        ],
        "oneOf" => [
            "one-of-added",
            "one-of-removed",
            "one-of-branch-added",
            "one-of-branch-removed",
        ],
        _ => [
            "all-of-added",
            "all-of-removed",
            "all-of-branch-added",
            "all-of-branch-removed",
        ],
    }
}
