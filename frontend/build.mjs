// Bundles the newsroom's script from src/ into static/newsroom.js with esbuild.
// `--check` builds in memory and fails if the committed file differs, so CI
// proves the committed asset is exactly what its sources and lockfile build.
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const out = fileURLToPath(new URL('../static/newsroom.js', import.meta.url));
const check = process.argv.includes('--check');

const result = await build({
  entryPoints: [fileURLToPath(new URL('src/newsroom.js', import.meta.url))],
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020'],
  legalComments: 'inline',
  charset: 'utf8',
  write: false,
  logLevel: 'warning',
});
const built = result.outputFiles[0].text;

if (check) {
  let committed = '';
  try {
    committed = readFileSync(out, 'utf8');
  } catch {
    // missing: reported below as a difference
  }
  if (committed !== built) {
    console.error('static/newsroom.js does not match what frontend/src builds: run `npm ci --prefix frontend && npm run build --prefix frontend` and commit the result.');
    process.exit(1);
  }
  console.log(`static/newsroom.js matches its sources (${built.length} bytes).`);
} else {
  writeFileSync(out, built);
  console.log(`wrote static/newsroom.js (${built.length} bytes)`);
}
