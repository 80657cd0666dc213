/**
 * The page's engine worker: our model (a fixture on our CPU runtime) and a WebLLM model (a custom MLC
 * record on the test server whose model library is missing, and one prebuilt f16-only model), served
 * by one model host.
 */
import { createHandler } from '@cinder/handler';
import { cpuRuntime } from '@cinder/runtime-cpu';
import { serveHttpPort } from '../../packages/host-sw/src/index.ts';
import {
  combineCatalogs,
  createModelHost,
  exposeEngine,
  hubModelUrl,
  urlCatalog,
} from '../../packages/host-worker/src/index.ts';
import { webLlmCatalog } from '../../packages/host-worker/src/webllm-catalog.ts';
import { BROKEN_MLC_MODEL, BROKEN_MLC_REPO, F16_MODEL, MISSING_LIBRARY, OUR_MODEL } from './models.ts';
import { realWebLlm } from './webllm-binding.ts';

const origin = self.location.origin;
const catalog = combineCatalogs(
  urlCatalog({ [OUR_MODEL]: hubModelUrl(`cinder-fixtures/${OUR_MODEL}`, origin) }),
  webLlmCatalog({
    webllm: realWebLlm,
    models: [F16_MODEL],
    custom: [
      {
        id: BROKEN_MLC_MODEL,
        url: hubModelUrl(BROKEN_MLC_REPO, origin),
        modelLib: `${origin}${MISSING_LIBRARY}`,
      },
    ],
  }),
);
const engine = createModelHost({ runtime: cpuRuntime, catalog });
exposeEngine(engine, { serveHttp: (port) => serveHttpPort(port, createHandler({ engine })) });
