import fc from 'fast-check';

// Reproducible property tests: a fixed seed in CI (or FC_SEED to replay a failure);
// fast-check prints the seed and the counterexample path of any failure.
const seed = process.env['FC_SEED'] !== undefined ? Number(process.env['FC_SEED']) : process.env['CI'] !== undefined ? 20261124 : undefined;
fc.configureGlobal({ ...(seed === undefined ? {} : { seed }), numRuns: Number(process.env['FC_RUNS'] ?? 200) });
