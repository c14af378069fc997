//! The sites of a schema merged into one tree of template steps, walked once per
//! payload: the interpreted form of the walk the generator writes for typed values.
//!
//! Walking each site's template on its own (the [`Walker`]) looks every shared
//! prefix up again, builds a path for every container and a list per site; on a
//! small payload that cost more than the rules did. The plan is built once per
//! schema (`bankschema-runtime` keeps it beside the compiled schema); a walk reads
//! each member a template names once, places each value by the indices its `*`s
//! stood for, and hands it straight to its rule, as the generated walk does.

use crate::walk::{Match, Walker};
use crate::{nothing_rejected, pointer, Rejected};
use crate::{Finding, Findings, Indices, Node, Options, Site, MAX_STARS};
use std::borrow::Cow;

/// The sites' templates as a tree of steps, shared prefixes once.
pub struct Plan<'s> {
    sites: &'s [Site],
    /// `steps[0]` is the root.
    steps: Vec<Step>,
    /// Sites whose templates have more `*`s than a value can be placed by: walked
    /// by template.
    walked: Vec<usize>,
}

/// One step of the templates: the sites that end there and the steps beyond it.
struct Step {
    /// The templates' text up to this step (`/items/*`), for the pointers of
    /// values walked below it.
    prefix: &'static str,
    /// How many `*`s `prefix` has.
    stars: usize,
    /// The sites whose template ends here.
    ends: Vec<usize>,
    /// The steps through a member of an object: its name (unescaped), and the step.
    members: Vec<(Cow<'static, str>, usize)>,
    /// The step through every element of an array (or member of an object).
    every: Option<usize>,
    /// Every site whose template goes through this step's `every`.
    under_every: Vec<usize>,
}

impl Step {
    fn new(prefix: &'static str, stars: usize) -> Step {
        Step {
            prefix,
            stars,
            ends: Vec::new(),
            members: Vec::new(),
            every: None,
            under_every: Vec::new(),
        }
    }
}

impl<'s> Plan<'s> {
    /// The plan of `sites`.
    pub fn new(sites: &'s [Site]) -> Plan<'s> {
        let mut plan = Plan {
            sites,
            steps: vec![Step::new("", 0)],
            walked: Vec::new(),
        };
        for (site, Site { at, .. }) in sites.iter().enumerate() {
            // A template of more `*`s than a value can be placed by, or not spelled
            // as RFC 6901 writes its names (the text of a placed value's pointer is
            // its template's, and two spellings of one name would share a step).
            let stars = at.split('/').filter(|token| *token == "*").count();
            if stars > MAX_STARS || !pointer::is_canonical(at) {
                plan.walked.push(site);
                continue;
            }
            let mut step = 0;
            let mut end = 0;
            for token in at.split('/').skip(1) {
                end += 1 + token.len();
                let stars = plan.steps[step].stars;
                step = if token == "*" {
                    plan.steps[step].under_every.push(site);
                    match plan.steps[step].every {
                        Some(next) => next,
                        None => {
                            let next = plan.add(Step::new(&at[..end], stars + 1));
                            plan.steps[step].every = Some(next);
                            next
                        }
                    }
                } else {
                    let name = pointer::unescape(token);
                    let known = plan.steps[step].members.iter().find(|(n, _)| *n == name);
                    match known {
                        Some(&(_, next)) => next,
                        None => {
                            let next = plan.add(Step::new(&at[..end], stars));
                            let name = Cow::Owned(name.into_owned());
                            plan.steps[step].members.push((name, next));
                            next
                        }
                    }
                };
            }
            plan.steps[step].ends.push(site);
        }
        plan
    }

    fn add(&mut self, step: Step) -> usize {
        self.steps.push(step);
        self.steps.len() - 1
    }

    /// Every rule breach in `payload`, as [`crate::check`] gives them: site by site,
    /// in payload order within a site.
    pub fn check<'a, N: Node<'a>>(&self, payload: N, options: &Options) -> Vec<Finding> {
        self.check_except(payload, options, &nothing_rejected)
    }

    /// [`check`](Self::check), without the findings at the values `rejected` says
    /// a report already rejects (`rejected(pointer)`), nor those whose verdict read
    /// one: a report that holds the schema's errors keeps one verdict per value, and
    /// the messages of the findings it would drop are never written.
    pub fn check_except<'a, N: Node<'a>>(
        &self,
        payload: N,
        options: &Options,
        rejected: &dyn Fn(&str) -> bool,
    ) -> Vec<Finding> {
        let mut walk = Walk {
            plan: self,
            options,
            rejected,
            findings: Findings::default(),
            compared: self.sites.iter().map(|_| Vec::new()).collect(),
        };
        walk.step(0, payload, None, [0; MAX_STARS]);
        for &site in &self.walked {
            let found = Walker::new(payload).matches(self.sites[site].at);
            walk.found(site, found);
        }
        let Walk {
            mut findings,
            compared,
            ..
        } = walk;
        for (site, found) in compared.into_iter().enumerate() {
            if self.sites[site].rule.compares_values() {
                findings.run(self.sites, site, &found, options, rejected);
            }
        }
        findings.into_findings()
    }
}

/// One walk of a payload along a plan.
struct Walk<'p, 's, 'a, N> {
    plan: &'p Plan<'s>,
    options: &'p Options,
    rejected: Rejected<'p>,
    findings: Findings,
    /// Per site whose rule compares its values, those values, kept until the walk
    /// ends.
    compared: Vec<Vec<Match<'a, N>>>,
}

impl<'a, N: Node<'a>> Walk<'_, '_, 'a, N> {
    /// `value` reached at step `step`, held by `parent`, its `*`s standing for
    /// `indices`.
    fn step(&mut self, step: usize, value: N, parent: Option<N>, indices: Indices) {
        let plan = self.plan;
        let here = &plan.steps[step];
        for &site in &here.ends {
            let at = plan.sites[site].at;
            self.found(site, [Match::placed(at, indices, value, parent)]);
        }
        for (name, next) in &here.members {
            if let Some(child) = value.get(name) {
                self.step(*next, child, Some(value), indices);
            }
        }
        let Some(every) = here.every else {
            return;
        };
        if let Some(elements) = value.elements() {
            for (i, element) in elements.into_iter().enumerate() {
                let mut indices = indices;
                indices[here.stars] = i;
                self.step(every, element, Some(value), indices);
            }
        } else if value.is_object() {
            // A `*` over an object's members: the value is placed by its name, which
            // indices cannot say. Walked by template from here, as rare as it is.
            for &site in &here.under_every {
                let rest = &plan.sites[site].at[here.prefix.len()..];
                let found = Walker::below(value, here.prefix, &indices).matches(rest);
                self.found(site, found);
            }
        }
    }

    /// Values of `site`: judged now, or kept until the walk ends when its rule
    /// compares them.
    fn found<F>(&mut self, site: usize, found: F)
    where
        F: AsRef<[Match<'a, N>]> + IntoIterator<Item = Match<'a, N>>,
    {
        let sites = self.plan.sites;
        if sites[site].rule.compares_values() {
            self.compared[site].extend(found);
        } else {
            let (options, rejected) = (self.options, self.rejected);
            self.findings
                .run(sites, site, found.as_ref(), options, rejected);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Finding, Rule};
    use serde_json::{json, Value};

    /// The findings of each site walked by its own template, one after another:
    /// what the plan must give.
    fn by_template(sites: &[Site], payload: &Value, options: &Options) -> Vec<Finding> {
        let mut findings = Findings::default();
        for (site, Site { at, .. }) in sites.iter().enumerate() {
            let found = Walker::new(payload).matches(at);
            findings.run(sites, site, &found, options, &nothing_rejected);
        }
        findings.into_findings()
    }

    fn summary(findings: &[Finding]) -> Vec<(String, &'static str, String)> {
        findings
            .iter()
            .map(|f| (f.pointer.clone(), f.rule.id, f.message.clone()))
            .collect()
    }

    #[test]
    fn the_plan_finds_what_each_template_finds_in_the_same_order() {
        let sites = [
            Site::new("/items/*/iban", "/a", Rule::Iban),
            Site::new("/items/*/id", "/b", Rule::UniqueId),
            Site::new(
                "/items/*/balances/*/currency",
                "/c",
                Rule::Currency {
                    multi_currency: false,
                },
            ),
            Site::new(
                "/items/*/currency",
                "/d",
                Rule::Currency {
                    multi_currency: true,
                },
            ),
            // `*` over an object's members, and compared across them.
            Site::new("/by~1name/*/id", "/e", Rule::UniqueId),
            Site::new("/by~1name/*/code", "/f", Rule::SortCode),
            // More `*`s than a value can be placed by.
            Site::new("/deep/*/*/*/*/*", "/g", Rule::AccountNumber),
            Site::new("", "/h", Rule::IdentifierPresent),
            Site::new("/", "/i", Rule::Bic),
            // Names not spelled as RFC 6901 writes them, one beside its standard
            // spelling, and a template without its leading `/`.
            Site::new("/~", "/j", Rule::Iban),
            Site::new("/~02/x", "/k", Rule::Iban),
            Site::new("/~2/*/y", "/l", Rule::Iban),
            Site::new("qqqqqq/by~1name/*/code", "/m", Rule::SortCode),
        ];
        let payloads = [
            json!({
                "items": [
                    {"iban": "GB28NWBK60161331926819", "id": "a", "currency": "gbp",
                     "balances": [{"currency": "EUR"}, {"currency": "XXX"}, {}]},
                    {"iban": "GB29NWBK60161331926819", "id": "a", "balances": null},
                    "not an object",
                    {"id": "b", "balances": {"x": {"currency": "ZZZ"}}, "currency": "XXX"},
                ],
                "by/name": {"p": {"id": "x", "code": "12"}, "q": {"id": "x", "code": "123456"}},
                "deep": [[[[[ "1", "12345678" ]]]], {"k": [[["9"]]]}],
                "": "BANKGB2L1",
                "~": "X",
                "~2": {"x": "Y", "m": {"y": "Z"}},
            }),
            json!({"items": {"one": {"iban": "X", "id": "a"}, "two": {"id": "a"}}}),
            json!({"by/name": [{"id": "y"}, {"id": "y", "code": "1"}], "": 7}),
            json!([1, 2]),
            json!("text"),
        ];
        let options = Options::default();
        let plan = Plan::new(&sites);
        for payload in &payloads {
            let planned = plan.check(payload, &options);
            let walked = by_template(&sites, payload, &options);
            assert_eq!(summary(&planned), summary(&walked), "{payload}");
        }
        assert!(plan.check(&payloads[0], &options).len() > 8);
        let skipped = Options::default().allow("unique-id").unwrap();
        assert!(plan
            .check(&payloads[0], &skipped)
            .iter()
            .all(|f| f.rule.id != "unique-id"));
    }

    #[test]
    fn findings_at_rejected_values_or_read_from_them_are_never_written() {
        let sites = [
            Site::new(
                "/items/*/currency",
                "/a",
                Rule::Currency {
                    multi_currency: false,
                },
            ),
            Site::new("/items/*/statementBalance", "/b", Rule::CreditOnly),
        ];
        let payload = json!({"items": [
            {"currency": "gbp", "accountType": "Current", "statementBalance": 1},
            {"currency": "usd", "accountType": "Current", "statementBalance": 2},
        ]});
        let plan = Plan::new(&sites);
        let all = plan.check(&payload, &Options::default());
        assert_eq!(all.len(), 4);
        let asked = std::cell::RefCell::new(Vec::new());
        let rejected = |pointer: &str| {
            asked.borrow_mut().push(pointer.to_owned());
            pointer == "/items/0/currency" || pointer == "/items/1/accountType"
        };
        let kept = plan.check_except(&payload, &Options::default(), &rejected);
        let pointers: Vec<&str> = kept.iter().map(|f| f.pointer.as_str()).collect();
        assert_eq!(pointers, ["/items/1/currency", "/items/0/statementBalance"]);
        assert!(asked.borrow().contains(&"/items/1/accountType".to_owned()));
    }

    /// Payloads of the sites' own names and values, nested at random.
    fn payload() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            (0u32..3).prop_map(Value::from),
            "GB29NWBK60161331926819|gbp|EUR|XXX|a|12|12345678".prop_map(Value::String),
        ];
        leaf.prop_recursive(6, 48, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map(
                    "items|id|iban|currency|balances|by/name|code|deep|",
                    inner,
                    0..4
                )
                .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        /// On any payload, the plan gives what each template walked on its own gives.
        #[test]
        fn the_plan_agrees_with_the_templates_on_any_payload(payload in payload()) {
            let sites = [
                Site::new("/items/*/iban", "/a", Rule::Iban),
                Site::new("/items/*/id", "/b", Rule::UniqueId),
                Site::new("/items/*/balances/*/currency", "/c", Rule::Currency {
                    multi_currency: false,
                }),
                Site::new("/*/*/currency", "/d", Rule::Currency {
                    multi_currency: true,
                }),
                Site::new("/by~1name/*/id", "/e", Rule::UniqueId),
                Site::new("/by~1name/*/code", "/f", Rule::SortCode),
                Site::new("/deep/*/*/*/*/*", "/g", Rule::AccountNumber),
                Site::new("/*", "/h", Rule::SingleDefault),
                Site::new("", "/i", Rule::IdentifierPresent),
            ];
            let options = Options::default();
            let planned = Plan::new(&sites).check(&payload, &options);
            let walked = by_template(&sites, &payload, &options);
            proptest::prop_assert_eq!(summary(&planned), summary(&walked));
        }
    }
}
