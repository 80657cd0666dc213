/** The models the WebLLM e2e page serves (shared by its worker and the test). */

/** Our model: a fixture in the Hub layout, on our CPU runtime. */
export const OUR_MODEL = 'tiny-smollm2';

/** A custom MLC model whose weights exist (config, tokenizer, tensor cache) but whose model library is a 404. */
export const BROKEN_MLC_MODEL = 'broken-mlc-q4f32_1';

/** Where the test server keeps it: `/{owner}/{repo}/resolve/main/{file}`, and the missing library. */
export const BROKEN_MLC_REPO = `mlc-test/${BROKEN_MLC_MODEL}`;
export const MISSING_LIBRARY = '/mlc-libs/broken-mlc-q4f32_1-webgpu.wasm';

/** A prebuilt WebLLM model that needs shader-f16 (SwiftShader has none), and the variant served instead. */
export const F16_MODEL = 'SmolLM2-135M-Instruct-q0f16-MLC';
export const F32_VARIANT = 'SmolLM2-135M-Instruct-q0f32-MLC';
