/**
 * The chat app: wires the conversation (chat/), the models (models/), the engine connection
 * (engine/connect.ts) and the views (ui/) together, and starts everything.
 */
import './styles.css';
import { createChat } from './chat/chat.ts';
import { kv } from './chat/conversations.ts';
import { loadSettings, type Settings, saveSettings } from './chat/settings.ts';
import { connect, type RuntimeInfo } from './engine/connect.ts';
import { AppError, describeError, type ErrorAction } from './errors.ts';
import { modelBadge } from './models/badge.ts';
import { createEngineLoads } from './models/engine-loads.ts';
import { createModels } from './models/models.ts';
import { createComposer } from './ui/composer.ts';
import { createConversationList } from './ui/conversation-list.ts';
import { byId } from './ui/dom.ts';
import { formatBytes } from './ui/format.ts';
import { createMessageList } from './ui/message-list.ts';
import { createModelButton } from './ui/model-button.ts';
import { createModelsDialog } from './ui/models-dialog.ts';
import { createNotices } from './ui/notices.ts';
import { createSettingsDialog } from './ui/settings-dialog.ts';

let settings: Settings = await loadSettings();
let runtime: RuntimeInfo | null = null;
const connection = connect();

// ---- state ---------------------------------------------------------------------------------------

const models = createModels({
  hubToken: () => settings.hubToken,
  deleteFromEngine: async (id) => {
    engineLoads.forget(id);
    await (await connection).deleteModel(id);
  },
  onChange: render,
});
const engineLoads = createEngineLoads(connection, render);

const selectedModel = () => settings.model ?? models.defaultModel();

const chat = createChat({
  openai: async () => (await connection).openai,
  settings: () => settings,
  model() {
    const id = selectedModel();
    if (!id)
      throw new AppError({
        title: 'No model chosen',
        message: 'Choose one in the model picker.',
        action: 'models',
      });
    return id;
  },
  async prepare(id) {
    const entry = models.entry(id);
    if (!entry)
      throw new AppError({
        title: 'Unknown model',
        message: `"${id}" is not in the model picker.`,
        action: 'models',
      });
    if (entry.status.kind !== 'ready') {
      if (entry.model.origin === 'hub' && entry.status.kind === 'absent') {
        throw new AppError({
          title: `${entry.model.label} is not on this device yet`,
          message: `It is a ${formatBytes(entry.bytes)} download from the Hugging Face Hub. Download it in the model picker first.`,
          action: 'models',
        });
      }
      await models.download(id);
    }
    await engineLoads.ensure(id);
  },
  onChange: render,
});

// ---- views ---------------------------------------------------------------------------------------

const app = byId('app');
const menuButton = byId<HTMLButtonElement>('menu-button');
const modelsDialogElement = byId<HTMLDialogElement>('models-dialog');

function act(kind: ErrorAction): void {
  if (kind === 'models') openModels();
  else if (kind === 'settings') settingsDialog.open();
  else if (kind === 'reload') location.reload();
  else void chat.regenerate();
}

const notices = createNotices(byId('notices'), {
  action: act,
  onDismiss: (key) => void kv.set(`dismissed:${key}`, true),
});

const composer = createComposer(
  {
    form: byId<HTMLFormElement>('composer'),
    field: byId<HTMLTextAreaElement>('prompt'),
    send: byId<HTMLButtonElement>('send'),
    stop: byId<HTMLButtonElement>('stop'),
  },
  { send: (text) => void chat.send(text), stop: () => chat.stop() },
);

const messageList = createMessageList(byId('messages'), {
  regenerate: () => void chat.regenerate(),
  editAndResend: (id, text) => void chat.editAndResend(id, text),
  action: act,
  modelLabel: (id) => models.entry(id)?.model.label ?? id,
  suggest: (text) => void chat.send(text),
});

const conversationList = createConversationList(byId('conversation-list'), {
  open(id) {
    setSidebar(false);
    void chat.open(id).then(() => composer.focus());
  },
  remove: (id) => void chat.remove(id),
});

const modelButton = createModelButton(byId<HTMLButtonElement>('model-button'));

const modelsDialog = createModelsDialog(modelsDialogElement, {
  choose(id) {
    settings = { ...settings, model: id };
    void saveSettings(settings);
    render();
    if (models.isReady(id) && !chat.state.streamingId) void engineLoads.ensure(id).catch(() => {});
  },
  download: (id) => void models.download(id).catch(() => {}),
  cancel: (id) => models.cancel(id),
  remove: (id) =>
    void models
      .remove(id)
      .catch((cause) => notices.show('model-error', { tone: 'error', ...describeError(cause) })),
});

const settingsDialog = createSettingsDialog(byId<HTMLDialogElement>('settings-dialog'), {
  current: () => settings,
  save(next) {
    settings = next;
    void saveSettings(settings);
  },
});

function setSidebar(open: boolean): void {
  app.classList.toggle('sidebar-open', open);
  menuButton.setAttribute('aria-expanded', String(open));
  if (open) byId('new-chat').focus();
}

menuButton.addEventListener('click', () => setSidebar(!app.classList.contains('sidebar-open')));
byId('sidebar-scrim').addEventListener('click', () => setSidebar(false));
byId('model-button').addEventListener('click', openModels);
byId('settings-button').addEventListener('click', () => settingsDialog.open());
byId('new-chat').addEventListener('click', () => {
  chat.newConversation();
  setSidebar(false);
  composer.focus();
});
document.addEventListener('keydown', (event) => {
  if (event.key !== 'Escape' || event.defaultPrevented || document.querySelector('dialog[open]')) return;
  if (chat.state.streamingId) chat.stop();
  else if (app.classList.contains('sidebar-open')) setSidebar(false);
});

// ---- render --------------------------------------------------------------------------------------

let frame = 0;
function render(): void {
  if (!frame) frame = requestAnimationFrame(draw);
}

function draw(): void {
  frame = 0;
  const { state } = chat;
  const id = selectedModel();
  conversationList.render(state.conversations, state.current?.id ?? null);
  messageList.render(state.current, state.streamingId);
  composer.setStreaming(state.streamingId !== null);
  modelButton.render(modelBadge(id, id ? models.entry(id) : null, id ? engineLoads.get(id) : null));
  if (modelsDialog.isOpen()) modelsDialog.render(modelsView());
  document.title = state.current ? `${state.current.title} · cinder chat` : 'cinder chat';
  app.dataset.streaming = String(state.streamingId !== null);
}

function modelsView() {
  return { entries: models.entries(), selected: selectedModel(), storage: models.storage(), runtime };
}

function openModels(): void {
  void models.refresh();
  modelsDialog.open(modelsView());
}
modelsDialogElement.addEventListener('close', () => composer.focus());

// ---- start ---------------------------------------------------------------------------------------

async function start(): Promise<void> {
  await Promise.all([chat.init(), models.init()]);
  render();
  composer.focus();

  const engine = await connection.catch((cause) => {
    notices.show('engine', { tone: 'error', ...describeError(cause), action: 'reload' });
    return null;
  });
  if (!engine) return;
  document.documentElement.dataset.engine = engine.transport;
  if (engine.serviceWorkerProblem) {
    notices.show('offline', {
      tone: 'warning',
      title: 'Offline use is not available.',
      message: `The service worker did not start (${engine.serviceWorkerProblem}); chat still works while this page is open.`,
    });
  }
  void engine.runtime().then(async (info) => {
    runtime = info;
    document.documentElement.dataset.runtime = info.backend;
    render();
    if (info.backend !== 'cpu' || (await kv.get('dismissed:runtime'))) return;
    const noGpu = info.reason.startsWith('no ');
    notices.show('runtime', {
      tone: 'info',
      dismissible: true,
      title: noGpu
        ? 'This browser offers no WebGPU, so models run on the CPU.'
        : 'Models run on the CPU here.',
      message: noGpu
        ? 'Replies are slower; small models work best. Chrome or Edge with WebGPU runs them faster.'
        : `Replies are slower than on a graphics processor (${info.reason}); small models work best.`,
    });
  });

  // The chosen (or default) model: fetch it if it is the small built-in one, then load it.
  const id = selectedModel();
  const entry = id ? models.entry(id) : null;
  if (!id || !entry) return;
  try {
    if (entry.status.kind !== 'ready' && entry.model.origin === 'built-in') await models.download(id);
    if (models.isReady(id) && !chat.state.streamingId) await engineLoads.ensure(id);
  } catch (cause) {
    notices.show('model-error', { tone: 'error', ...describeError(cause) });
  }
}

void start();
