//! The `x-bankschema-` keywords of a schema, each checked where it stands.

use super::{single_type, Dialect, Normaliser, MONEY, RULES, TOLERANT};
use crate::error::Result;
use crate::model::Warning;
use bankschema_rules::redact::kind_of;
use serde_json::{Map, Value};

impl Normaliser<'_> {
    /// An `x-bankschema-` keyword: checked where it stands, kept in the output. A
    /// misspelt one (`x-bankschema-mony`) would do nothing, silently: it is refused.
    pub(super) fn extension(
        &mut self,
        object: &Map<String, Value>,
        key: &str,
        item: &Value,
        here: &str,
        out: &mut Map<String, Value>,
    ) -> Result<()> {
        match key {
            MONEY => self.money(object, item, here)?,
            TOLERANT => self.tolerant(object, item, here)?,
            RULES => {}
            _ => {
                return Err(self.error(
                    here,
                    format!("unknown extension `{key}`: a schema takes `{MONEY}`, `{TOLERANT}` and `{RULES}`"),
                ))
            }
        }
        out.insert(key.to_owned(), item.clone());
        Ok(())
    }

    /// The one type of `object`; a type list is read as `nullable` in OpenAPI 3.1
    /// only.
    pub(super) fn single_type<'o>(&self, object: &'o Map<String, Value>) -> Option<&'o str> {
        if self.dialect == Dialect::OpenApi31 {
            single_type(object)
        } else {
            object.get("type").and_then(Value::as_str)
        }
    }

    /// `x-bankschema-money`: `true` or `false` beside `type: number` or a string
    /// with an anchored decimal `pattern`.
    pub(super) fn money(
        &mut self,
        object: &Map<String, Value>,
        item: &Value,
        here: &str,
    ) -> Result<()> {
        let typed = self.single_type(object);
        if !item.is_boolean() || !matches!(typed, Some("number" | "string")) {
            return Err(self.error(
                here,
                format!(
                    "`{MONEY}` is `true` or `false` beside `type: number` (an amount sent as a number) or `type: string` (sent as text, with a decimal `pattern`); found {} beside {}",
                    kind_of(item),
                    typed.map_or("no single type".to_owned(), |t| format!("`type: {t}`"))
                ),
            ));
        }
        let pattern = object.get("pattern").and_then(Value::as_str);
        let anchored = pattern.is_some_and(|p| p.starts_with('^') && p.ends_with('$'));
        if typed == Some("string") && !anchored {
            self.warnings.push(Warning {
                pointer: here.to_owned(),
                message: format!(
                    "`{MONEY}` on a string {}: text that is no decimal passes, and `MoneyText::amount` is `None` for it",
                    if pattern.is_some() { "whose `pattern` is not anchored (`^...$`)" } else { "without a `pattern`" }
                ),
            });
        }
        Ok(())
    }

    /// `x-bankschema-tolerant`: `true` or `false` beside `type: string` and an
    /// `enum` of strings.
    pub(super) fn tolerant(
        &self,
        object: &Map<String, Value>,
        item: &Value,
        here: &str,
    ) -> Result<()> {
        let strings = self.single_type(object) == Some("string")
            && object
                .get("enum")
                .and_then(Value::as_array)
                .is_some_and(|values| {
                    values.iter().all(|v| v.is_string() || v.is_null())
                        && values.iter().any(Value::is_string)
                });
        if !item.is_boolean() || !strings {
            return Err(self.error(
                here,
                format!(
                    "`{TOLERANT}` is `true` or `false` beside `type: string` and an `enum` of strings (whose unknown values are then read as `Unknown`, with a warning); found {} beside {}",
                    kind_of(item),
                    object.get("enum").map_or("no `enum`".to_owned(), |e| format!("`enum: {e}`"))
                ),
            ));
        }
        Ok(())
    }
}
