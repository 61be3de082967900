// Builds dpdlab/static/vega.js (Vega, Vega-Lite and vega-embed at the versions pinned in package.json, the ones
// vl-convert draws the course's static SVG with), its licences and a manifest, with esbuild.
//
//   npm ci && node build.mjs           rebuild the committed files
//   npm ci && node build.mjs --check   exit 1 if the committed files are not what these versions build
import { build, version as esbuildVersion } from "esbuild";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "dpdlab", "static");
const files = { bundle: "vega.js", licences: "vega.LICENSES.txt", manifest: "vega.json" };

function packageOf(input) {
  // node_modules/<name>/... or node_modules/@scope/<name>/... (the innermost node_modules)
  const parts = input.split("/");
  const at = parts.lastIndexOf("node_modules");
  const name = parts[at + 1].startsWith("@") ? `${parts[at + 1]}/${parts[at + 2]}` : parts[at + 1];
  return join(here, ...parts.slice(0, at + 1), name);
}

function licenceText(dir) {
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)/i.test(f));
  if (!file) throw new Error(`no licence file in ${relative(here, dir)}`);
  return readFileSync(join(dir, file), "utf8").trim();
}

const result = await build({
  absWorkingDir: here, // the metafile names inputs relative to js/
  entryPoints: [join(here, "src", "vega.js")],
  bundle: true,
  format: "esm",
  target: "es2020",
  minify: true,
  legalComments: "none", // every bundled package's licence goes, whole, into vega.LICENSES.txt
  metafile: true,
  write: false,
  logLevel: "warning",
});
const code = result.outputFiles[0].contents;

const bundled = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  if (!input.includes("node_modules/")) continue;
  const dir = packageOf(input);
  const meta = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  bundled.set(meta.name, { version: meta.version, licence: meta.license, dir });
}
const names = [...bundled.keys()].sort();
const licences = [
  "The file vega.js beside this one bundles these packages, unchanged, with esbuild. Their licences follow.",
  "",
  ...names.map((n) => {
    const p = bundled.get(n);
    return `== ${n} ${p.version} (${p.licence})\n\n${licenceText(p.dir)}\n`;
  }),
].join("\n");
const pins = JSON.parse(readFileSync(join(here, "package.json"), "utf8"));
const manifest = JSON.stringify({
  file: files.bundle,
  sha256: createHash("sha256").update(code).digest("hex"),
  bytes: code.length,
  esbuild: esbuildVersion,
  pinned: pins.dependencies,
  bundled: Object.fromEntries(names.map((n) => [n, bundled.get(n).version])),
}, null, 1) + "\n";

const wanted = { [files.bundle]: Buffer.from(code), [files.licences]: Buffer.from(licences + "\n"),
                 [files.manifest]: Buffer.from(manifest) };
if (process.argv.includes("--check")) {
  const stale = Object.entries(wanted).filter(([f, bytes]) =>
    !existsSync(join(out, f)) || !readFileSync(join(out, f)).equals(bytes)).map(([f]) => f);
  if (stale.length) {
    console.error(`not what the pinned versions build: ${stale.join(", ")} (run: node build.mjs)`);
    process.exit(1);
  }
  console.log(`dpdlab/static/${files.bundle} is what the pinned versions build`);
} else {
  for (const [f, bytes] of Object.entries(wanted)) writeFileSync(join(out, f), bytes);
  console.log(`wrote dpdlab/static/${files.bundle} (${code.length} bytes, ${names.length} packages)`);
}
