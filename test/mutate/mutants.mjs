// Mutant generation for the mutation run (run.mjs): classic operators applied one at a time to one
// line of a TypeScript source: flip ===/!==, move a comparison's boundary, swap &&/||, flip true/false,
// drop a unary `!`, change a number (n -> n+1, n -> 0), delete a statement that is a call or an
// assignment, and make a `return <value>;` return undefined. Comments, string contents, imports and
// type-only lines are never mutated. Each mutant keeps the line count, so file:line stays true.

/** The line with string literals, template literals, regex-free comments blanked (same length). */
function mask(line, state) {
  let out = "";
  let i = 0;
  while (i < line.length) {
    if (state.block) {
      const end = line.indexOf("*/", i);
      if (end < 0) return out + " ".repeat(line.length - i);
      out += " ".repeat(end + 2 - i);
      i = end + 2;
      state.block = false;
      continue;
    }
    if (state.template) {
      const end = line.indexOf("`", i);
      if (end < 0) return out + " ".repeat(line.length - i);
      out += `${" ".repeat(end - i)}\``;
      i = end + 1;
      state.template = false;
      continue;
    }
    const c = line[i];
    const two = line.slice(i, i + 2);
    if (two === "//") return out + " ".repeat(line.length - i);
    if (two === "/*") {
      state.block = true;
      out += "  ";
      i += 2;
      continue;
    }
    if (c === "`") {
      state.template = true;
      out += "`";
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < line.length && line[j] !== c) j += line[j] === "\\" ? 2 : 1;
      out += `${c}${" ".repeat(Math.max(0, Math.min(j, line.length) - i - 1))}${j < line.length ? c : ""}`;
      i = j + 1;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

// Type-only lines too: a union or intersection member on its own line (`| { ok: false }`).
const SKIP_LINE = /^\s*(import\b|export\s+(type|interface)\b|(type|interface|declare)\b|\*|\/\/|\/\*|[|&]\s|$)/;
const TYPE_BLOCK = /^\s*(export\s+)?(interface\b.*\{|type\b.*=\s*\{)\s*$/;

/** Operators over a masked line: [label, regex, replacement(match) -> string]. */
const OPERATORS = [
  ["=== → !==", /===/g, () => "!=="],
  ["!== → ===", /!==/g, () => "==="],
  ["<= → <", /(?<=\s)<=(?=\s)/g, () => "<"],
  [">= → >", /(?<=\s)>=(?=\s)/g, () => ">"],
  ["< → <=", /(?<=\s)<(?=\s)/g, () => "<="],
  ["> → >=", /(?<=\s)>(?=\s)/g, () => ">="],
  ["&& → ||", /&&/g, () => "||"],
  ["|| → &&", /\|\|/g, () => "&&"],
  ["true → false", /\btrue\b/g, () => "false"],
  ["false → true", /\bfalse\b/g, () => "true"],
  ["remove !", /(?<![\w)\]!])!(?=[\w(!])/g, () => ""],
];
const NUMBER = /(?<![\w.$])\d[\d_]*(\.\d+)?(?![\w.])/g;

/** A statement that does something on its own: a call, an assignment or an update, on one line. */
function isEffectStatement(masked) {
  const t = masked.trim();
  if (!t.endsWith(";")) return false;
  if (/^(const|let|var|return|throw|if|for|while|do|else|export|import|case|default|break|continue|yield)\b/.test(t))
    return false;
  if (/^[})\]]/.test(t)) return false;
  let depth = 0;
  for (const c of t) {
    if ("([{".includes(c)) depth++;
    if (")]}".includes(c)) depth--;
    if (depth < 0) return false;
  }
  if (depth !== 0) return false;
  return /\)\s*;$|[^=!<>]=[^=>]|\+\+|--|[+\-*/|&?]=/.test(t);
}

/**
 * Every mutant of `source`: { line (1-based), label, original (trimmed line), text (whole mutated file) }.
 */
export function mutantsOf(source) {
  const lines = source.split("\n");
  const state = { block: false, template: false };
  const out = [];
  let typeBlock = null;
  lines.forEach((line, index) => {
    const wasInside = state.block || state.template;
    const masked = mask(line, state);
    if (typeBlock !== null) {
      if (new RegExp(`^${typeBlock}\\};?\\s*$`).test(line)) typeBlock = null;
      return;
    }
    if (TYPE_BLOCK.test(line)) {
      typeBlock = /^\s*/.exec(line)?.[0] ?? "";
      return;
    }
    if (wasInside || SKIP_LINE.test(line)) return;
    const add = (label, start, end, replacement) => {
      const mutated = line.slice(0, start) + replacement + line.slice(end);
      if (mutated === line) return;
      const copy = lines.slice();
      copy[index] = mutated;
      out.push({ line: index + 1, label, original: line.trim(), text: copy.join("\n") });
    };
    for (const [label, re, replace] of OPERATORS) {
      let n = 0;
      for (const m of masked.matchAll(re)) {
        n++;
        add(n > 1 ? `${label} #${n}` : label, m.index, m.index + m[0].length, replace(m[0]));
      }
    }
    let k = 0;
    for (const m of masked.matchAll(NUMBER)) {
      k++;
      const value = Number(m[0].replaceAll("_", ""));
      const tag = k > 1 ? ` #${k}` : "";
      add(`${m[0]} → ${value + 1}${tag}`, m.index, m.index + m[0].length, String(value + 1));
      if (value !== 0) add(`${m[0]} → 0${tag}`, m.index, m.index + m[0].length, "0");
    }
    if (isEffectStatement(masked)) add("delete statement", 0, line.length, "");
    const ret = /^(\s*)return\s+(.+);\s*$/.exec(masked);
    if (ret && !/^(undefined|null)$/.test(ret[2].trim())) add("return undefined", 0, line.length, `${ret[1]}return undefined;`);
  });
  return out;
}
