// The desktop shell's main process: one secure window on the built renderer, the File/Export/Help menu with native
// dialogs, and one ipcMain handler per EngineApi method wired to the in-process engine (compute runs in the engine's
// supervised child processes, so a crashing backend never takes the window down).
import { app, BrowserWindow, dialog, ipcMain, Menu, session, type MenuItemConstructorOptions } from 'electron';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ENGINE_EVENTS, ENGINE_METHODS, type EngineApi } from '../src-main/api/types.ts';
import type { IpcReply } from './preload.ts';
import { eventChannel, isNavigationAllowed, mainWindowOptions, methodChannel, withCsp } from './security.ts';

/** The package root (dist/electron/main.mjs → ../..). */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const rendererIndex = join(root, 'dist', 'renderer', 'index.html');
const appUrl = pathToFileURL(rendererIndex).href;

let win: BrowserWindow | null = null;
let engine: (EngineApi & { close(): Promise<void> }) | null = null;

/** Loads the engine from its TypeScript sources through tsx (the same way bin/ebm-hep.mjs does). */
async function startEngine(): Promise<EngineApi & { close(): Promise<void> }> {
  if (app.isPackaged) process.env.EBM_HEP_RESOURCES ??= join(process.resourcesPath, 'resources');
  const { register } = await import('tsx/esm/api');
  register();
  const mod = (await import(pathToFileURL(join(root, 'src-main', 'api', 'default-bridges.ts')).href)) as typeof import('../src-main/api/default-bridges.ts');
  return mod.createDefaultEngine({ transport: 'electron' });
}

function toReplyError(err: unknown): IpcReply {
  const e = err as { code?: unknown; message?: unknown; hint?: unknown; where?: unknown };
  return {
    ok: false,
    error: {
      code: typeof e?.code === 'string' ? (e.code as never) : 'INTERNAL',
      message: typeof e?.message === 'string' ? e.message : String(err),
      ...(typeof e?.hint === 'string' ? { hint: e.hint } : {}),
      ...(typeof e?.where === 'string' ? { where: e.where } : {}),
    },
  };
}

/** One handler per method; calls from anything but our own page are refused. */
function wireIpc(api: EngineApi): void {
  for (const method of ENGINE_METHODS) {
    ipcMain.handle(methodChannel(method), async (event, req: unknown): Promise<IpcReply> => {
      if (!event.senderFrame || !isNavigationAllowed(event.senderFrame.url, appUrl)) {
        return { ok: false, error: { code: 'UNAUTHORIZED', message: 'IPC call from an unexpected page was refused.' } };
      }
      try {
        const fn = api[method] as (r: unknown) => Promise<unknown>;
        return { ok: true, value: await fn.call(api, req) };
      } catch (err) {
        return toReplyError(err);
      }
    });
  }
  for (const name of ENGINE_EVENTS) {
    (api[name] as (l: (ev: unknown) => void) => () => void).call(api, (ev: unknown) => {
      if (win && !win.isDestroyed()) win.webContents.send(eventChannel(name), ev);
    });
  }
}

function goToView(view: 'data' | 'export'): void {
  // A fixed string, no user input: switches the renderer's view through its URL hash.
  void win?.webContents.executeJavaScript(`location.hash = '#/${view}'`);
}

async function importWithDialog(): Promise<void> {
  if (!win || !engine) return;
  const res = await dialog.showOpenDialog(win, {
    title: 'Import jets',
    properties: ['openFile', 'multiSelections'],
    filters: [
      { name: 'Jet files', extensions: ['root', 'h5', 'hdf5', 'npy', 'npz', 'csv'] },
      { name: 'All files', extensions: ['*'] },
    ],
  });
  if (res.canceled) return;
  goToView('data');
  for (const path of res.filePaths) {
    try {
      const info = await engine.importDataset({ path });
      await dialog.showMessageBox(win, { type: 'info', message: `Imported ${info.name}`, detail: `${info.nJets} jets, format ${info.format}.` });
    } catch (err) {
      const e = toReplyError(err);
      if (!e.ok) dialog.showErrorBox('Import failed', `${e.error.message}${e.error.hint ? `\n\n${e.error.hint}` : ''}`);
    }
  }
}

function buildMenu(): void {
  const template: MenuItemConstructorOptions[] = [
    {
      label: 'File',
      submenu: [{ label: 'Import…', accelerator: 'CmdOrCtrl+O', click: () => void importWithDialog() }, { type: 'separator' }, { role: 'quit' }],
    },
    { label: 'Export', submenu: [{ label: 'Figures (PNG, SVG, PDF, CSV)…', accelerator: 'CmdOrCtrl+E', click: () => goToView('export') }] },
    { label: 'View', submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }] },
    {
      label: 'Help',
      submenu: [
        {
          label: 'About EBM-HEP',
          click: () =>
            void dialog.showMessageBox({
              type: 'info',
              message: `EBM-HEP workstation ${app.getVersion()}`,
              detail: 'Energy-based models of jets: train, generate, detect anomalies, classify.\nThe same engine runs headless as the `ebm-hep` command.',
            }),
        },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function createWindow(): void {
  win = new BrowserWindow(mainWindowOptions(join(root, 'dist', 'electron', 'preload.cjs')));
  const contents = win.webContents;
  contents.on('will-navigate', (e, url) => {
    if (!isNavigationAllowed(url, appUrl)) e.preventDefault();
  });
  contents.on('will-redirect', (e, url) => {
    if (!isNavigationAllowed(url, appUrl)) e.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (e) => e.preventDefault());
  win.once('ready-to-show', () => win?.show());
  win.on('closed', () => (win = null));
  void win.loadFile(rendererIndex);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  app.on('web-contents-created', (_e, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
  void app.whenReady().then(async () => {
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => callback({ responseHeaders: withCsp(details.responseHeaders) }));
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    engine = await startEngine();
    wireIpc(engine);
    buildMenu();
    createWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow();
    });
  });
  app.on('window-all-closed', () => {
    void engine?.close().finally(() => app.quit());
  });
}
