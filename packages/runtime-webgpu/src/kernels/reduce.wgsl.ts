/**
 * Workgroup reductions in shared memory (a tree: no subgroups needed). Each `<name>(value, tid)`
 * must be called by every invocation of a workgroup of `size` (uniform control flow).
 */
export function sumReduceWgsl(name: string, size: number): string {
  return `var<workgroup> ${name}_scratch: array<f32, ${size}>;
fn ${name}(value: f32, tid: u32) -> f32 {
  ${name}_scratch[tid] = value;
  workgroupBarrier();
  for (var stride = ${size / 2}u; stride > 0u; stride = stride / 2u) {
    if (tid < stride) { ${name}_scratch[tid] = ${name}_scratch[tid] + ${name}_scratch[tid + stride]; }
    workgroupBarrier();
  }
  let total = ${name}_scratch[0];
  workgroupBarrier();
  return total;
}`;
}

export function maxReduceWgsl(name: string, size: number): string {
  return `var<workgroup> ${name}_scratch: array<f32, ${size}>;
fn ${name}(value: f32, tid: u32) -> f32 {
  ${name}_scratch[tid] = value;
  workgroupBarrier();
  for (var stride = ${size / 2}u; stride > 0u; stride = stride / 2u) {
    if (tid < stride) { ${name}_scratch[tid] = max(${name}_scratch[tid], ${name}_scratch[tid + stride]); }
    workgroupBarrier();
  }
  let total = ${name}_scratch[0];
  workgroupBarrier();
  return total;
}`;
}
