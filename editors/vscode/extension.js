// Starts `keyhound lsp` for every file of the workspace; everything else is the server's.
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const settings = vscode.workspace.getConfiguration('keyhound');
  const server = { command: settings.get('path') || 'keyhound', args: ['lsp'] };
  const watcher = vscode.workspace.createFileSystemWatcher('**/{.keyhound.yml,.keyhound-baseline.json}');
  context.subscriptions.push(watcher);
  client = new LanguageClient('keyhound', 'keyhound', { run: server, debug: server }, {
    documentSelector: [{ scheme: 'file' }, { scheme: 'untitled' }],
    initializationOptions: { minConfidence: settings.get('minConfidence') || '' },
    synchronize: { configurationSection: 'keyhound', fileEvents: watcher },
  });
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
