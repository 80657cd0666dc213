/**
 * WebGPU's numeric flags, spelled out so this package does not depend on the `GPUBufferUsage` /
 * `GPUMapMode` globals (a browser has them; Node has them only after `webgpu`'s globals are installed).
 * Values are fixed by the WebGPU specification.
 */
export const BufferUsage = {
  MAP_READ: 0x0001,
  MAP_WRITE: 0x0002,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  UNIFORM: 0x0040,
  STORAGE: 0x0080,
} as const;

export const MapMode = { READ: 0x0001, WRITE: 0x0002 } as const;

/** Storage buffer the kernels read and write, and that copies can target. */
export const STORAGE = BufferUsage.STORAGE | BufferUsage.COPY_DST | BufferUsage.COPY_SRC;
export const UNIFORM = BufferUsage.UNIFORM | BufferUsage.COPY_DST;
export const READBACK = BufferUsage.MAP_READ | BufferUsage.COPY_DST;

/**
 * `queue.writeBuffer` for any typed array. (TypeScript types views of a possibly shared buffer
 * as not writable; ours never are shared.) Offset and byte length must be multiples of 4.
 */
export function writeArray(
  device: GPUDevice,
  buffer: GPUBuffer,
  offset: number,
  data: ArrayBufferView,
): void {
  device.queue.writeBuffer(buffer, offset, data as ArrayBufferView<ArrayBuffer>);
}
