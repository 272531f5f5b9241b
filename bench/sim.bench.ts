// Simulator speed (issue 5): one path simulation, and 10^5 scenario simulations. Prints
// `name: value` lines; no assertions (speed is reported, not tested).
//   node --import tsx bench/sim.bench.ts
import { simulate } from '../src/sim';

function time(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

// Warm up the parser cache and the JIT.
for (let i = 0; i < 200; i++) simulate('nested-vmentry', { base: 'default' });

const runs = 1000;
const one = time(() => { for (let i = 0; i < runs; i++) simulate('nested-vmentry', { base: 'default' }); }) / runs;
console.log(`sim.one_path_nested_vmentry_ms: ${one.toFixed(4)}`);

const paths = ['nested-vmentry', 'nested-vmexit', 'set-nested-state', 'module-load', 'cr0-write', 'cr3-write'];
const N = Number(process.env.SIM_BENCH_N ?? 100_000);
const total = time(() => {
  for (let i = 0; i < N; i++) {
    const cr3 = '0x' + ((BigInt(i) << 12n) | (BigInt(i & 3) << 61n)).toString(16);
    simulate(paths[i % paths.length], { base: 'default', vmcs12: { HOST_CR3: cr3 }, write: { cr3 } }, { trace: false });
  }
});
console.log(`sim.scenarios_1e5_ms: ${total.toFixed(0)}`);
console.log(`sim.scenarios_per_s: ${Math.round(N / (total / 1000))}`);
