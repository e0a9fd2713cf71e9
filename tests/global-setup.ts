import { execFileSync } from 'node:child_process';
import { root } from './helpers.js';

/** Builds the package once before the tests, so that CLI tests run what users run: `dist/` through `bin/carepath.js`. */
export default function setup(): void {
  execFileSync('npx', ['tsup', '--silent'], { cwd: root, stdio: 'inherit' });
}
