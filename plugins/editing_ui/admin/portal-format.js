/* How the editing UI writes front matter (story.md, the campaign pages):
 * YAML that the site's reader (PyYAML, YAML 1.1: portal/frontmatter.py)
 * reads back as the values typed.
 *
 * Decap CMS writes YAML 1.2, where `Yes`, `no`, `On`, `off` and `1_000` are
 * text and so are left unquoted; YAML 1.1 reads them as true, false and
 * 1000, so a chapter titled "No" became an error in ./dev check, and a
 * value `=` made the whole front matter unreadable. This is Decap's own
 * front matter format (the same `yaml` library and version, the same
 * reading), registered under its name, writing with the YAML 1.1 schema:
 * text that YAML 1.1 or PyYAML would read as something else is quoted
 * ("0:18" too, as the sample stories write times), and the days of date
 * fields are written as dates (date: 2019-10-12), as the editors' guide
 * does. Fields keep the form's order, as Decap keeps them.
 *
 * Loaded as a module by index.html; the `yaml` files are copied from
 * node_modules by plugins/editing_ui/plugin.py.
 */
import { YAML } from "./yaml/index.js";

// Decap's reading of YAML (decap-cms-core/src/formats/yaml.ts).
const timestampTag = {
  identify: (value) => value instanceof Date,
  default: true,
  tag: "!timestamp",
  test: RegExp(
    "^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2}(\\.[0-9]+)?)Z$"
  ),
  resolve: (text) => new Date(text),
  stringify: (value) => value.value.toISOString(),
};

function parseYaml(text) {
  const doc = YAML.parseDocument(text, { customTags: [timestampTag], prettyErrors: true });
  for (const warning of doc.warnings) console.warn(`YAML warning: ${warning.message}`);
  if (doc.errors.length > 0) {
    throw new Error(`YAML parsing error:\n${doc.errors.map((e) => e.message).join("\n")}`);
  }
  return doc.toJSON();
}

// What PyYAML's resolver reads as something other than text
// (yaml/resolver.py: bool, float, int, merge, null, timestamp, value).
const PYYAML_IMPLICIT = [
  /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  /^(?:<<)$/,
  /^(?:~|null|Null|NULL|)$/,
  /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/,
  /^(?:=)$/,
];

export function readAsText(text) {
  return !PYYAML_IMPLICIT.some((pattern) => pattern.test(text));
}

// The form's date fields (their names), noted by portal-cms.js as it draws
// them: a day there (2019-10-12) is written as a date, not as text.
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function withDates(value, dateFields, key) {
  if (typeof value === "string" && dateFields.has(key) && DAY.test(value)) {
    const [, year, month, day] = DAY.exec(value);
    return new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  }
  if (Array.isArray(value)) return value.map((item) => withDates(item, dateFields, key));
  if (value && typeof value === "object" && !(value instanceof Date)) {
    const out = {};
    for (const [name, item] of Object.entries(value)) out[name] = withDates(item, dateFields, name);
    return out;
  }
  return value;
}

// Quote every text PyYAML would read as something else.
function quoteText(node) {
  if (!node) return;
  if (Array.isArray(node.items)) {
    for (const item of node.items) {
      if (item && "key" in item) {
        quoteText(item.key);
        quoteText(item.value);
      } else {
        quoteText(item);
      }
    }
  } else if (typeof node.value === "string" && !readAsText(node.value)) {
    node.type = "QUOTE_DOUBLE";
  }
}

// Decap's order: the form's fields first, in order (formats/helpers.ts).
function sortKeys(sortedKeys) {
  return (a, b) => {
    const indexA = sortedKeys.indexOf(a.key && a.key.toString());
    const indexB = sortedKeys.indexOf(b.key && b.key.toString());
    if (indexA === -1 || indexB === -1) return 0;
    return indexA - indexB;
  };
}

export function stringifyYaml(data, sortedKeys = [], dateFields = new Set()) {
  const doc = new YAML.Document({ version: "1.1" });
  doc.setSchema();
  doc.contents = doc.schema.createNode(withDates(data, dateFields, ""), true);
  if (doc.contents && doc.contents.items) doc.contents.items.sort(sortKeys(sortedKeys));
  quoteText(doc.contents);
  return String(doc);
}

// Front matter as the site reads it: a line "---", the YAML, a line "---",
// then the body (portal/frontmatter.py); Decap keeps the body as `body`.
export function frontmatter(dateFields) {
  return {
    fromFile(content) {
      const text = content.replace(/^\uFEFF/, "");
      const lines = text.split(/(?<=\n)/);
      if (!lines.length || lines[0].trim() !== "---") return text.trim() ? { body: text } : {};
      let end = lines.length;
      for (let index = 1; index < lines.length; index += 1) {
        if (lines[index].trim() === "---") {
          end = index;
          break;
        }
      }
      const data = parseYaml(lines.slice(1, end).join("")) || {};
      const body = lines.slice(end + 1).join("");
      return Object.assign({}, data, body.trim() ? { body } : {});
    },
    toFile(data, sortedKeys = []) {
      const { body = "", ...meta } = data;
      return `---\n${stringifyYaml(meta, sortedKeys, dateFields).trim()}\n---\n${body}`;
    },
  };
}

const CMS = window.CMS;
if (CMS) {
  // Decap looks its formats up by name each time it reads or writes a file,
  // its own after the ones registered: this one replaces its
  // yaml-frontmatter for every collection that names it.
  window.portalDateFields = window.portalDateFields || new Set();
  CMS.registerCustomFormat("yaml-frontmatter", "md", frontmatter(window.portalDateFields));
}
