//! The extension keywords bankschema reads in a schema, named once for the
//! generator, the runtime and the command line.

/// The prefix of every extension keyword bankschema reads. Any other keyword with
/// it is refused, so that a misspelt one (`x-bankschema-mony`) is not silently
/// ignored.
pub const PREFIX: &str = "x-bankschema-";

/// Marks a `number` schema as an amount of money: it becomes an exact decimal
/// (`Money`); on a `string` schema (an amount sent as text), `MoneyText`.
pub const MONEY: &str = "x-bankschema-money";

/// Marks a string enum whose provider may add values: one it does not list is read
/// (as `Unknown`) with a warning, not refused.
pub const TOLERANT: &str = "x-bankschema-tolerant";

/// Attaches prose rules to the schema of the field (or object) they govern:
/// `"x-bankschema-rules": ["iso13616.iban"]`.
pub const RULES: &str = "x-bankschema-rules";
